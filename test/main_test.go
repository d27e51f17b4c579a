package test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/stacks"
)

// environment is one stack exactly as `cdk synth` builds it from cdk.json.
type environment struct {
	config   config.Environment
	stack    awscdk.Stack
	template map[string]any
}

// envs holds every environment of cdk.json, synthesized once for the package.
var envs []environment

func TestMain(m *testing.M) {
	if err := build(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		jsii.Close()
		os.Exit(1)
	}
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// annotationsInValidationReport is the feature flag (on in cdk.json) that turns every error
// annotation, cdk-nag's included, into a synthesis failure. `make synth` keeps it on; the
// tests turn it off so an unsuppressed finding fails TestNag with its path and rule while
// every other gate still runs.
const annotationsInValidationReport = "@aws-cdk/core:annotationsInValidationReport"

// build mirrors main.go: the cdk.json context, stacks.LoadEnvironments, stacks.Build. The
// whole tree is built before the first synthesis, as the CLI does.
func build() error {
	var cdkJSON struct {
		Context map[string]any `json:"context"`
	}
	data, err := os.ReadFile("../cdk.json")
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &cdkJSON); err != nil {
		return fmt.Errorf("cdk.json: %w", err)
	}
	if cdkJSON.Context == nil {
		return fmt.Errorf("cdk.json: no context")
	}
	cdkJSON.Context[annotationsInValidationReport] = false
	app := awscdk.NewApp(&awscdk.AppProps{Context: &cdkJSON.Context})
	list, err := stacks.LoadEnvironments(app)
	if err != nil {
		return err
	}
	built := stacks.Build(app, list)
	for i, env := range list {
		tpl, err := synthesize(built[i])
		if err != nil {
			return fmt.Errorf("synthesis of %s failed: %w", env.StackName(), err)
		}
		envs = append(envs, environment{config: env, stack: built[i], template: tpl})
	}
	return nil
}

// reportPath finds the validation report CDK names in its ValidationFailed error.
var reportPath = regexp.MustCompile(`\S+validation-report\.json`)

// synthesize returns the stack's template. CDK's validation (on, as in `make synth`) panics
// with only a pointer to its report; the error carries the report's violations instead.
func synthesize(stack awscdk.Stack) (tpl map[string]any, err error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		err = fmt.Errorf("%v", r)
		path := reportPath.FindString(err.Error())
		if path == "" {
			return
		}
		var report struct {
			PluginReports []struct {
				PluginName string
				Violations []struct {
					RuleName, Description string
					ViolatingConstructs   []struct{ ConstructPath string }
				}
			}
		}
		if data, readErr := os.ReadFile(path); readErr == nil && json.Unmarshal(data, &report) == nil {
			for _, p := range report.PluginReports {
				for _, v := range p.Violations {
					for _, c := range v.ViolatingConstructs {
						err = fmt.Errorf("%w\n%s: %s (%s): %s", err, c.ConstructPath, v.RuleName, p.PluginName, strings.TrimSpace(v.Description))
					}
				}
			}
		}
	}()
	return *assertions.Template_FromStack(stack, nil).ToJSON(), nil
}

// resource is one entry of a template's Resources section.
type resource struct {
	LogicalID           string
	Type                string
	Properties          map[string]any
	Metadata            map[string]any
	DeletionPolicy      any
	UpdateReplacePolicy any
}

// resources returns the template's resources of the given types (all when none), by logical ID.
func (e environment) resources(types ...string) []resource {
	want := map[string]bool{}
	for _, t := range types {
		want[t] = true
	}
	var out []resource
	for id, raw := range e.template["Resources"].(map[string]any) {
		r := raw.(map[string]any)
		typ, _ := r["Type"].(string)
		if len(want) > 0 && !want[typ] {
			continue
		}
		props, _ := r["Properties"].(map[string]any)
		md, _ := r["Metadata"].(map[string]any)
		out = append(out, resource{LogicalID: id, Type: typ, Properties: props, Metadata: md,
			DeletionPolicy: r["DeletionPolicy"], UpdateReplacePolicy: r["UpdateReplacePolicy"]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	return out
}

// forEachEnvironment runs one subtest per environment, named after it.
func forEachEnvironment(t *testing.T, f func(t *testing.T, env environment)) {
	t.Helper()
	if len(envs) == 0 {
		t.Fatal("cdk.json defines no environment")
	}
	for _, env := range envs {
		t.Run(env.config.Name, func(t *testing.T) { f(t, env) })
	}
}
