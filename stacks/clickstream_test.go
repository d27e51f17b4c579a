package stacks

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
)

// The stacks exactly as the app builds them from cdk.json, synthesized once for the package.
var (
	envs      map[string]config.Environment
	templates map[string]assertions.Template
	built     map[string]awscdk.Stack
)

func TestMain(m *testing.M) {
	var cdkJSON struct {
		Context map[string]any `json:"context"`
	}
	data, err := os.ReadFile("../cdk.json")
	if err == nil {
		err = json.Unmarshal(data, &cdkJSON)
	}
	if err != nil {
		panic(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &cdkJSON.Context})
	list, err := LoadEnvironments(app)
	if err != nil {
		panic(err)
	}
	envs, templates, built = map[string]config.Environment{}, map[string]assertions.Template{}, map[string]awscdk.Stack{}
	stacks := Build(app, list)
	for i, env := range list {
		envs[env.Name], built[env.Name] = env, stacks[i]
	}
	for i, env := range list {
		templates[env.Name] = assertions.Template_FromStack(stacks[i], nil)
	}
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func TestEnvironments(t *testing.T) {
	for _, name := range []string{"dev", "staging", "prod"} {
		t.Run(name+" has a stack named after it", func(t *testing.T) {
			stack, ok := built[name]
			if !ok {
				t.Fatalf("no stack for %s", name)
			}
			if got := *stack.StackName(); got != "ClickstreamAnalytics-"+name {
				t.Fatalf("stack name %s", got)
			}
		})
	}
}

func TestStackPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		env := envs[name]
		t.Run(name+" tags every taggable resource with its environment", func(t *testing.T) {
			for id, res := range *tpl.FindResources(jsii.String("AWS::S3::Bucket"), nil) {
				tags, _ := (*res)["Properties"].(map[string]any)["Tags"].([]any)
				found := map[string]string{}
				for _, tag := range tags {
					m := tag.(map[string]any)
					found[m["Key"].(string)] = m["Value"].(string)
				}
				if found[config.EnvironmentTagKey] != name {
					t.Errorf("%s: environment tag %q", id, found[config.EnvironmentTagKey])
				}
				for k, v := range env.Tags {
					if found[k] != v {
						t.Errorf("%s: tag %s = %q, want %q", id, k, found[k], v)
					}
				}
			}
		})
		t.Run(name+" lifecycle days come from its configuration", func(t *testing.T) {
			tpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), assertions.Match_ObjectLike(&map[string]any{
				"LifecycleConfiguration": map[string]any{"Rules": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
					"Id":               "expire-query-results",
					"ExpirationInDays": env.Storage.AthenaResultsRetentionDays,
				})})},
			}))
			tpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), assertions.Match_ObjectLike(&map[string]any{
				"LifecycleConfiguration": map[string]any{"Rules": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
					"Id": "tier-raw-events",
					"Transitions": []any{
						map[string]any{"StorageClass": "STANDARD_IA", "TransitionInDays": env.Storage.RawInfrequentAccessDays},
						map[string]any{"StorageClass": "GLACIER_IR", "TransitionInDays": env.Storage.RawGlacierDays},
					},
				})})},
			}))
		})
		t.Run(name+" removal policy follows allowDestroyData", func(t *testing.T) {
			want := "Retain"
			if env.AllowDestroyData {
				want = "Delete"
			}
			for id, res := range *tpl.FindResources(jsii.String("AWS::S3::Bucket"), nil) {
				if (*res)["DeletionPolicy"] != want {
					t.Errorf("%s: DeletionPolicy %v, want %s", id, (*res)["DeletionPolicy"], want)
				}
			}
		})
		t.Run(name+" termination protection only in production", func(t *testing.T) {
			if got := *built[name].TerminationProtection(); got != env.IsProduction() {
				t.Fatalf("termination protection %v", got)
			}
		})
	}
	t.Run("prod never destroys data", func(t *testing.T) {
		if envs["prod"].AllowDestroyData {
			t.Fatal("prod allows destroying data")
		}
	})
}

func TestCatalogPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		t.Run(name+" glue database is <prefix>_<env>", func(t *testing.T) {
			want := envs[name].Prefix + "_" + name
			tpl.HasResourceProperties(jsii.String("AWS::Glue::Database"), assertions.Match_ObjectLike(&map[string]any{
				"DatabaseInput": assertions.Match_ObjectLike(&map[string]any{"Name": want}),
			}))
		})
		t.Run(name+" declares the three curated tables", func(t *testing.T) {
			tpl.ResourceCountIs(jsii.String("AWS::Glue::Table"), jsii.Number(3))
		})
	}
	t.Run("hyphens in prefix or environment become underscores", func(t *testing.T) {
		if got := DatabaseName(config.Environment{Name: "prod-eu", Prefix: "click-stream"}); got != "click_stream_prod_eu" {
			t.Fatalf("got %s", got)
		}
	})
}
