package catalog

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/lakeformation"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
)

var (
	defaultTemplate, optionsTemplate, lfTemplate assertions.Template
	defaultCatalog, lfCatalog                    Catalog
	readGrant, lfReadGrant                       awsiam.Grant
)

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	newStack := func(id string) (awscdk.Stack, awss3.Bucket) {
		stack := awscdk.NewStack(app, jsii.String(id), nil)
		key := awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
		bucket := awss3.NewBucket(stack, jsii.String("Curated"), &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS, EncryptionKey: key})
		return stack, bucket
	}
	defaults, curated := newStack("Defaults")
	defaultCatalog = New(defaults, jsii.String("Catalog"), &Props{DatabaseName: jsii.String("clickstream_dev"), CuratedBucket: curated})
	reader := awsiam.NewRole(defaults, jsii.String("Reader"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("athena.amazonaws.com"), nil)})
	readGrant = defaultCatalog.GrantRead(reader)

	options, curated2 := newStack("Options")
	New(options, jsii.String("Catalog"), &Props{DatabaseName: jsii.String("shop_prod"), CuratedBucket: curated2,
		ProjectionStartDate: jsii.String("2024-06-01"), ReportingTimeZone: jsii.String("Asia/Seoul"), RemovalPolicy: awscdk.RemovalPolicy_DESTROY})

	governed, curated3 := newStack("LakeFormation")
	lf := lakeformation.New(governed, jsii.String("LakeFormation"), &lakeformation.Props{Locations: []awss3.IBucket{curated3}})
	lfCatalog = New(governed, jsii.String("Catalog"), &Props{DatabaseName: jsii.String("clickstream_staging"), CuratedBucket: curated3, LakeFormation: lf})
	lfReader := awsiam.NewRole(governed, jsii.String("Reader"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("athena.amazonaws.com"), nil)})
	lfReadGrant = lfCatalog.GrantRead(lfReader)

	defaultTemplate = assertions.Template_FromStack(defaults, nil)
	optionsTemplate = assertions.Template_FromStack(options, nil)
	lfTemplate = assertions.Template_FromStack(governed, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func tableInput(t *testing.T, tpl assertions.Template, name string) map[string]any {
	t.Helper()
	for _, res := range *tpl.FindResources(jsii.String("AWS::Glue::Table"), nil) {
		in := (*res)["Properties"].(map[string]any)["TableInput"].(map[string]any)
		if in["Name"] == name {
			return in
		}
	}
	t.Fatalf("no table %s", name)
	return nil
}

func TestDatabase(t *testing.T) {
	t.Run("is named from props", func(t *testing.T) {
		defaultTemplate.HasResourceProperties(jsii.String("AWS::Glue::Database"), assertions.Match_ObjectLike(&map[string]any{
			"DatabaseInput": assertions.Match_ObjectLike(&map[string]any{"Name": "clickstream_dev"}),
		}))
	})
	t.Run("database and tables are retained by default", func(t *testing.T) {
		for _, typ := range []string{"AWS::Glue::Database", "AWS::Glue::Table"} {
			for id, res := range *defaultTemplate.FindResources(jsii.String(typ), nil) {
				if (*res)["DeletionPolicy"] != "RetainExceptOnCreate" || (*res)["UpdateReplacePolicy"] != "Retain" {
					t.Errorf("%s: %v / %v", id, (*res)["DeletionPolicy"], (*res)["UpdateReplacePolicy"])
				}
			}
		}
	})
	t.Run("destroy removes database and tables", func(t *testing.T) {
		for _, typ := range []string{"AWS::Glue::Database", "AWS::Glue::Table"} {
			for id, res := range *optionsTemplate.FindResources(jsii.String(typ), nil) {
				if (*res)["DeletionPolicy"] != "Delete" {
					t.Errorf("%s: %v", id, (*res)["DeletionPolicy"])
				}
			}
		}
	})
}

func TestCuratedTables(t *testing.T) {
	defaultTemplate.ResourceCountIs(jsii.String("AWS::Glue::Table"), jsii.Number(len(contract.Tables())))
	for _, table := range contract.Tables() {
		in := tableInput(t, defaultTemplate, table.Name)
		sd := in["StorageDescriptor"].(map[string]any)
		params := in["Parameters"].(map[string]any)
		key := table.PartitionKey.Name
		t.Run(table.Name+" columns and types equal the contract", func(t *testing.T) {
			cols := sd["Columns"].([]any)
			if len(cols) != len(table.Columns) {
				t.Fatalf("got %d columns, want %d", len(cols), len(table.Columns))
			}
			for i, c := range table.Columns {
				got := cols[i].(map[string]any)
				if got["Name"] != c.Name || got["Type"] != c.Type {
					t.Errorf("column %d: got %v %v, want %s %s", i, got["Name"], got["Type"], c.Name, c.Type)
				}
			}
		})
		t.Run(table.Name+" is partitioned by its date column", func(t *testing.T) {
			pk := in["PartitionKeys"].([]any)
			if len(pk) != 1 || pk[0].(map[string]any)["Name"] != key || pk[0].(map[string]any)["Type"] != "date" {
				t.Fatalf("got %v", pk)
			}
		})
		t.Run(table.Name+" is parquet with the contract's codec", func(t *testing.T) {
			if sd["InputFormat"] != "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat" ||
				!strings.Contains(toJSON(sd["SerdeInfo"]), "ParquetHiveSerDe") || params["parquet.compression"] != contract.ParquetCompression ||
				params["classification"] != "parquet" {
				t.Fatalf("storage %v params %v", sd, params)
			}
		})
		t.Run(table.Name+" projects date partitions up to the day after tomorrow (local dates ahead of UTC)", func(t *testing.T) {
			want := map[string]string{
				"projection.enabled":            "true",
				"projection." + key + ".type":   "date",
				"projection." + key + ".format": contract.PartitionDateFormat,
				"projection." + key + ".range":  DefaultProjectionStartDate + "," + ProjectionEnd,
			}
			for k, v := range want {
				if params[k] != v {
					t.Errorf("%s = %v, want %s", k, params[k], v)
				}
			}
		})
		t.Run(table.Name+" has a storage location template under its prefix", func(t *testing.T) {
			tmpl := toJSON(params["storage.location.template"])
			if !strings.Contains(tmpl, "/"+table.Prefix+key+"=${"+key+"}/") {
				t.Fatalf("got %s", tmpl)
			}
			if !strings.Contains(toJSON(sd["Location"]), "/"+table.Prefix) {
				t.Fatalf("location %s", toJSON(sd["Location"]))
			}
		})
	}
	t.Run("Table returns each table by name, under the construct ID derived from its name", func(t *testing.T) {
		// The pinned IDs of the tables deployed before IDs were derived (test/testdata pins
		// their logical IDs too).
		pinned := map[string]string{contract.EventsTable: "EventsTable", contract.SessionsTable: "SessionsTable",
			contract.QuarantineTable: "QuarantineTable", contract.DailyTrafficTable: "DailyTrafficTable",
			contract.DailyPagesTable: "DailyPagesTable", contract.DailyJourneysTable: "DailyJourneysTable"}
		for _, ct := range contract.Tables() {
			table := defaultCatalog.Table(ct.Name)
			logicalID := *table.Stack().GetLogicalId(table.Node().DefaultChild().(awscdk.CfnElement))
			in := (*defaultTemplate.ToJSON())["Resources"].(map[string]any)[logicalID].(map[string]any)["Properties"].(map[string]any)["TableInput"].(map[string]any)
			if id := *table.Node().Id(); id != TableID(ct.Name) || in["Name"] != ct.Name {
				t.Errorf("%s: construct ID %s, table %v", ct.Name, id, in["Name"])
			}
			if want, ok := pinned[ct.Name]; ok && TableID(ct.Name) != want {
				t.Errorf("%s: TableID %s, pinned %s", ct.Name, TableID(ct.Name), want)
			}
		}
	})
	t.Run("Table panics on a name the contract does not declare", func(t *testing.T) {
		constructtest.Panics(t, `catalog: Table: got "clicks", must be a curated table of the contract: events, sessions`, func() {
			defaultCatalog.Table("clicks")
		})
	})
	t.Run("Tables lists every curated table in contract order", func(t *testing.T) {
		tables := defaultCatalog.Tables()
		if len(tables) != len(contract.Tables()) {
			t.Fatalf("got %d tables, contract has %d", len(tables), len(contract.Tables()))
		}
		for i, want := range contract.Tables() {
			if id := *tables[i].Node().Id(); id != TableID(want.Name) {
				t.Errorf("table %d: got %s, want %s", i, id, TableID(want.Name))
			}
		}
	})
	t.Run("local dates and hours name the reporting time zone, timestamps stay UTC", func(t *testing.T) {
		for _, c := range []struct {
			template assertions.Template
			zone     string
		}{{defaultTemplate, "UTC"}, {optionsTemplate, "Asia/Seoul"}} {
			in, zone := tableInput(t, c.template, contract.EventsTable), c.zone
			pk := in["PartitionKeys"].([]any)[0].(map[string]any)
			if want := "date of event_ts in the reporting time zone (" + zone + ")"; pk["Comment"] != want {
				t.Errorf("event_date comment %q, want %q", pk["Comment"], want)
			}
			comments := map[string]any{}
			for _, c := range in["StorageDescriptor"].(map[string]any)["Columns"].([]any) {
				comments[c.(map[string]any)["Name"].(string)] = c.(map[string]any)["Comment"]
			}
			if comments["event_ts"] != "event time in UTC" || comments[contract.LocalHourColumn] != "hour of day (0-23) of event_ts in the reporting time zone ("+zone+")" {
				t.Errorf("comments %v", comments)
			}
		}
	})
	t.Run("projection ends two days after Athena's UTC now: a day of future tolerance and a local date ahead of UTC", func(t *testing.T) {
		if ProjectionEnd != "NOW+2DAYS" {
			t.Fatalf("ProjectionEnd %s", ProjectionEnd)
		}
	})
	t.Run("projection start date from props", func(t *testing.T) {
		in := tableInput(t, optionsTemplate, contract.EventsTable)
		if got := in["Parameters"].(map[string]any)["projection.event_date.range"]; got != "2024-06-01,"+ProjectionEnd {
			t.Fatalf("got %v", got)
		}
	})
}

func TestGrantRead(t *testing.T) {
	policy := assertions.NewCapture(nil)
	defaultTemplate.HasResourceProperties(jsii.String("AWS::IAM::Policy"), assertions.Match_ObjectLike(&map[string]any{
		"PolicyDocument": assertions.Match_ObjectLike(&map[string]any{"Statement": policy}),
	}))
	all := toJSON(policy.AsArray())
	wants := []string{"glue:GetTable", "glue:GetPartitions", "glue:GetDatabase", "s3:GetObject", "kms:Decrypt"}
	for _, table := range contract.Tables() {
		wants = append(wants, "/"+table.Prefix+"*")
	}
	for _, want := range wants {
		t.Run("grants "+want, func(t *testing.T) {
			if !strings.Contains(all, want) {
				t.Fatalf("%s missing from %s", want, all)
			}
		})
	}
	t.Run("the returned grant holds the GetDatabase statement too", func(t *testing.T) {
		var actions []string
		for _, st := range *readGrant.PrincipalStatements() {
			for _, a := range *st.Actions() {
				actions = append(actions, *a)
			}
		}
		if !slices.Contains(actions, "glue:GetDatabase") || !slices.Contains(actions, "glue:GetTable") {
			t.Fatalf("grant statements' actions: %v", actions)
		}
	})
	// Glue authorizes table reads against the catalog and the database too.
	t.Run("table reads cover the catalog and the database", func(t *testing.T) {
		for _, raw := range *policy.AsArray() {
			statement := raw.(map[string]any)
			resources := toJSON(statement["Resource"])
			if !strings.Contains(resources, `:catalog"`) || !strings.Contains(resources, ":database/") {
				continue
			}
			actions := toJSON(statement["Action"])
			for _, want := range append([]string{"glue:GetDatabase"}, TableReadActions...) {
				if !strings.Contains(actions, `"`+want+`"`) {
					t.Errorf("%s missing on the catalog and database: %s", want, actions)
				}
			}
			return
		}
		t.Fatalf("no statement on the catalog and database ARNs in %s", all)
	})
	t.Run("grants no write", func(t *testing.T) {
		for _, bad := range []string{"s3:PutObject", "s3:DeleteObject", "glue:UpdateTable", "glue:CreateTable", "\"*\""} {
			if strings.Contains(all, bad) {
				t.Errorf("%s in %s", bad, all)
			}
		}
	})
}

func TestGrantReadWithLakeFormation(t *testing.T) {
	grants := lfTemplate.FindResources(jsii.String("AWS::LakeFormation::PrincipalPermissions"), nil)
	granted := map[string]string{} // resource -> permissions
	for _, g := range *grants {
		props := (*g)["Properties"].(map[string]any)
		granted[toJSON(props["Resource"])] = toJSON(props["Permissions"])
	}
	database := lfCatalog.Node().FindChild(jsii.String(DatabaseID)).Node().DefaultChild().(awscdk.CfnElement)
	ref := func(e awscdk.CfnElement) map[string]any {
		return map[string]any{"Ref": awscdk.Stack_Of(e).Resolve(awscdk.Stack_Of(e).GetLogicalId(e))}
	}
	account := map[string]any{"Ref": "AWS::AccountId"}
	t.Run("DESCRIBE on the database", func(t *testing.T) {
		key := toJSON(map[string]any{"Database": map[string]any{"CatalogId": account, "Name": ref(database)}})
		if granted[key] != `["DESCRIBE"]` {
			t.Fatalf("got %q for %s in %v", granted[key], key, granted)
		}
	})
	for _, table := range contract.Tables() {
		t.Run("SELECT and DESCRIBE on "+table.Name, func(t *testing.T) {
			cfn := lfCatalog.Table(table.Name).Node().DefaultChild().(awscdk.CfnElement)
			key := toJSON(map[string]any{"Table": map[string]any{"CatalogId": account, "DatabaseName": ref(database), "Name": ref(cfn)}})
			if granted[key] != `["DESCRIBE","SELECT"]` {
				t.Fatalf("got %q for %s", granted[key], key)
			}
		})
	}
	t.Run("one grant per curated table and the database, none other", func(t *testing.T) {
		if len(granted) != len(contract.Tables())+1 {
			t.Fatalf("got %d grants: %v", len(granted), granted)
		}
	})
	t.Run("the returned grant holds GetDataAccess besides the IAM table reads", func(t *testing.T) {
		var actions []string
		for _, st := range *lfReadGrant.PrincipalStatements() {
			for _, a := range *st.Actions() {
				actions = append(actions, *a)
			}
		}
		if !slices.Contains(actions, lakeformation.DataAccessAction) || !slices.Contains(actions, "glue:GetTable") {
			t.Fatalf("grant statements' actions: %v", actions)
		}
	})
	t.Run("without Props.LakeFormation GrantRead creates no Lake Formation grant", func(t *testing.T) {
		defaultTemplate.ResourceCountIs(jsii.String("AWS::LakeFormation::PrincipalPermissions"), jsii.Number(0))
		if strings.Contains(toJSON(defaultTemplate.ToJSON()), "lakeformation:") {
			t.Fatal("an IAM policy names a lakeformation action")
		}
	})
}

func TestValidate(t *testing.T) {
	cases := map[string]struct {
		props Props
		want  string
	}{
		"missing database name": {Props{}, "DatabaseName: required"},
		"hyphenated name":       {Props{DatabaseName: jsii.String("click-stream")}, `DatabaseName: got "click-stream", must start with a letter`},
		"upper case name":       {Props{DatabaseName: jsii.String("Clicks")}, `DatabaseName: got "Clicks"`},
		"missing bucket":        {Props{DatabaseName: jsii.String("ok")}, "CuratedBucket: required"},
		"bad projection start":  {Props{ProjectionStartDate: jsii.String("2024/01/01")}, `ProjectionStartDate: got "2024/01/01", must be a date yyyy-MM-dd`},
		"unknown time zone":     {Props{ReportingTimeZone: jsii.String("Mars/Olympus")}, `ReportingTimeZone: got "Mars/Olympus", which is not in the IANA time zone database`},
		"unsupported removal":   {Props{RemovalPolicy: awscdk.RemovalPolicy_SNAPSHOT}, "RemovalPolicy: got SNAPSHOT, must be RETAIN_ON_UPDATE_OR_DELETE, RETAIN or DESTROY"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			err := c.props.withDefaults().validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "catalog: DatabaseName: required", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("Catalog"), nil)
		})
	})
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
