// Package quicksight provides the lake's QuickSight layer as code: an Athena data source bound
// to the lake's workgroup with its own least-privilege IAM role, one custom-SQL dataset per
// analysis need (sql/quicksight/*.sql, bots excluded), a daily SPICE refresh after the ETL,
// and a dashboard plus an editable analysis described once with the dashboardspec builder.
// Owners and viewers are QuickSight user or group ARNs; no console setup is needed beyond a
// QuickSight Enterprise subscription.
package quicksight

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	qs "github.com/aws/aws-cdk-go/awscdk/v2/awsquicksight"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/quicksight/dashboardspec"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// WorkGroup is the Athena workgroup the data source queries through (athena.WorkGroup
// satisfies it). GrantQuery must cover Athena on the workgroup, Glue and S3 read on the
// curated tables, the results bucket and the lake key.
type WorkGroup interface {
	WorkGroupName() *string
	ResultsBucket() awss3.IBucket
	GrantQuery(grantee awsiam.IGrantable) awsiam.Grant
}

// Catalog is the Glue database of the curated tables (catalog.Catalog satisfies it).
type Catalog interface {
	DatabaseName() *string
	Tables() []awsglue.ITable
}

// Props configures the QuickSight layer.
type Props struct {
	// ResourcePrefix starts every QuickSight ID and name (data source, datasets, analysis,
	// dashboard): 2-40 lower-case letters, digits and hyphens, starting with a letter. Required.
	ResourcePrefix *string
	// WorkGroup runs the data source's queries. Required.
	WorkGroup WorkGroup
	// Catalog holds the curated tables the datasets read. Required.
	Catalog Catalog
	// Owners are QuickSight user or group ARNs with full control of every resource. Required,
	// at least one. The ARN's region is the QuickSight identity region, which may differ from
	// the stack's.
	Owners []string
	// Viewers are QuickSight user or group ARNs that may view the dashboard. Default: none.
	Viewers []string
	// ImportMode of the datasets: config.ImportModeSpice or config.ImportModeDirectQuery.
	// Default: config.DefaultQuickSightImportMode (SPICE).
	ImportMode *string
	// RefreshTime (HH:MM, UTC) of the daily SPICE refresh; schedule it after the ETL.
	// Ignored for DIRECT_QUERY. Default: config.DefaultQuickSightRefreshTime ("06:00").
	RefreshTime *string
	// DateRangeDays is the dashboard's default date range ending today.
	// Default: DefaultDateRangeDays (30).
	DateRangeDays *int
	// ReportingTimeZone is the zone of the datasets' dates, local hours and weekdays (the lake's,
	// see analytics.Props), named in the date pickers' and the Timing sheet's labels.
	// Default: config.DefaultReportingTimeZone (UTC).
	ReportingTimeZone *string
}

// withDefaults returns a copy of p with every unset field defaulted; p is not modified.
func (p Props) withDefaults() Props {
	if p.ImportMode == nil {
		p.ImportMode = jsii.String(config.DefaultQuickSightImportMode)
	}
	if p.RefreshTime == nil {
		p.RefreshTime = jsii.String(config.DefaultQuickSightRefreshTime)
	}
	if p.DateRangeDays == nil {
		days := DefaultDateRangeDays
		p.DateRangeDays = &days
	}
	if p.ReportingTimeZone == nil {
		p.ReportingTimeZone = jsii.String(config.DefaultReportingTimeZone)
	}
	return p
}

func unresolved(s string) bool { return *awscdk.Token_IsUnresolved(jsii.String(s)) }

