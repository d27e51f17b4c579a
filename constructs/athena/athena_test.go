package athena

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/sql"
)

var defaultTemplate, optionsTemplate assertions.Template

// TestMain builds both stacks once, then synthesizes them.
func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	newStack := func(id string) (awscdk.Stack, awskms.Key, awss3.Bucket, catalog.Catalog) {
		stack := awscdk.NewStack(app, jsii.String(id), nil)
		key := awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
		results := awss3.NewBucket(stack, jsii.String("Results"), &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS, EncryptionKey: key})
		curated := awss3.NewBucket(stack, jsii.String("Curated"), &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS, EncryptionKey: key})
		cat := catalog.New(stack, jsii.String("Catalog"), &catalog.Props{DatabaseName: jsii.String("clickstream_dev"), CuratedBucket: curated})
		return stack, key, results, cat
	}
	defaults, key, results, cat := newStack("Defaults")
	wg := New(defaults, jsii.String("Athena"), &Props{
		WorkGroupName: jsii.String("clickstream-dev"), ResultsBucket: results, EncryptionKey: key, Catalog: cat,
	})
	analyst := awsiam.NewRole(defaults, jsii.String("Analyst"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	wg.GrantQuery(analyst)

	options, key2, results2, cat2 := newStack("Options")
	New(options, jsii.String("Athena"), &Props{
		WorkGroupName: jsii.String("shop-prod"), ResultsBucket: results2, EncryptionKey: key2, Catalog: cat2,
		BytesScannedCutoff: int64Ptr(config.BytesScannedCutoff.Min),
		NamedQueries:       &[]sql.Query{{Name: "one_query", Description: "Just one.", SQL: "SELECT 1"}},
		RemovalPolicy:      awscdk.RemovalPolicy_DESTROY,
	})

	defaultTemplate = assertions.Template_FromStack(defaults, nil)
	optionsTemplate = assertions.Template_FromStack(options, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func int64Ptr(v int64) *int64 { return &v }

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func workGroupConfig(t *testing.T, tpl assertions.Template) (map[string]any, map[string]any) {
	t.Helper()
	groups := *tpl.FindResources(jsii.String("AWS::Athena::WorkGroup"), nil)
	if len(groups) != 1 {
		t.Fatalf("got %d workgroups, want 1", len(groups))
	}
	for _, res := range groups {
		props := (*res)["Properties"].(map[string]any)
		return *res, props["WorkGroupConfiguration"].(map[string]any)
	}
	return nil, nil
}

func TestWorkGroup(t *testing.T) {
	res, cfg := workGroupConfig(t, defaultTemplate)
	t.Run("is named from props", func(t *testing.T) {
		defaultTemplate.HasResourceProperties(jsii.String("AWS::Athena::WorkGroup"), assertions.Match_ObjectLike(&map[string]any{
			"Name": "clickstream-dev", "State": "ENABLED",
		}))
	})
	t.Run("enforces its configuration on every query", func(t *testing.T) {
		if cfg["EnforceWorkGroupConfiguration"] != true {
			t.Fatalf("got %v", cfg["EnforceWorkGroupConfiguration"])
		}
	})
	t.Run("publishes CloudWatch metrics", func(t *testing.T) {
		if cfg["PublishCloudWatchMetricsEnabled"] != true {
			t.Fatalf("got %v", cfg["PublishCloudWatchMetricsEnabled"])
		}
	})
	t.Run("runs engine version 3", func(t *testing.T) {
		if got := toJSON(cfg["EngineVersion"]); got != `{"SelectedEngineVersion":"`+EngineVersion+`"}` {
			t.Fatalf("got %s", got)
		}
	})
	t.Run("default cutoff is config.DefaultBytesScannedCutoff", func(t *testing.T) {
		if got := cfg["BytesScannedCutoffPerQuery"]; got != float64(config.DefaultBytesScannedCutoff) {
			t.Fatalf("got %v, want %d", got, config.DefaultBytesScannedCutoff)
		}
	})
	t.Run("writes results to the results bucket encrypted with the key", func(t *testing.T) {
		rc := cfg["ResultConfiguration"].(map[string]any)
		loc := toJSON(rc["OutputLocation"])
		if !strings.Contains(loc, `"s3://",{"Ref":"Results`) || !strings.HasSuffix(loc, `"/"]]}`) {
			t.Errorf("output location %s", loc)
		}
		enc := rc["EncryptionConfiguration"].(map[string]any)
		if enc["EncryptionOption"] != ResultsEncryption || !strings.Contains(toJSON(enc["KmsKey"]), `"Key`) {
			t.Errorf("encryption %v", enc)
		}
		if got := toJSON(rc["ExpectedBucketOwner"]); got != `{"Ref":"AWS::AccountId"}` {
			t.Errorf("expected bucket owner %s", got)
		}
	})
	t.Run("is retained by default and not recursively deleted", func(t *testing.T) {
		if res["DeletionPolicy"] != "RetainExceptOnCreate" || res["UpdateReplacePolicy"] != "Retain" {
			t.Errorf("policies %v / %v", res["DeletionPolicy"], res["UpdateReplacePolicy"])
		}
		if got := res["Properties"].(map[string]any)["RecursiveDeleteOption"]; got != false {
			t.Errorf("RecursiveDeleteOption %v", got)
		}
	})
	t.Run("primary resource ID is Resource (hidden from the logical ID)", func(t *testing.T) {
		for id := range *defaultTemplate.FindResources(jsii.String("AWS::Athena::WorkGroup"), nil) {
			if !regexp.MustCompile(`^Athena[0-9A-F]{8}$`).MatchString(id) {
				t.Fatalf("logical id %s", id)
			}
		}
	})
	t.Run("options: cutoff from props", func(t *testing.T) {
		_, cfg := workGroupConfig(t, optionsTemplate)
		if got := cfg["BytesScannedCutoffPerQuery"]; got != float64(config.BytesScannedCutoff.Min) {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("options: destroy deletes the workgroup with its queries", func(t *testing.T) {
		res, _ := workGroupConfig(t, optionsTemplate)
		if res["DeletionPolicy"] != "Delete" || res["Properties"].(map[string]any)["RecursiveDeleteOption"] != true {
			t.Fatalf("got %v / %v", res["DeletionPolicy"], res["Properties"].(map[string]any)["RecursiveDeleteOption"])
		}
	})
}

func TestNamedQueries(t *testing.T) {
	want := sql.Athena()
	t.Run("default is every query in sql/athena", func(t *testing.T) {
		defaultTemplate.ResourceCountIs(jsii.String("AWS::Athena::NamedQuery"), jsii.Number(len(want)))
	})
	for _, q := range want {
		t.Run(q.Name+" ships the file's text in the workgroup and database", func(t *testing.T) {
			defaultTemplate.HasResourceProperties(jsii.String("AWS::Athena::NamedQuery"), assertions.Match_ObjectLike(&map[string]any{
				"Name":        q.Name,
				"Description": q.Description,
				"QueryString": q.SQL,
				"Database":    assertions.Match_ObjectLike(&map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^CatalogDatabase"))}),
				"WorkGroup":   assertions.Match_ObjectLike(&map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Athena[0-9A-F]{8}$"))}),
			}))
		})
	}
	t.Run("options: queries from props", func(t *testing.T) {
		optionsTemplate.ResourceCountIs(jsii.String("AWS::Athena::NamedQuery"), jsii.Number(1))
		optionsTemplate.HasResourceProperties(jsii.String("AWS::Athena::NamedQuery"), assertions.Match_ObjectLike(&map[string]any{
			"Name": "one_query", "QueryString": "SELECT 1",
		}))
	})
}

// statements returns the analyst role's policy statements.
func statements(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, res := range *defaultTemplate.FindResources(jsii.String("AWS::IAM::Policy"), nil) {
		props := (*res)["Properties"].(map[string]any)
		if !strings.Contains(toJSON(props["Roles"]), "Analyst") {
			continue
		}
		for _, s := range props["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			out = append(out, s.(map[string]any))
		}
	}
	if len(out) == 0 {
		t.Fatal("no policy for the analyst role")
	}
	return out
}

func actions(s map[string]any) []string {
	switch a := s["Action"].(type) {
	case string:
		return []string{a}
	case []any:
		out := make([]string, len(a))
		for i, x := range a {
			out[i] = x.(string)
		}
		return out
	}
	return nil
}

func TestGrantQuery(t *testing.T) {
	all := statements(t)
	find := func(action string) []map[string]any {
		var out []map[string]any
		for _, s := range all {
			for _, a := range actions(s) {
				if a == action {
					out = append(out, s)
				}
			}
		}
		return out
	}
	t.Run("athena actions on this workgroup only", func(t *testing.T) {
		for _, action := range queryActions {
			found := find(action)
			if len(found) != 1 {
				t.Fatalf("%s in %d statements", action, len(found))
			}
			res := toJSON(found[0]["Resource"])
			if !strings.Contains(res, ":athena:") || !strings.Contains(res, ":workgroup/clickstream-dev") || strings.Contains(res, "workgroup/*") {
				t.Errorf("%s on %s", action, res)
			}
		}
	})
	t.Run("glue read on the database and its tables", func(t *testing.T) {
		for _, action := range []string{"glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"} {
			if len(find(action)) == 0 {
				t.Errorf("no %s", action)
			}
		}
	})
	t.Run("read and write on the results bucket", func(t *testing.T) {
		found := find("s3:PutObject")
		if len(found) != 1 || !strings.Contains(toJSON(found[0]["Resource"]), "Results") {
			t.Fatalf("got %v", found)
		}
	})
	t.Run("read on the curated tables", func(t *testing.T) {
		var curated bool
		for _, s := range find("s3:GetObject*") {
			curated = curated || strings.Contains(toJSON(s["Resource"]), "Curated")
		}
		if !curated {
			t.Fatal("no read on the curated bucket")
		}
	})
	t.Run("encrypt and decrypt with the lake key", func(t *testing.T) {
		for _, action := range []string{"kms:Decrypt", "kms:GenerateDataKey*"} {
			found := find(action)
			if len(found) == 0 || !strings.Contains(toJSON(found[0]["Resource"]), `"Key`) {
				t.Errorf("%s: %v", action, found)
			}
		}
	})
	t.Run("no wildcard actions", func(t *testing.T) {
		for _, s := range all {
			for _, a := range actions(s) {
				if a == "*" || strings.HasSuffix(a, ":*") {
					t.Errorf("action %s", a)
				}
			}
		}
	})
}

func TestValidate(t *testing.T) {
	valid := func() Props {
		app := awscdk.NewApp(nil)
		stack := awscdk.NewStack(app, jsii.String("V"), nil)
		key := awskms.NewKey(stack, jsii.String("K"), nil)
		bucket := awss3.NewBucket(stack, jsii.String("B"), nil)
		cat := catalog.New(stack, jsii.String("C"), &catalog.Props{DatabaseName: jsii.String("db"), CuratedBucket: bucket})
		return Props{WorkGroupName: jsii.String("wg"), ResultsBucket: bucket, EncryptionKey: key, Catalog: cat}
	}
	base := valid()
	cases := []struct {
		name   string
		change func(p *Props)
		want   string
	}{
		{"valid", func(p *Props) {}, ""},
		{"missing name", func(p *Props) { p.WorkGroupName = nil }, "athena: WorkGroupName: required"},
		{"bad name", func(p *Props) { p.WorkGroupName = jsii.String("my workgroup") }, `WorkGroupName: got "my workgroup", must be 1-128`},
		{"missing bucket", func(p *Props) { p.ResultsBucket = nil }, "ResultsBucket: required"},
		{"missing key", func(p *Props) { p.EncryptionKey = nil }, "EncryptionKey: required"},
		{"missing catalog", func(p *Props) { p.Catalog = nil }, "Catalog: required"},
		{"cutoff below 10 MB", func(p *Props) { p.BytesScannedCutoff = int64Ptr(1000) }, "BytesScannedCutoff: got 1000, must be at least 10485760 bytes (10 MB, Athena's smallest cutoff)"},
		{"cutoff at 10 MB", func(p *Props) { p.BytesScannedCutoff = int64Ptr(config.BytesScannedCutoff.Min) }, ""},
		{"duplicate query", func(p *Props) {
			p.NamedQueries = &[]sql.Query{{Name: "a", SQL: "SELECT 1"}, {Name: "a", SQL: "SELECT 2"}}
		}, `NamedQueries[1]: got duplicate name "a"`},
		{"empty query", func(p *Props) { p.NamedQueries = &[]sql.Query{{Name: "a"}} }, `NamedQueries[0]: got name "a" with 0 bytes of SQL`},
		{"long description", func(p *Props) {
			p.NamedQueries = &[]sql.Query{{Name: "a", SQL: "SELECT 1", Description: strings.Repeat("x", 1025)}}
		}, "got a 1025-character description, must be at most 1024"},
		{"snapshot policy", func(p *Props) { p.RemovalPolicy = awscdk.RemovalPolicy_SNAPSHOT }, "RemovalPolicy: got SNAPSHOT, must be RETAIN_ON_UPDATE_OR_DELETE, RETAIN or DESTROY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base
			c.change(&p)
			err := p.withDefaults().validate()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("reports every problem at once", func(t *testing.T) {
		err := Props{BytesScannedCutoff: int64Ptr(1)}.withDefaults().validate()
		for _, field := range []string{"WorkGroupName", "ResultsBucket", "EncryptionKey", "Catalog", "BytesScannedCutoff"} {
			if err == nil || !strings.Contains(err.Error(), field) {
				t.Errorf("%s not reported: %v", field, err)
			}
		}
	})
	t.Run("withDefaults does not modify the caller's props", func(t *testing.T) {
		p := base
		_ = p.withDefaults()
		if p.BytesScannedCutoff != nil || p.NamedQueries != nil || p.RemovalPolicy != "" {
			t.Fatalf("props changed: %+v", p)
		}
	})
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "athena: WorkGroupName: required", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("P"), nil), jsii.String("Athena"), &Props{})
		})
	})
}
