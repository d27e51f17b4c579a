package analytics

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/lakeformation"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

// One app for the package: the whole pipeline without QuickSight, named "shop-live", and the
// same under Lake Formation with an analyst given GrantQuery.
var (
	lake, governed             Analytics
	template, governedTemplate assertions.Template
	analyst                    awsiam.Role
	governedStack              awscdk.Stack
)

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Shop"), nil)
	lake = New(stack, jsii.String("Lake"), &Props{NamePrefix: jsii.String("shop-live")})
	governedStack = awscdk.NewStack(app, jsii.String("Governed"), nil)
	awscdk.Aspects_Of(governedStack).Add(nag.Checks(), nil)
	governed = New(governedStack, jsii.String("Lake"), &Props{NamePrefix: jsii.String("shop-live"), LakeFormation: jsii.Bool(true)})
	analyst = awsiam.NewRole(governedStack, jsii.String("Analyst"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	governed.WorkGroup().GrantQuery(analyst)
	// The whole tree is built before the first synthesis.
	template = assertions.Template_FromStack(stack, nil)
	governedTemplate = assertions.Template_FromStack(governedStack, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func hasName(t *testing.T, typ, path string, want any) {
	t.Helper()
	props := map[string]any{}
	cur := props
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next := map[string]any{}
		cur[p] = assertions.Match_ObjectLike(&next)
		cur = next
	}
	cur[parts[len(parts)-1]] = want
	template.HasResourceProperties(jsii.String(typ), assertions.Match_ObjectLike(&props))
}

func TestNames(t *testing.T) {
	for _, c := range []struct{ typ, path, want string }{
		{"AWS::Glue::Database", "DatabaseInput.Name", "shop_live"},
		{"AWS::Athena::WorkGroup", "Name", "shop-live"},
		{"AWS::Glue::SecurityConfiguration", "Name", "shop-live-" + GlueSecuritySuffix},
		{"AWS::Glue::Crawler", "Name", "shop-live-" + RawCrawlerSuffix},
		{"AWS::Glue::Job", "Name", "shop-live-" + EtlJobSuffix},
		{"AWS::Glue::Workflow", "Name", "shop-live-" + WorkflowSuffix},
		{"AWS::CloudWatch::Dashboard", "DashboardName", "shop-live-" + DashboardSuffix},
	} {
		t.Run(c.typ+" is named from the prefix", func(t *testing.T) { hasName(t, c.typ, c.path, c.want) })
	}
	t.Run("DatabaseName and ResourceName derive the names", func(t *testing.T) {
		if DatabaseName("shop-live") != "shop_live" || ResourceName("shop-live", "etl") != "shop-live-etl" {
			t.Fatal(DatabaseName("shop-live"), ResourceName("shop-live", "etl"))
		}
	})
}

func TestParts(t *testing.T) {
	t.Run("every part is exposed and QuickSight is off unless configured", func(t *testing.T) {
		if lake.Storage() == nil || lake.Catalog() == nil || lake.WorkGroup() == nil || lake.GlueSecurity() == nil ||
			lake.RawCrawler() == nil || lake.Job() == nil || lake.Workflow() == nil || lake.Alarms() == nil ||
			lake.DataAlarms() == nil || lake.Dashboard() == nil {
			t.Fatal("a part is missing")
		}
		if lake.QuickSight() != nil {
			t.Fatal("QuickSight created without QuickSightProps")
		}
		for _, typ := range []string{"AWS::QuickSight::DataSource", "AWS::QuickSight::DataSet", "AWS::QuickSight::Dashboard"} {
			template.ResourceCountIs(jsii.String(typ), jsii.Number(0))
		}
	})
	t.Run("the job publishes to the namespace the data alarms watch", func(t *testing.T) {
		if got := lake.Job().Arguments().MetricsNamespace; got != "shop-live/DataQuality" {
			t.Fatalf("namespace %s", got)
		}
		if got := *lake.DataAlarms().Metric("CuratedRecords", nil, nil).Namespace(); got != "shop-live/DataQuality" {
			t.Fatalf("alarm namespace %s", got)
		}
	})
	t.Run("stateful resources are retained by default", func(t *testing.T) {
		for _, typ := range []string{"AWS::S3::Bucket", "AWS::Glue::Database", "AWS::Glue::Table", "AWS::KMS::Key", "AWS::Athena::WorkGroup"} {
			for id, res := range *template.FindResources(jsii.String(typ), nil) {
				if (*res)["DeletionPolicy"] != "RetainExceptOnCreate" {
					t.Errorf("%s %s: DeletionPolicy %v", typ, id, (*res)["DeletionPolicy"])
				}
			}
		}
	})
	t.Run("children sit under their pinned construct IDs", func(t *testing.T) {
		for _, id := range []string{StorageID, CatalogID, AthenaID, GlueSecurityID, RawCrawlerID, EtlJobID, WorkflowID, AlarmsID, DataAlarmsID, DashboardID} {
			if lake.Node().TryFindChild(jsii.String(id)) == nil {
				t.Errorf("no child %s", id)
			}
		}
	})
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, lake)
	})
}