// validate checks defaulted props and reports every problem at once.
func (p Props) validate() error {
	var msgs []string
	fail := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf("quicksight: "+format, args...)) }
	switch {
	case p.ResourcePrefix == nil:
		fail("ResourcePrefix: required, 2-40 lower-case letters, digits and hyphens")
	case !unresolved(*p.ResourcePrefix) && !config.NamePrefixPattern.MatchString(*p.ResourcePrefix):
		fail("ResourcePrefix: got %q, must be 2-40 lower-case letters, digits and hyphens, starting with a letter", *p.ResourcePrefix)
	}
	if p.WorkGroup == nil {
		fail("WorkGroup: required, the data source queries through the lake's Athena workgroup")
	}
	if p.Catalog == nil {
		fail("Catalog: required, the datasets read its curated tables")
	}
	if len(p.Owners) == 0 {
		fail("Owners: got none, must name at least one QuickSight user or group ARN")
	}
	if n := len(p.Owners) + len(p.Viewers); n > MaxPrincipals {
		fail("Owners and Viewers: got %d principals, QuickSight allows at most %d per resource: share with a group instead", n, MaxPrincipals)
	}
	for field, arns := range map[string][]string{"Owners": p.Owners, "Viewers": p.Viewers} {
		for i, arn := range arns {
			if !unresolved(arn) && !config.QuickSightPrincipalPattern.MatchString(arn) {
				fail("%s[%d]: got %q, must be a QuickSight user or group ARN such as arn:aws:quicksight:us-east-1:123456789012:group/default/analysts", field, i, arn)
			}
		}
	}
	if m := *p.ImportMode; m != config.ImportModeSpice && m != config.ImportModeDirectQuery {
		fail("ImportMode: got %q, must be %s or %s", m, config.ImportModeSpice, config.ImportModeDirectQuery)
	}
	if t := *p.RefreshTime; !config.RefreshTimePattern.MatchString(t) {
		fail("RefreshTime: got %q, must be a UTC time HH:MM such as 06:00", t)
	}
	if msg := config.CheckTimeZone(*p.ReportingTimeZone); msg != "" {
		fail("ReportingTimeZone: %s", msg)
	}
	if d := *p.DateRangeDays; d < 1 || d > 3660 {
		fail("DateRangeDays: got %d, must be between 1 and 3660", d)
	}
	// Map iteration is unordered; sort so the error is stable.
	slices.Sort(msgs)
	out := make([]error, len(msgs))
	for i, m := range msgs {
		out[i] = errors.New(m)
	}
	return errors.Join(out...)
}

// QuickSight is the lake's QuickSight layer.
type QuickSight interface {
	constructs.Construct
	// DataSourceRole is assumed by QuickSight to query Athena for this data source only.
	DataSourceRole() awsiam.IRole
	// DataSourceArn is the Athena data source's ARN.
	DataSourceArn() *string
	// DataSetArns maps each dataset name (sql/quicksight/<name>.sql) to its ARN.
	DataSetArns() map[string]*string
	// DataSetIDs maps each dataset name to its DataSetId (the DatasetId of QuickSight's
	// ingestion metrics).
	DataSetIDs() map[string]*string
	// AnalysisArn is the editable analysis's ARN.
	AnalysisArn() *string
	// DashboardArn is the published dashboard's ARN.
	DashboardArn() *string
	// DashboardId is the published dashboard's ID (<ResourcePrefix>-clickstream).
	DashboardId() *string
}

type quickSight struct {
	constructs.Construct
	role                      awsiam.Role
	dataSource                qs.CfnDataSource
	dataSets, dataSetIDs      map[string]*string
	analysisArn, dashboardArn *string
	dashboardID               *string
}

