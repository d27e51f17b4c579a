package quicksight

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/athena"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

const (
	owner  = "arn:aws:quicksight:us-east-1:123456789012:group/default/clickstream-authors"
	owner2 = "arn:aws:quicksight:us-east-1:123456789012:user/default/alice"
	viewer = "arn:aws:quicksight:us-east-1:123456789012:group/default/clickstream-viewers"
)

// One app for the package: a jsii runtime and a synth per test would multiply the run time.
var (
	spiceTemplate, directTemplate assertions.Template
	spiceJSON                     map[string]any
	spiceQuickSight               QuickSight
)

// lake builds the constructs the QuickSight layer stands on, in a stack of its own.
func lake(app awscdk.App, name string) (awscdk.Stack, athena.WorkGroup, catalog.Catalog) {
	stack := awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-1")},
	})
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	cat := catalog.New(stack, jsii.String("Catalog"), &catalog.Props{
		DatabaseName: jsii.String("clickstream_curated"), CuratedBucket: storage.CuratedBucket(),
	})
	wg := athena.New(stack, jsii.String("Athena"), &athena.Props{
		WorkGroupName: jsii.String("clickstream"), ResultsBucket: storage.AthenaResultsBucket(),
		EncryptionKey: storage.EncryptionKey(), Catalog: cat,
	})
	return stack, wg, cat
}

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)

	spiceStack, wg, cat := lake(app, "Spice")
	awscdk.Aspects_Of(spiceStack).Add(nag.Checks(), nil)
	spiceQuickSight = New(spiceStack, jsii.String("QuickSight"), &Props{
		ResourcePrefix: jsii.String("clickstream"), WorkGroup: wg, Catalog: cat,
		Owners: []string{owner, owner2}, Viewers: []string{viewer},
	})

	directStack, wg2, cat2 := lake(app, "DirectQuery")
	days := 7
	New(directStack, jsii.String("QuickSight"), &Props{
		ResourcePrefix: jsii.String("analytics-dev"), WorkGroup: wg2, Catalog: cat2,
		Owners: []string{owner}, ImportMode: jsii.String(config.ImportModeDirectQuery), DateRangeDays: &days,
		ReportingTimeZone: jsii.String("Asia/Seoul"),
	})

	spiceTemplate = assertions.Template_FromStack(spiceStack, nil)
	directTemplate = assertions.Template_FromStack(directStack, nil)
	raw, err := json.Marshal(spiceTemplate.ToJSON())
	if err == nil {
		err = json.Unmarshal(raw, &spiceJSON)
	}
	if err != nil {
		panic(err)
	}

	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func obj(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

func asJSON(v any) string {
	out, _ := json.Marshal(v)
	return string(out)
}

// resources returns the properties of every resource of type typ, by logical ID.
func resources(t *testing.T, typ string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for id, r := range spiceJSON["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == typ {
			out[id] = res["Properties"].(map[string]any)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s", typ)
	}
	return out
}

func one(t *testing.T, typ string) map[string]any {
	t.Helper()
	all := resources(t, typ)
	if len(all) != 1 {
		t.Fatalf("got %d %s, want 1", len(all), typ)
	}
	for _, p := range all {
		return p
	}
	return nil
}

func toJSONStrings(v []string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// dataSourceStatements are the statements of the data source role's default policy.
func dataSourceStatements(t *testing.T) []any {
	t.Helper()
	for id, p := range resources(t, "AWS::IAM::Policy") {
		if strings.HasPrefix(id, "QuickSight"+DataSourceRoleID) {
			return p["PolicyDocument"].(map[string]any)["Statement"].([]any)
		}
	}
	t.Fatal("no policy on the data source role")
	return nil
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// permissionsOf maps principal to actions.
func permissionsOf(props map[string]any) map[string][]string {
	out := map[string][]string{}
	for _, p := range props["Permissions"].([]any) {
		m := p.(map[string]any)
		out[m["Principal"].(string)] = toStrings(m["Actions"])
	}
	return out
}

func TestResources(t *testing.T) {
	datasets, err := LoadDatasets()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("creates one Athena data source, a dataset per SQL file, an analysis and a dashboard", func(t *testing.T) {
		spiceTemplate.ResourceCountIs(jsii.String("AWS::QuickSight::DataSource"), jsii.Number(1))
		spiceTemplate.ResourceCountIs(jsii.String("AWS::QuickSight::DataSet"), jsii.Number(float64(len(datasets))))
		spiceTemplate.ResourceCountIs(jsii.String("AWS::QuickSight::RefreshSchedule"), jsii.Number(float64(RefreshSchedulesPerDataSet*len(datasets))))
		spiceTemplate.ResourceCountIs(jsii.String("AWS::QuickSight::Analysis"), jsii.Number(1))
		spiceTemplate.ResourceCountIs(jsii.String("AWS::QuickSight::Dashboard"), jsii.Number(1))
		if len(datasets) != 5 {
			t.Fatalf("got %d datasets, want sessions, campaigns, funnel, page_performance and events", len(datasets))
		}
	})
	t.Run("the data source queries through the lake workgroup with its own role", func(t *testing.T) {
		src := one(t, "AWS::QuickSight::DataSource")
		if src["Type"] != "ATHENA" {
			t.Fatalf("type %v", src["Type"])
		}
		athenaParams := src["DataSourceParameters"].(map[string]any)["AthenaParameters"].(map[string]any)
		if ref, _ := athenaParams["WorkGroup"].(map[string]any)["Ref"].(string); !strings.HasPrefix(ref, "Athena") {
			t.Fatalf("workgroup %v, want a Ref to the lake workgroup", athenaParams["WorkGroup"])
		}
		role := athenaParams["RoleArn"].(map[string]any)["Fn::GetAtt"].([]any)
		if !strings.HasPrefix(role[0].(string), "QuickSight"+DataSourceRoleID) {
			t.Fatalf("role %v", role)
		}
	})
	t.Run("the data source role is trusted by QuickSight only", func(t *testing.T) {
		spiceTemplate.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj(map[string]any{
			"AssumeRolePolicyDocument": obj(map[string]any{"Statement": []any{obj(map[string]any{
				"Action": "sts:AssumeRole", "Effect": "Allow",
				"Principal": map[string]any{"Service": "quicksight.amazonaws.com"},
			})}}),
		}))
	})
	t.Run("the data source role may use Athena in this workgroup and the data catalog only", func(t *testing.T) {
		var policy map[string]any
		for id, p := range resources(t, "AWS::IAM::Policy") {
			if strings.HasPrefix(id, "QuickSight"+DataSourceRoleID) {
				policy = p
			}
		}
		if policy == nil {
			t.Fatal("no policy on the data source role")
		}
		doc, _ := json.Marshal(policy["PolicyDocument"])
		text := string(doc)
		for _, want := range []string{"athena:StartQueryExecution", ":workgroup/", "glue:GetTable", "s3:GetObject", "kms:Decrypt", "athena:GetDataCatalog", "datacatalog/AwsDataCatalog"} {
			if !strings.Contains(text, want) {
				t.Errorf("policy lacks %s: %s", want, text)
			}
		}
		for _, forbidden := range []string{`"athena:*"`, `"s3:*"`, `"glue:*"`, `"quicksight:*"`} {
			if strings.Contains(text, forbidden) {
				t.Errorf("policy has %s: %s", forbidden, text)
			}
		}
		// Resource "*" only for the account-level list actions, which support nothing narrower.
		for _, raw := range policy["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			statement := raw.(map[string]any)
			if statement["Resource"] != "*" {
				continue
			}
			if got, _ := json.Marshal(statement["Action"]); string(got) != toJSONStrings(AccountListActions) {
				t.Errorf("resource * for %s, want only %v", got, AccountListActions)
			}
		}
	})
	t.Run("QuickSight's validation list actions are granted, scoped where they allow it", func(t *testing.T) {
		for _, raw := range dataSourceStatements(t) {
			statement := raw.(map[string]any)
			text, _ := json.Marshal(statement)
			switch statement["Sid"] {
			case "ListAccountAthena":
				if statement["Resource"] != "*" || !strings.Contains(string(text), toJSONStrings(AccountListActions)) {
					t.Errorf("account list statement %s", text)
				}
			case "ListLakeDatabase":
				for _, want := range []string{`"glue:GetDatabases"`, `:catalog"`, `:database/`} {
					if !strings.Contains(string(text), want) {
						t.Errorf("database list statement lacks %s: %s", want, text)
					}
				}
				if strings.Contains(string(text), `"*"`) || strings.Contains(string(text), "database/*") {
					t.Errorf("database list statement is not scoped: %s", text)
				}
			}
		}
		text, _ := json.Marshal(dataSourceStatements(t))
		for _, sid := range []string{"ListAccountAthena", "ListLakeDatabase"} {
			if !strings.Contains(string(text), sid) {
				t.Errorf("no statement %s in %s", sid, text)
			}
		}
	})
	t.Run("datasets are custom SQL over the qualified curated tables with their declared columns", func(t *testing.T) {
		byName := map[string]*Dataset{}
		for _, d := range datasets {
			byName[d.Name] = d
		}
		for id, props := range resources(t, "AWS::QuickSight::DataSet") {
			for tableID, pt := range props["PhysicalTableMap"].(map[string]any) {
				custom := pt.(map[string]any)["CustomSql"].(map[string]any)
				d := byName[custom["Name"].(string)]
				if d == nil || physicalTableID(d.Name) != tableID {
					t.Fatalf("%s: unexpected physical table %s", id, tableID)
				}
				query, _ := json.Marshal(custom["SqlQuery"])
				if !strings.Contains(string(query), `\".\"`) || !strings.Contains(string(query), `{"Ref":"CatalogDatabase`) || !strings.Contains(string(query), "NOT ") {
					t.Errorf("%s: SQL not qualified with the database or without the bot filter: %s", id, query)
				}
				var names []string
				for _, c := range custom["Columns"].([]any) {
					names = append(names, c.(map[string]any)["Name"].(string))
				}
				var want []string
				for _, c := range d.Spec.Columns {
					want = append(want, c.Name)
				}
				if !slices.Equal(names, want) {
					t.Errorf("%s: columns %v, want %v", id, names, want)
				}
			}
		}
	})
	t.Run("datasets import into SPICE by default and deploys do not wait for ingestion", func(t *testing.T) {
		for id, props := range resources(t, "AWS::QuickSight::DataSet") {
			wait := props["IngestionWaitPolicy"].(map[string]any)
			if props["ImportMode"] != config.DefaultQuickSightImportMode || wait["WaitForSpiceIngestion"] != false {
				t.Errorf("%s: import mode %v, wait %v", id, props["ImportMode"], wait)
			}
		}
	})
	t.Run("every dataset refreshes incrementally daily and fully weekly, after the default time in UTC", func(t *testing.T) {
		resources := spiceJSON["Resources"].(map[string]any)
		got := map[string]any{}
		for id, r := range resources {
			res := r.(map[string]any)
			if res["Type"] != "AWS::QuickSight::RefreshSchedule" {
				continue
			}
			deps, _ := res["DependsOn"].([]any)
			if len(deps) != 1 || !strings.HasPrefix(deps[0].(string), "QuickSight"+DataSetIDPrefix) {
				t.Errorf("%s: depends on %v, want its dataset", id, deps)
			}
			schedule := res["Properties"].(map[string]any)["Schedule"].(map[string]any)
			got[schedule["ScheduleId"].(string)] = []any{schedule["RefreshType"], schedule["ScheduleFrequency"]}
		}
		want := map[string]any{
			RefreshScheduleID: []any{"INCREMENTAL_REFRESH", map[string]any{
				"Interval": "DAILY", "TimeOfTheDay": config.DefaultQuickSightRefreshTime, "TimeZone": RefreshTimeZone,
			}},
			FullRefreshScheduleID: []any{"FULL_REFRESH", map[string]any{
				"Interval": "WEEKLY", "RefreshOnDay": map[string]any{"DayOfWeek": FullRefreshDay}, "TimeOfTheDay": "07:00", "TimeZone": RefreshTimeZone,
			}},
		}
		if asJSON(got) != asJSON(want) || config.DefaultQuickSightRefreshTime != "06:00" || FullRefreshDelayMinutes != 60 {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
	t.Run("every dataset's incremental refresh re-imports the last days of its date column", func(t *testing.T) {
		for _, d := range datasets {
			spiceTemplate.HasResourceProperties(jsii.String("AWS::QuickSight::DataSet"), obj(map[string]any{
				"DataSetId": "clickstream-" + physicalTableID(d.Name),
				"DataSetRefreshProperties": map[string]any{"RefreshConfiguration": map[string]any{"IncrementalRefresh": map[string]any{
					"LookbackWindow": map[string]any{"ColumnName": d.Spec.DateColumn, "Size": IncrementalRefreshLookbackDays, "SizeUnit": "DAY"},
				}}},
			}))
		}
	})
	t.Run("the weekly full refresh wraps past midnight", func(t *testing.T) {
		if got := laterTime("23:30", 60); got != "00:30" {
			t.Fatalf("got %s", got)
		}
	})
	t.Run("the dashboard's date range defaults to the last DefaultDateRangeDays days", func(t *testing.T) {
		def, _ := json.Marshal(one(t, "AWS::QuickSight::Dashboard")["Definition"].(map[string]any)["ParameterDeclarations"])
		if !strings.Contains(string(def), "addDateTime(-30, 'DD'") || DefaultDateRangeDays != 30 {
			t.Fatalf("parameters %s", def)
		}
	})
}

func TestPermissions(t *testing.T) {
	cases := []struct {
		typ    string
		owners []string
	}{
		{"AWS::QuickSight::DataSource", DataSourceOwnerActions},
		{"AWS::QuickSight::DataSet", DataSetOwnerActions},
		{"AWS::QuickSight::Analysis", AnalysisOwnerActions},
		{"AWS::QuickSight::Dashboard", DashboardOwnerActions},
	}
	for _, c := range cases {
		t.Run(c.typ+" gives every owner the owner action set", func(t *testing.T) {
			for id, props := range resources(t, c.typ) {
				perms := permissionsOf(props)
				for _, o := range []string{owner, owner2} {
					if !slices.Equal(perms[o], c.owners) {
						t.Errorf("%s: %s has %v, want %v", id, o, perms[o], c.owners)
					}
				}
			}
		})
	}
	t.Run("viewers may only view the dashboard", func(t *testing.T) {
		if got := permissionsOf(one(t, "AWS::QuickSight::Dashboard"))[viewer]; !slices.Equal(got, DashboardViewerActions) {
			t.Fatalf("viewer has %v", got)
		}
		for _, typ := range []string{"AWS::QuickSight::DataSource", "AWS::QuickSight::DataSet", "AWS::QuickSight::Analysis"} {
			for id, props := range resources(t, typ) {
				if _, ok := permissionsOf(props)[viewer]; ok {
					t.Errorf("%s: the viewer has permissions", id)
				}
			}
		}
	})
	t.Run("action sets have no wildcard and viewers get a subset of owners", func(t *testing.T) {
		for _, set := range [][]string{DataSourceOwnerActions, DataSetOwnerActions, AnalysisOwnerActions, DashboardOwnerActions, DashboardViewerActions} {
			for _, a := range set {
				if strings.Contains(a, "*") || !strings.HasPrefix(a, "quicksight:") {
					t.Errorf("action %s", a)
				}
			}
		}
		for _, a := range DashboardViewerActions {
			if !slices.Contains(DashboardOwnerActions, a) {
				t.Errorf("viewer action %s is not an owner action", a)
			}
			if strings.HasPrefix(a, "quicksight:Update") || strings.HasPrefix(a, "quicksight:Delete") {
				t.Errorf("viewer action %s changes the dashboard", a)
			}
		}
	})
}

func TestAnalysisReusesTheDashboardDescription(t *testing.T) {
	t.Run("the analysis and the dashboard synthesize the same definition", func(t *testing.T) {
		a := one(t, "AWS::QuickSight::Analysis")["Definition"]
		d := one(t, "AWS::QuickSight::Dashboard")["Definition"]
		if !reflect.DeepEqual(a, d) {
			aj, _ := json.Marshal(a)
			dj, _ := json.Marshal(d)
			t.Fatalf("analysis definition differs from the dashboard's:\n%s\n%s", aj, dj)
		}
	})
	t.Run("the definition has the sheets of the issues", func(t *testing.T) {
		var names []string
		for _, s := range one(t, "AWS::QuickSight::Dashboard")["Definition"].(map[string]any)["Sheets"].([]any) {
			names = append(names, s.(map[string]any)["Name"].(string))
		}
		if want := []string{"Overview", "Acquisition", "Behaviour", "Performance", "Timing", "Technology"}; !slices.Equal(names, want) {
			t.Fatalf("sheets %v, want %v", names, want)
		}
	})
	t.Run("the Timing sheet shows sessions and conversions by local hour and weekday", func(t *testing.T) {
		for _, s := range one(t, "AWS::QuickSight::Dashboard")["Definition"].(map[string]any)["Sheets"].([]any) {
			if s.(map[string]any)["SheetId"] != TimingSheet {
				continue
			}
			visuals, _ := json.Marshal(s.(map[string]any)["Visuals"])
			for _, want := range []string{`"ColumnName":"local_hour"`, `"ColumnName":"local_day_of_week"`, `"ColumnName":"conversions"`, `"NumericalDimensionField"`} {
				if !strings.Contains(string(visuals), want) {
					t.Errorf("Timing visuals have no %s: %s", want, visuals)
				}
			}
			return
		}
		t.Fatal("no Timing sheet")
	})
	t.Run("the date pickers and the Timing sheet name the reporting time zone", func(t *testing.T) {
		for _, c := range []struct {
			template assertions.Template
			zone     string
		}{{spiceTemplate, "UTC"}, {directTemplate, "Asia/Seoul"}} {
			text, _ := json.Marshal(c.template.ToJSON())
			for _, want := range []string{`"Title":"Start date (` + c.zone + `)"`, `"Title":"End date (` + c.zone + `)"`, `of the sessions' start, in ` + c.zone + `.`, `"PlainText":"Sessions and conversions by hour (` + c.zone + `)"`} {
				if !strings.Contains(string(text), want) {
					t.Errorf("no %s in the %s template", want, c.zone)
				}
			}
		}
	})
}

func TestDirectQuery(t *testing.T) {
	t.Run("DIRECT_QUERY datasets have no refresh schedule and no ingestion policy", func(t *testing.T) {
		directTemplate.ResourceCountIs(jsii.String("AWS::QuickSight::RefreshSchedule"), jsii.Number(0))
		directTemplate.AllResourcesProperties(jsii.String("AWS::QuickSight::DataSet"), obj(map[string]any{
			"ImportMode":          config.ImportModeDirectQuery,
			"IngestionWaitPolicy": assertions.Match_Absent(),
		}))
	})
	t.Run("IDs and names start with the resource prefix", func(t *testing.T) {
		directTemplate.HasResourceProperties(jsii.String("AWS::QuickSight::DataSet"), obj(map[string]any{"DataSetId": "analytics-dev-page-performance"}))
		directTemplate.HasResourceProperties(jsii.String("AWS::QuickSight::Dashboard"), obj(map[string]any{"DashboardId": "analytics-dev-clickstream"}))
		directTemplate.HasResourceProperties(jsii.String("AWS::QuickSight::Analysis"), obj(map[string]any{"AnalysisId": "analytics-dev-clickstream-analysis"}))
		directTemplate.HasResourceProperties(jsii.String("AWS::QuickSight::DataSource"), obj(map[string]any{"DataSourceId": "analytics-dev-athena"}))
	})
	t.Run("an explicit date range is respected", func(t *testing.T) {
		directTemplate.HasResourceProperties(jsii.String("AWS::QuickSight::Dashboard"), obj(map[string]any{
			"Definition": obj(map[string]any{"ParameterDeclarations": assertions.Match_ArrayWith(&[]any{
				obj(map[string]any{"DateTimeParameterDeclaration": obj(map[string]any{
					"Name":          StartDateParameter,
					"DefaultValues": map[string]any{"RollingDate": map[string]any{"Expression": "addDateTime(-7, 'DD', truncDate('DD', now()))"}},
				})}),
			})}),
		}))
	})
}

func TestNag(t *testing.T) {
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, spiceQuickSight)
	})
}

func TestValidate(t *testing.T) {
	valid := func() Props {
		return Props{
			ResourcePrefix: jsii.String("clickstream-prod"), WorkGroup: fakeWorkGroup{}, Catalog: fakeCatalog{},
			Owners: []string{owner}, Viewers: []string{viewer},
		}.withDefaults()
	}
	cases := []struct {
		name   string
		change func(*Props)
		want   string // "" means valid
	}{
		{"defaults are valid", func(*Props) {}, ""},
		{"an owner in another identity region is valid", func(p *Props) {
			p.Owners = []string{"arn:aws:quicksight:eu-central-1:123456789012:user/default/alice@example.com"}
		}, ""},
		{"a namespaced group is valid", func(p *Props) {
			p.Owners = []string{"arn:aws:quicksight:us-east-1:123456789012:group/marketing/analysts"}
		}, ""},
		{"the prefix is required", func(p *Props) { p.ResourcePrefix = nil }, "quicksight: ResourcePrefix: required"},
		{"the prefix must be an ID", func(p *Props) { p.ResourcePrefix = jsii.String("Click Stream") }, `ResourcePrefix: got "Click Stream"`},
		{"a workgroup is required", func(p *Props) { p.WorkGroup = nil }, "WorkGroup: required"},
		{"a catalog is required", func(p *Props) { p.Catalog = nil }, "Catalog: required"},
		{"an owner is required", func(p *Props) { p.Owners = nil }, "Owners: got none"},
		{"an IAM ARN is not a QuickSight principal", func(p *Props) { p.Owners = []string{"arn:aws:iam::123456789012:user/alice"} },
			`Owners[0]: got "arn:aws:iam::123456789012:user/alice", must be a QuickSight user or group ARN`},
		{"a viewer needs a user or group ARN", func(p *Props) { p.Viewers = []string{owner, "analysts"} }, `Viewers[1]: got "analysts"`},
		{"a QuickSight ARN of another resource type is refused", func(p *Props) {
			p.Viewers = []string{"arn:aws:quicksight:us-east-1:123456789012:dashboard/abc"}
		}, "Viewers[0]"},
		{"at most 64 principals", func(p *Props) {
			for i := 0; i < MaxPrincipals; i++ {
				p.Viewers = append(p.Viewers, viewer)
			}
		}, "got 66 principals, QuickSight allows at most 64"},
		{"import mode is SPICE or DIRECT_QUERY", func(p *Props) { p.ImportMode = jsii.String("spice") }, `ImportMode: got "spice", must be SPICE or DIRECT_QUERY`},
		{"refresh time is HH:MM", func(p *Props) { p.RefreshTime = jsii.String("6am") }, `RefreshTime: got "6am"`},
		{"date range is positive", func(p *Props) { d := 0; p.DateRangeDays = &d }, "DateRangeDays: got 0"},
		{"time zone is an IANA name", func(p *Props) { p.ReportingTimeZone = jsii.String("KST") }, `ReportingTimeZone: got "KST", which is not in the IANA time zone database`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := valid()
			c.change(&p)
			err := p.validate()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
	t.Run("every problem is reported at once", func(t *testing.T) {
		err := Props{}.withDefaults().validate()
		for _, want := range []string{"ResourcePrefix", "WorkGroup", "Catalog", "Owners"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v lacks %s", err, want)
			}
		}
	})
	t.Run("defaults are applied on a copy", func(t *testing.T) {
		p := Props{}
		d := p.withDefaults()
		if p.ImportMode != nil || *d.ImportMode != config.DefaultQuickSightImportMode || *d.RefreshTime != config.DefaultQuickSightRefreshTime || *d.DateRangeDays != DefaultDateRangeDays {
			t.Fatalf("props %+v, defaulted %+v", p, d)
		}
	})
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "Owners", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("QuickSight"), &Props{ResourcePrefix: jsii.String("x1")})
		})
	})
}

// Stand-ins for validate(), which only checks that they are set.
type fakeWorkGroup struct{ WorkGroup }
type fakeCatalog struct{ Catalog }