func TestLakeFormation(t *testing.T) {
	t.Run("off by default: no Lake Formation resource or action", func(t *testing.T) {
		if lake.LakeFormation() != nil {
			t.Fatal("LakeFormation() is set")
		}
		for _, typ := range []string{"AWS::LakeFormation::Resource", "AWS::LakeFormation::PrincipalPermissions"} {
			template.ResourceCountIs(jsii.String(typ), jsii.Number(0))
		}
		if strings.Contains(toJSON(template.ToJSON()), "lakeformation") {
			t.Fatal("the template names lakeformation")
		}
	})
	lf := governed.LakeFormation()
	if lf == nil {
		t.Fatal("LakeFormation() is nil with Props.LakeFormation true")
	}
	stack := governedStack
	id := func(c constructs.IConstruct) string {
		if cfn, ok := c.(awscdk.CfnElement); ok {
			return stack.Resolve(stack.GetLogicalId(cfn)).(string)
		}
		return stack.Resolve(stack.GetLogicalId(c.Node().DefaultChild().(awscdk.CfnElement))).(string)
	}
	arn := func(c constructs.IConstruct) map[string]any { return map[string]any{"Fn::GetAtt": []any{id(c), "Arn"}} }
	account := map[string]any{"Ref": "AWS::AccountId"}
	database := map[string]any{"Ref": id(governed.Catalog().Database())}
	// grants maps each principal's logical ID to its grants: resource JSON -> permissions JSON.
	grants := map[string]map[string]string{}
	for _, g := range *governedTemplate.FindResources(jsii.String("AWS::LakeFormation::PrincipalPermissions"), nil) {
		props := (*g)["Properties"].(map[string]any)
		principal := props["Principal"].(map[string]any)["DataLakePrincipalIdentifier"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
		if grants[principal] == nil {
			grants[principal] = map[string]string{}
		}
		grants[principal][toJSON(props["Resource"])] = toJSON(props["Permissions"])
	}
	t.Run("the raw and curated buckets are registered with the data-access role", func(t *testing.T) {
		storage := governed.Storage()
		for _, b := range []constructs.IConstruct{storage.RawBucket(), storage.CuratedBucket()} {
			governedTemplate.HasResourceProperties(jsii.String("AWS::LakeFormation::Resource"), assertions.Match_ObjectLike(&map[string]any{
				"ResourceArn": arn(b), "RoleArn": arn(lf.DataAccessRole()), "UseServiceLinkedRole": false,
			}))
		}
		governedTemplate.ResourceCountIs(jsii.String("AWS::LakeFormation::Resource"), jsii.Number(2))
	})
	t.Run("the crawler may create tables in the database pointing into the raw bucket", func(t *testing.T) {
		onDatabase := toJSON(map[string]any{"Database": map[string]any{"CatalogId": account, "Name": database}})
		onRaw := toJSON(map[string]any{"DataLocation": map[string]any{"CatalogId": account, "ResourceArn": arn(governed.Storage().RawBucket())}})
		want := map[string]string{onDatabase: `["CREATE_TABLE","DESCRIBE"]`, onRaw: `["DATA_LOCATION_ACCESS"]`}
		if got := grants[id(governed.RawCrawler().Role())]; toJSON(got) != toJSON(want) {
			t.Fatalf("got %v\nwant %v", got, want)
		}
	})
	t.Run("a GrantQuery grantee reads the database and each curated table, by name", func(t *testing.T) {
		want := map[string]string{
			toJSON(map[string]any{"Database": map[string]any{"CatalogId": account, "Name": database}}): toJSON(lakeformation.ReadDatabasePermissions),
		}
		for _, table := range contract.Tables() {
			key := toJSON(map[string]any{"Table": map[string]any{"CatalogId": account, "DatabaseName": database,
				"Name": map[string]any{"Ref": id(governed.Catalog().Table(table.Name))}}})
			want[key] = toJSON(lakeformation.ReadTablePermissions)
		}
		if got := grants[id(analyst)]; toJSON(got) != toJSON(want) {
			t.Fatalf("got %v\nwant %v", got, want)
		}
	})
	t.Run("no one else is granted, the ETL job included", func(t *testing.T) {
		if len(grants) != 2 {
			t.Fatalf("principals with grants: %v", grants)
		}
		if _, ok := grants[id(governed.Job().Role())]; ok {
			t.Fatal("the ETL job has a Lake Formation grant")
		}
	})
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, governed)
	})
}

func toJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(data)
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name  string
		props Props
		want  string
	}{
		{"missing prefix", Props{}, "analytics: NamePrefix: required, must be 2-40 lower-case letters"},
		{"bad prefix", Props{NamePrefix: jsii.String("Shop_Live")}, `analytics: NamePrefix: got "Shop_Live"`},
		{"snapshot", Props{NamePrefix: jsii.String("shop"), RemovalPolicy: awscdk.RemovalPolicy_SNAPSHOT}, "analytics: RemovalPolicy: got SNAPSHOT"},
		{"quicksight without owners", Props{NamePrefix: jsii.String("shop"), QuickSight: &QuickSightProps{}}, "analytics: QuickSight.Owners: got none"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.props.withDefaults().validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("withDefaults does not modify the caller's props", func(t *testing.T) {
		p := Props{NamePrefix: jsii.String("shop")}
		if _ = p.withDefaults(); p.RemovalPolicy != "" {
			t.Fatalf("caller's props changed: %+v", p)
		}
	})
	t.Run("New panics on invalid props, including a part's", func(t *testing.T) {
		constructtest.Panics(t, "analytics: NamePrefix: required", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("Lake"), nil)
		})
		workers := 1
		constructtest.Panics(t, "etljob: MaxWorkers: got 1", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("Lake"),
				&Props{NamePrefix: jsii.String("shop"), Glue: GlueProps{MaxWorkers: &workers}})
		})
	})
}