// New creates the data source, datasets, refresh schedules, analysis and dashboard. It panics
// on invalid props or an invalid dashboard description, which fails synth.
func New(scope constructs.Construct, id *string, props *Props) QuickSight {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	datasets, err := LoadDatasets()
	if err != nil {
		panic(err)
	}
	definition, err := Dashboard(datasets, *p.DateRangeDays, *p.ReportingTimeZone)
	if err != nil {
		panic(err)
	}

	q := &quickSight{Construct: constructs.NewConstruct(scope, id), dataSets: map[string]*string{}, dataSetIDs: map[string]*string{}}
	stack := awscdk.Stack_Of(q.Construct)
	account := stack.Account()
	prefix := *p.ResourcePrefix
	spice := *p.ImportMode == config.ImportModeSpice

	// The data source's own role, so the account-wide QuickSight service role needs no access
	// to the lake (and no console setup).
	q.role = awsiam.NewRole(q.Construct, jsii.String(DataSourceRoleID), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("quicksight.amazonaws.com"), nil),
		Description: jsii.String("QuickSight Athena data source " + prefix + ": queries the lake's workgroup, reads the curated tables"),
	})
	p.WorkGroup.GrantQuery(q.role)
	q.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings(DataCatalogActions...),
		Resources: jsii.Strings(*stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("athena"), Resource: jsii.String("datacatalog"), ResourceName: jsii.String("AwsDataCatalog"),
		})),
	}))

	q.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ListAccountAthena"),
		Actions:   jsii.Strings(AccountListActions...),
		Resources: jsii.Strings("*"),
	}))
	q.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:     jsii.String("ListLakeDatabase"),
		Actions: jsii.Strings(DatabaseListActions...),
		Resources: jsii.Strings(
			*stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("glue"), Resource: jsii.String("catalog")}),
			*stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("glue"), Resource: jsii.String("database"), ResourceName: p.Catalog.DatabaseName(),
			}),
		),
	}))

	q.dataSource = qs.NewCfnDataSource(q.Construct, jsii.String(DataSourceID), &qs.CfnDataSourceProps{
		AwsAccountId: account,
		DataSourceId: jsii.String(prefix + "-athena"),
		Name:         jsii.String(prefix + " clickstream (Athena)"),
		Type:         jsii.String("ATHENA"),
		DataSourceParameters: &qs.CfnDataSource_DataSourceParametersProperty{
			AthenaParameters: &qs.CfnDataSource_AthenaParametersProperty{
				WorkGroup: p.WorkGroup.WorkGroupName(),
				RoleArn:   q.role.RoleArn(),
			},
		},
		SslProperties: &qs.CfnDataSource_SslPropertiesProperty{DisableSsl: jsii.Bool(false)},
		Permissions:   dataSourcePermissions(p.Owners),
	})
	// QuickSight checks the connection on create: the role's policy must exist first (the
	// RoleArn reference already orders the role itself).
	if policy := q.role.Node().TryFindChild(jsii.String("DefaultPolicy")); policy != nil {
		q.dataSource.Node().AddDependency(policy)
	}
	q.suppressFindings(p)

	for _, d := range datasets {
		q.dataSet(d, p, account, prefix, spice)
	}

	dashboardDefinition, err := definition.Dashboard(q.dataSets)
	if err != nil {
		panic(err)
	}
	analysisDefinition, err := dashboardspec.AnalysisDefinition(dashboardDefinition)
	if err != nil {
		panic(err)
	}
	analysis := qs.NewCfnAnalysis(q.Construct, jsii.String(AnalysisID), &qs.CfnAnalysisProps{
		AwsAccountId: account,
		AnalysisId:   jsii.String(prefix + "-clickstream-analysis"),
		Name:         jsii.String(prefix + " clickstream analytics (analysis)"),
		Definition:   analysisDefinition,
		Permissions:  analysisPermissions(p.Owners),
	})
	q.dashboardID = jsii.String(prefix + "-clickstream")
	dashboard := qs.NewCfnDashboard(q.Construct, jsii.String(DashboardID), &qs.CfnDashboardProps{
		AwsAccountId: account,
		DashboardId:  q.dashboardID,
		Name:         jsii.String(prefix + " clickstream analytics"),
		Definition:   dashboardDefinition,
		Permissions:  dashboardPermissions(p.Owners, p.Viewers),
		DashboardPublishOptions: &qs.CfnDashboard_DashboardPublishOptionsProperty{
			// The date pickers are the dashboard's main control: show them expanded.
			SheetControlsOption: &qs.CfnDashboard_SheetControlsOptionProperty{VisibilityState: jsii.String("EXPANDED")},
			ExportToCsvOption:   &qs.CfnDashboard_ExportToCSVOptionProperty{AvailabilityStatus: jsii.String("ENABLED")},
		},
		VersionDescription: jsii.String("Deployed by CloudFormation from the dashboardspec description"),
	})
	q.analysisArn, q.dashboardArn = analysis.AttrArn(), dashboard.AttrArn()
	return q
}

