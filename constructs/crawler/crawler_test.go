package crawler

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

// One app for the package: a jsii runtime and a synth per test would multiply the run time.
var (
	defaultTemplate, optionsTemplate assertions.Template
	defaultStack                     awscdk.Stack
	defaultCrawler                   Crawler
)

func newStack(app awscdk.App, name string, props func(*Props)) (awscdk.Stack, Crawler) {
	stack := awscdk.NewStack(app, jsii.String(name), nil)
	key := awskms.NewKey(stack, jsii.String("LakeKey"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
	raw := awss3.NewBucket(stack, jsii.String("Raw"), &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS, EncryptionKey: key, EnforceSSL: jsii.Bool(true)})
	db := awsglue.NewDatabase(stack, jsii.String("Database"), &awsglue.DatabaseProps{DatabaseName: jsii.String("lake_dev")})
	security := gluesecurity.New(stack, jsii.String("Security"), &gluesecurity.Props{SecurityConfigurationName: jsii.String("lake-dev-security"), EncryptionKey: key})
	p := &Props{CrawlerName: jsii.String("lake-dev-raw"), Database: db, RawBucket: raw, Security: security}
	if props != nil {
		props(p)
	}
	return stack, New(stack, jsii.String("RawCrawler"), p)
}

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	defaultStack, defaultCrawler = newStack(app, "Defaults", nil)
	defaultCrawler.OnFailure(jsii.String("Failed"), nil)
	awscdk.Aspects_Of(defaultStack).Add(nag.Checks(), nil)
	optionsStack, _ := newStack(app, "Options", func(p *Props) {
		p.RawPrefix = jsii.String("landing/web/")
		p.TablePrefix = jsii.String("landing_")
		p.Exclusions = jsii.Strings("**/_SUCCESS")
	})
	defaultTemplate = assertions.Template_FromStack(defaultStack, nil)
	optionsTemplate = assertions.Template_FromStack(optionsStack, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func obj(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

func crawlerProps(t *testing.T, tpl assertions.Template) map[string]any {
	t.Helper()
	for _, res := range *tpl.FindResources(jsii.String("AWS::Glue::Crawler"), nil) {
		return (*res)["Properties"].(map[string]any)
	}
	t.Fatal("no crawler")
	return nil
}

// statements returns the crawler role's policy statements.
func statements(t *testing.T, tpl assertions.Template) []map[string]any {
	t.Helper()
	var out []map[string]any
	for id, res := range *tpl.FindResources(jsii.String("AWS::IAM::Policy"), nil) {
		if !strings.HasPrefix(id, "RawCrawlerRole") {
			continue
		}
		for _, s := range (*res)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			out = append(out, s.(map[string]any))
		}
	}
	if len(out) == 0 {
		t.Fatal("the crawler role has no policy")
	}
	return out
}

// actionsOn lists the actions granted on resources whose JSON contains fragment.
func actionsOn(stmts []map[string]any, fragment string) []string {
	var out []string
	for _, s := range stmts {
		if !strings.Contains(toJSON(s["Resource"]), fragment) {
			continue
		}
		switch a := s["Action"].(type) {
		case string:
			out = append(out, a)
		case []any:
			for _, x := range a {
				out = append(out, x.(string))
			}
		}
	}
	return out
}

func TestDefaults(t *testing.T) {
	props := crawlerProps(t, defaultTemplate)
	t.Run("is named from props and writes into the database", func(t *testing.T) {
		defaultTemplate.HasResourceProperties(jsii.String("AWS::Glue::Crawler"), obj(map[string]any{
			"Name": "lake-dev-raw", "DatabaseName": map[string]any{"Ref": "DatabaseB269D8BB"},
		}))
	})
	t.Run("crawls only the raw events prefix", func(t *testing.T) {
		targets := props["Targets"].(map[string]any)["S3Targets"].([]any)
		path := toJSON(targets[0].(map[string]any)["Path"])
		if len(targets) != 1 || path != `{"Fn::Join":["",["s3://",{"Ref":"Raw72517081"},"/`+lakestorage.RawEventsPrefix+`"]]}` {
			t.Fatalf("targets %s", toJSON(targets))
		}
	})
	t.Run("excludes markers, checksums, temporary and metadata files", func(t *testing.T) {
		got := props["Targets"].(map[string]any)["S3Targets"].([]any)[0].(map[string]any)["Exclusions"]
		if toJSON(got) != toJSON(DefaultExclusions) {
			t.Fatalf("exclusions %v", got)
		}
		for _, must := range []string{"**/_SUCCESS", "**/*.crc", "**/_temporary/**", "**/*_$folder$", "**/*.metadata"} {
			if !strings.Contains(toJSON(got), must) {
				t.Errorf("no exclusion %s", must)
			}
		}
	})
	t.Run("names its tables with the raw prefix", func(t *testing.T) {
		if props["TablePrefix"] != DefaultTablePrefix || *defaultCrawler.TableName() != "raw_events" {
			t.Fatalf("table prefix %v, table %s", props["TablePrefix"], *defaultCrawler.TableName())
		}
	})
	t.Run("recrawls new folders only", func(t *testing.T) {
		if toJSON(props["RecrawlPolicy"]) != `{"RecrawlBehavior":"`+RecrawlBehavior+`"}` || RecrawlBehavior != "CRAWL_NEW_FOLDERS_ONLY" {
			t.Fatalf("recrawl policy %v", props["RecrawlPolicy"])
		}
	})
	t.Run("logs schema changes and deletions instead of applying them", func(t *testing.T) {
		if toJSON(props["SchemaChangePolicy"]) != `{"DeleteBehavior":"LOG","UpdateBehavior":"LOG"}` {
			t.Fatalf("schema change policy %v", props["SchemaChangePolicy"])
		}
	})
	t.Run("groups every partition folder into one table", func(t *testing.T) {
		var cfg map[string]any
		if err := json.Unmarshal([]byte(props["Configuration"].(string)), &cfg); err != nil {
			t.Fatal(err)
		}
		g := cfg["Grouping"].(map[string]any)
		if g["TableGroupingPolicy"] != TableGroupingPolicy || g["TableLevelConfiguration"] != float64(TableLevel) || TableLevel != 2 {
			t.Fatalf("grouping %v", g)
		}
		if toJSON(cfg["CrawlerOutput"]) != `{"Partitions":{"AddOrUpdateBehavior":"InheritFromTable"}}` {
			t.Fatalf("crawler output %v", cfg["CrawlerOutput"])
		}
	})
	t.Run("uses the security configuration", func(t *testing.T) {
		if toJSON(props["CrawlerSecurityConfiguration"]) != `{"Ref":"Security68A5DA22"}` {
			t.Fatalf("security configuration %v", props["CrawlerSecurityConfiguration"])
		}
	})
	t.Run("runs only on demand: the workflow schedules it", func(t *testing.T) {
		if props["Schedule"] != nil {
			t.Fatalf("schedule %v", props["Schedule"])
		}
	})
	t.Run("is created after its role's policy", func(t *testing.T) {
		defaultTemplate.HasResource(jsii.String("AWS::Glue::Crawler"), obj(map[string]any{"DependsOn": []any{"RawCrawlerRoleDefaultPolicy30344362"}}))
	})
	t.Run("on failure rule matches this crawler's failed state", func(t *testing.T) {
		defaultTemplate.HasResourceProperties(jsii.String("AWS::Events::Rule"), obj(map[string]any{"EventPattern": map[string]any{
			"source": []any{"aws.glue"}, "detail-type": []any{"Glue Crawler State Change"},
			"detail": map[string]any{"crawlerName": []any{map[string]any{"Ref": "RawCrawler98547A96"}}, "state": []any{"Failed"}},
		}}))
	})
}

func TestRole(t *testing.T) {
	stmts := statements(t, defaultTemplate)
	t.Run("is assumed by Glue only", func(t *testing.T) {
		defaultTemplate.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj(map[string]any{"AssumeRolePolicyDocument": obj(map[string]any{
			"Statement": []any{obj(map[string]any{"Principal": map[string]any{"Service": "glue.amazonaws.com"}})},
		})}))
	})
	t.Run("has no managed policies", func(t *testing.T) {
		for id, res := range *defaultTemplate.FindResources(jsii.String("AWS::IAM::Role"), nil) {
			if mp := (*res)["Properties"].(map[string]any)["ManagedPolicyArns"]; mp != nil {
				t.Errorf("%s: managed policies %v", id, mp)
			}
		}
	})
	t.Run("no action is a service wildcard", func(t *testing.T) {
		for _, s := range stmts {
			for _, a := range strings.Split(strings.Trim(toJSON(s["Action"]), `[]`), ",") {
				if a == `"*"` || strings.HasSuffix(a, `:*"`) {
					t.Errorf("wildcard action %s", a)
				}
			}
			if toJSON(s["Resource"]) == `"*"` {
				t.Errorf("resource * in %s", toJSON(s))
			}
		}
	})
	t.Run("reads only the raw bucket's events prefix", func(t *testing.T) {
		objects := actionsOn(stmts, `"/events/*"`)
		if !strings.Contains(toJSON(objects), "s3:GetObject*") {
			t.Fatalf("object actions %v", objects)
		}
		for _, s := range stmts {
			res := toJSON(s["Resource"])
			if strings.Contains(toJSON(s["Action"]), "s3:") && !strings.Contains(res, "Raw72517081") {
				t.Errorf("S3 outside the raw bucket: %s", toJSON(s))
			}
			if strings.Contains(toJSON(s["Action"]), "s3:Put") || strings.Contains(toJSON(s["Action"]), "s3:Delete") {
				t.Errorf("S3 write: %s", toJSON(s))
			}
		}
	})
	t.Run("decrypts with the lake key only", func(t *testing.T) {
		if got := actionsOn(stmts, "LakeKey"); toJSON(got) != `["kms:Decrypt","kms:DescribeKey"]` {
			t.Fatalf("key actions %v", got)
		}
	})
	t.Run("writes only tables with its prefix", func(t *testing.T) {
		writes := []string{"glue:CreateTable", "glue:UpdateTable", "glue:BatchCreatePartition", "glue:UpdatePartition"}
		for _, s := range stmts {
			acts, res := toJSON(s["Action"]), toJSON(s["Resource"])
			for _, w := range writes {
				if !strings.Contains(acts, w+`"`) {
					continue
				}
				if !strings.Contains(res, `"/raw_*"`) || strings.Contains(res, `"/*"`) {
					t.Errorf("%s on %s", w, res)
				}
			}
		}
		if !strings.Contains(toJSON(actionsOn(stmts, `"/raw_*"`)), "glue:CreateTable") {
			t.Fatal("cannot create the raw table")
		}
	})
	t.Run("never deletes tables or partitions", func(t *testing.T) {
		for _, s := range stmts {
			if a := toJSON(s["Action"]); strings.Contains(a, "glue:Delete") || strings.Contains(a, "glue:BatchDelete") {
				t.Errorf("delete: %s", a)
			}
		}
	})
	t.Run("writes only crawler log groups", func(t *testing.T) {
		if got := actionsOn(stmts, ":log-group:/aws-glue/crawlers*"); !strings.Contains(toJSON(got), "logs:AssociateKmsKey") {
			t.Fatalf("log actions %v", got)
		}
	})
}

func TestOptions(t *testing.T) {
	props := crawlerProps(t, optionsTemplate)
	t.Run("crawls the configured prefix", func(t *testing.T) {
		if !strings.Contains(toJSON(props["Targets"]), `"/landing/web/"`) {
			t.Fatalf("targets %v", props["Targets"])
		}
	})
	t.Run("table prefix and exclusions from props", func(t *testing.T) {
		if props["TablePrefix"] != "landing_" || toJSON(props["Targets"].(map[string]any)["S3Targets"].([]any)[0].(map[string]any)["Exclusions"]) != `["**/_SUCCESS"]` {
			t.Fatalf("props %v", props)
		}
	})
	t.Run("role writes only tables with the configured prefix", func(t *testing.T) {
		if !strings.Contains(toJSON(actionsOn(statements(t, optionsTemplate), `"/landing_*"`)), "glue:CreateTable") {
			t.Fatal("no write on landing_*")
		}
	})
}

func TestValidate(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Validate"), nil)
	db := awsglue.Database_FromDatabaseArn(stack, jsii.String("Db"), jsii.String("arn:aws:glue:eu-west-1:123456789012:database/x"))
	bucket := awss3.Bucket_FromBucketName(stack, jsii.String("B"), jsii.String("raw-bucket"))
	base := func() Props { return Props{CrawlerName: jsii.String("c"), Database: db, RawBucket: bucket} }
	cases := []struct {
		name   string
		mutate func(*Props)
		want   string
	}{
		{"missing name", func(p *Props) { p.CrawlerName = nil }, "crawler: CrawlerName: required"},
		{"invalid name", func(p *Props) { p.CrawlerName = jsii.String("a b") }, `CrawlerName: got "a b"`},
		{"missing security", func(p *Props) {}, "crawler: Security: required"},
		{"prefix with leading slash", func(p *Props) { p.RawPrefix = jsii.String("/events/") }, `RawPrefix: got "/events/"`},
		{"prefix without trailing slash", func(p *Props) { p.RawPrefix = jsii.String("events") }, `RawPrefix: got "events"`},
		{"upper-case table prefix", func(p *Props) { p.TablePrefix = jsii.String("Raw_") }, `TablePrefix: got "Raw_"`},
		{"no exclusions", func(p *Props) { p.Exclusions = &[]*string{} }, "Exclusions: got an empty list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base()
			c.mutate(&p)
			if err := p.withDefaults().validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("withDefaults does not modify the caller's props", func(t *testing.T) {
		p := Props{}
		_ = p.withDefaults()
		if p.RawPrefix != nil || p.TablePrefix != nil || p.Exclusions != nil {
			t.Fatalf("caller's props changed: %+v", p)
		}
	})
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "CrawlerName: required", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("C"), nil)
		})
	})
}

func TestNag(t *testing.T) {
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, defaultCrawler)
	})
}
