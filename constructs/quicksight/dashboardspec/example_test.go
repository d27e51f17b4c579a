package dashboardspec_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsquicksight"
	"github.com/aws/jsii-runtime-go"

	ds "github.com/clickstream-analytics/datalake/constructs/quicksight/dashboardspec"
)

// A one-sheet dashboard described with the builder; Dashboard() emits the typed
// CfnDashboard_DashboardVersionDefinitionProperty for awsquicksight.NewCfnDashboard and
// AnalysisDefinition() the same content for awsquicksight.NewCfnAnalysis.
func Example() {
	sessions := &ds.Dataset{
		Identifier: "sessions",
		DateColumn: "session_date",
		Columns: []ds.Column{
			{Name: "session_date", Type: ds.DateTime}, {Name: "session_id", Type: ds.String},
			{Name: "channel", Type: ds.String}, {Name: "revenue", Type: ds.Decimal},
		},
	}
	def := ds.Definition{
		Datasets:  []*ds.Dataset{sessions},
		DateRange: ds.DateRange{StartParameter: "StartDate", EndParameter: "EndDate", DefaultDays: 30},
		Sheets: []ds.Sheet{{ID: "overview", Name: "Overview", Rows: []ds.Row{
			{ds.KPI("Sessions", sessions.Count("session_id")), ds.KPI("Revenue", sessions.Sum("revenue"))},
			{ds.Line("Daily revenue", sessions.Day("session_date"), sessions.Sum("revenue"))},
			{ds.Bar("Revenue by channel", sessions.Category("channel"), sessions.Sum("revenue")).Top(10)},
		}}},
	}
	dashboard, err := def.Dashboard(map[string]*string{"sessions": jsii.String("arn:aws:quicksight:eu-west-1:123456789012:dataset/sessions")})
	if err != nil {
		panic(err)
	}
	analysis, err := ds.AnalysisDefinition(dashboard)
	sheets := *dashboard.Sheets.(*[]*awsquicksight.CfnDashboard_SheetDefinitionProperty)
	fmt.Println(len(sheets), len(*sheets[0].Visuals.(*[]*awsquicksight.CfnDashboard_VisualProperty)), analysis != nil, err)

	// A field that does not fit its dataset fails validation, before anything is deployed.
	def.Sheets[0].Rows[0][0] = ds.KPI("Channels", sessions.Sum("channel"))
	fmt.Println(def.Validate())
	// Output:
	// 1 4 true <nil>
	// dashboardspec: visual overview-channels: measure sum(sessions.channel): needs an INTEGER or DECIMAL column, got STRING
}