// dataSet creates one custom-SQL dataset and, in SPICE mode, its incremental refresh on its date
// column with a daily incremental and a weekly full refresh schedule.
func (q *quickSight) dataSet(d *Dataset, p Props, account *string, prefix string, spice bool) {
	columns := make([]*qs.CfnDataSet_InputColumnProperty, 0, len(d.Spec.Columns))
	for _, c := range d.Spec.Columns {
		column := &qs.CfnDataSet_InputColumnProperty{Name: jsii.String(c.Name), Type: jsii.String(string(c.Type))}
		if c.Type == dashboardspec.Decimal {
			column.SubType = jsii.String("FIXED") // exact decimals (money), never floating point
		}
		columns = append(columns, column)
	}
	tableID := physicalTableID(d.Name)
	props := &qs.CfnDataSetProps{
		AwsAccountId: account,
		DataSetId:    jsii.String(prefix + "-" + tableID),
		Name:         jsii.String(prefix + " " + strings.ReplaceAll(d.Name, "_", " ")),
		ImportMode:   p.ImportMode,
		PhysicalTableMap: map[string]*qs.CfnDataSet_PhysicalTableProperty{
			tableID: {CustomSql: &qs.CfnDataSet_CustomSqlProperty{
				DataSourceArn: q.dataSource.AttrArn(),
				Name:          jsii.String(d.Name),
				SqlQuery:      jsii.String(RenderSQL(d.Query.SQL, *p.Catalog.DatabaseName())),
				Columns:       &columns,
			}},
		},
		Permissions: dataSetPermissions(p.Owners),
	}
	if spice {
		// Deploys finish when the dataset exists; the first SPICE ingestion runs on its own.
		props.IngestionWaitPolicy = &qs.CfnDataSet_IngestionWaitPolicyProperty{WaitForSpiceIngestion: jsii.Bool(false)}
		props.DataSetRefreshProperties = &qs.CfnDataSet_DataSetRefreshPropertiesProperty{
			RefreshConfiguration: &qs.CfnDataSet_RefreshConfigurationProperty{
				IncrementalRefresh: &qs.CfnDataSet_IncrementalRefreshProperty{
					LookbackWindow: &qs.CfnDataSet_LookbackWindowProperty{
						ColumnName: jsii.String(d.Spec.DateColumn),
						Size:       jsii.Number(IncrementalRefreshLookbackDays),
						SizeUnit:   jsii.String("DAY"),
					},
				},
			},
		}
	}
	id := constructID(d.Name)
	dataSet := qs.NewCfnDataSet(q.Construct, jsii.String(DataSetIDPrefix+id), props)
	q.dataSets[d.Name], q.dataSetIDs[d.Name] = dataSet.AttrArn(), props.DataSetId
	if !spice {
		return
	}
	for _, s := range []struct {
		id        string
		schedule  *qs.CfnRefreshSchedule_RefreshScheduleMapProperty
		frequency *qs.CfnRefreshSchedule_ScheduleFrequencyProperty
	}{
		{RefreshScheduleIDPrefix + id, &qs.CfnRefreshSchedule_RefreshScheduleMapProperty{
			ScheduleId: jsii.String(RefreshScheduleID), RefreshType: jsii.String("INCREMENTAL_REFRESH"),
		}, &qs.CfnRefreshSchedule_ScheduleFrequencyProperty{Interval: jsii.String("DAILY"), TimeOfTheDay: p.RefreshTime}},
		{FullRefreshScheduleIDPrefix + id, &qs.CfnRefreshSchedule_RefreshScheduleMapProperty{
			ScheduleId: jsii.String(FullRefreshScheduleID), RefreshType: jsii.String("FULL_REFRESH"),
		}, &qs.CfnRefreshSchedule_ScheduleFrequencyProperty{
			Interval:     jsii.String("WEEKLY"),
			RefreshOnDay: &qs.CfnRefreshSchedule_RefreshOnDayProperty{DayOfWeek: jsii.String(FullRefreshDay)},
			TimeOfTheDay: jsii.String(laterTime(*p.RefreshTime, FullRefreshDelayMinutes)),
		}},
	} {
		s.frequency.TimeZone = jsii.String(RefreshTimeZone)
		s.schedule.ScheduleFrequency = s.frequency
		schedule := qs.NewCfnRefreshSchedule(q.Construct, jsii.String(s.id), &qs.CfnRefreshScheduleProps{
			AwsAccountId: account,
			DataSetId:    props.DataSetId,
			Schedule:     s.schedule,
		})
		// The schedule names the dataset by ID, not by a reference: order them explicitly.
		schedule.Node().AddDependency(dataSet)
	}
}

// laterTime is an HH:MM time (validated) plus minutes, on a 24-hour clock.
func laterTime(hhmm string, minutes int) string {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	total := (h*60 + m + minutes) % (24 * 60)
	return fmt.Sprintf("%02d:%02d", total/60, total%60)
}

func permissions(actions []string, principals ...string) []*qs.CfnDataSet_ResourcePermissionProperty {
	out := make([]*qs.CfnDataSet_ResourcePermissionProperty, 0, len(principals))
	for _, p := range principals {
		out = append(out, &qs.CfnDataSet_ResourcePermissionProperty{Principal: jsii.String(p), Actions: jsii.Strings(actions...)})
	}
	return out
}

func dataSetPermissions(owners []string) *[]*qs.CfnDataSet_ResourcePermissionProperty {
	out := permissions(DataSetOwnerActions, owners...)
	return &out
}

func dataSourcePermissions(owners []string) *[]*qs.CfnDataSource_ResourcePermissionProperty {
	var out []*qs.CfnDataSource_ResourcePermissionProperty
	for _, p := range permissions(DataSourceOwnerActions, owners...) {
		out = append(out, &qs.CfnDataSource_ResourcePermissionProperty{Principal: p.Principal, Actions: p.Actions})
	}
	return &out
}

func analysisPermissions(owners []string) *[]*qs.CfnAnalysis_ResourcePermissionProperty {
	var out []*qs.CfnAnalysis_ResourcePermissionProperty
	for _, p := range permissions(AnalysisOwnerActions, owners...) {
		out = append(out, &qs.CfnAnalysis_ResourcePermissionProperty{Principal: p.Principal, Actions: p.Actions})
	}
	return &out
}

func dashboardPermissions(owners, viewers []string) *[]*qs.CfnDashboard_ResourcePermissionProperty {
	var out []*qs.CfnDashboard_ResourcePermissionProperty
	for _, p := range append(permissions(DashboardOwnerActions, owners...), permissions(DashboardViewerActions, viewers...)...) {
		out = append(out, &qs.CfnDashboard_ResourcePermissionProperty{Principal: p.Principal, Actions: p.Actions})
	}
	return &out
}

func (q *quickSight) DataSourceRole() awsiam.IRole { return q.role }
func (q *quickSight) DataSourceArn() *string       { return q.dataSource.AttrArn() }
func (q *quickSight) AnalysisArn() *string         { return q.analysisArn }
func (q *quickSight) DashboardArn() *string        { return q.dashboardArn }
func (q *quickSight) DashboardId() *string         { return q.dashboardID }

func (q *quickSight) DataSetArns() map[string]*string { return maps.Clone(q.dataSets) }
func (q *quickSight) DataSetIDs() map[string]*string  { return maps.Clone(q.dataSetIDs) }

// constructID names a dataset's resources (props is a local name in the functions that use it).
func constructID(name string) string { return props.ConstructID(name) }
