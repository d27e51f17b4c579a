package workflow

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
)

var defaultTemplate, optionsTemplate assertions.Template

func newStack(app awscdk.App, name string, schedule *string) awscdk.Stack {
	stack := awscdk.NewStack(app, jsii.String(name), nil)
	crawler := awsglue.NewCfnCrawler(stack, jsii.String("Crawler"), &awsglue.CfnCrawlerProps{
		Name: jsii.String("lake-dev-raw"), Role: jsii.String("arn:aws:iam::123456789012:role/crawler"),
		Targets: &awsglue.CfnCrawler_TargetsProperty{S3Targets: &[]*awsglue.CfnCrawler_S3TargetProperty{{Path: jsii.String("s3://raw/events/")}}},
	})
	job := awsglue.NewCfnJob(stack, jsii.String("Job"), &awsglue.CfnJobProps{
		Name: jsii.String("lake-dev-etl"), Role: jsii.String("arn:aws:iam::123456789012:role/job"),
		Command: &awsglue.CfnJob_JobCommandProperty{Name: jsii.String("glueetl"), ScriptLocation: jsii.String("s3://assets/job.py")},
	})
	New(stack, jsii.String("Workflow"), &Props{WorkflowName: jsii.String("lake-dev"), Crawler: crawler, Job: job, Schedule: schedule})
	return stack
}

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	defaultStack := newStack(app, "Defaults", nil)
	optionsStack := newStack(app, "Options", jsii.String("cron(30 4 ? * MON-FRI *)"))
	defaultTemplate = assertions.Template_FromStack(defaultStack, nil)
	optionsTemplate = assertions.Template_FromStack(optionsStack, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func obj(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

func trigger(t *testing.T, tpl assertions.Template, typ string) map[string]any {
	t.Helper()
	found := tpl.FindResources(jsii.String("AWS::Glue::Trigger"), obj(map[string]any{"Properties": obj(map[string]any{"Type": typ})}))
	if len(*found) != 1 {
		t.Fatalf("%d %s triggers", len(*found), typ)
	}
	for _, res := range *found {
		return (*res)["Properties"].(map[string]any)
	}
	return nil
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestWorkflow(t *testing.T) {
	t.Run("one workflow, one run at a time", func(t *testing.T) {
		defaultTemplate.ResourceCountIs(jsii.String("AWS::Glue::Workflow"), jsii.Number(1))
		defaultTemplate.HasResourceProperties(jsii.String("AWS::Glue::Workflow"), obj(map[string]any{"Name": "lake-dev", "MaxConcurrentRuns": MaxConcurrentRuns}))
		defaultTemplate.ResourceCountIs(jsii.String("AWS::Glue::Trigger"), jsii.Number(2))
	})
	scheduled := trigger(t, defaultTemplate, "SCHEDULED")
	t.Run("the schedule defaults to config.DefaultGlueSchedule", func(t *testing.T) {
		if scheduled["Schedule"] != config.DefaultGlueSchedule {
			t.Fatalf("schedule %v", scheduled["Schedule"])
		}
	})
	t.Run("the scheduled trigger starts the crawler and is active", func(t *testing.T) {
		if toJSON(scheduled["Actions"]) != `[{"CrawlerName":{"Ref":"Crawler"}}]` || scheduled["StartOnCreation"] != true {
			t.Fatalf("trigger %v", scheduled)
		}
	})
	conditional := trigger(t, defaultTemplate, "CONDITIONAL")
	t.Run("the job starts when the crawler succeeded", func(t *testing.T) {
		want := `{"Conditions":[{"CrawlState":"SUCCEEDED","CrawlerName":{"Ref":"Crawler"},"LogicalOperator":"EQUALS"}]}`
		if toJSON(conditional["Predicate"]) != want || toJSON(conditional["Actions"]) != `[{"JobName":{"Ref":"Job"}}]` {
			t.Fatalf("trigger %v", conditional)
		}
		if conditional["EventBatchingCondition"] != nil {
			t.Fatalf("event batching on a conditional trigger: %v", conditional["EventBatchingCondition"])
		}
		if conditional["StartOnCreation"] != true {
			t.Fatal("conditional trigger is not activated")
		}
	})
	t.Run("both triggers belong to the workflow and are named after it", func(t *testing.T) {
		for _, tr := range []map[string]any{scheduled, conditional} {
			if !strings.HasPrefix(toJSON(tr["WorkflowName"]), `{"Ref":"Workflow`) || !strings.HasPrefix(tr["Name"].(string), "lake-dev-") {
				t.Errorf("trigger %v", tr)
			}
		}
	})
	t.Run("schedule from props", func(t *testing.T) {
		if got := trigger(t, optionsTemplate, "SCHEDULED")["Schedule"]; got != "cron(30 4 ? * MON-FRI *)" {
			t.Fatalf("schedule %v", got)
		}
	})
}

func TestValidate(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Validate"), nil)
	crawler := awsglue.CfnCrawler_FromCrawlerName(stack, jsii.String("C"), jsii.String("c"))
	job := awsglue.CfnJob_FromJobName(stack, jsii.String("J"), jsii.String("j"))
	cases := []struct {
		name  string
		props Props
		want  string
	}{
		{"missing name", Props{Crawler: crawler, Job: job}, "workflow: WorkflowName: required"},
		{"invalid name", Props{WorkflowName: jsii.String("a b"), Crawler: crawler, Job: job}, `WorkflowName: got "a b"`},
		{"missing crawler and job", Props{WorkflowName: jsii.String("w")}, "workflow: Crawler: required\nworkflow: Job: required"},
		{"rate expression", Props{WorkflowName: jsii.String("w"), Crawler: crawler, Job: job, Schedule: jsii.String("rate(1 day)")},
			`workflow: Schedule: got "rate(1 day)", must be a Glue cron expression`},
		{"five-field cron", Props{WorkflowName: jsii.String("w"), Crawler: crawler, Job: job, Schedule: jsii.String("cron(0 2 * * *)")},
			"workflow: Schedule: got \"cron(0 2 * * *)\" with 5 fields, must have 6"},
		{"both day fields set", Props{WorkflowName: jsii.String("w"), Crawler: crawler, Job: job, Schedule: jsii.String("cron(0 2 * * MON *)")},
			`exactly one of day-of-month ("*") and day-of-week ("MON") must be "?"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.props.withDefaults().validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("the default schedule is valid", func(t *testing.T) {
		if err := (Props{WorkflowName: jsii.String("w"), Crawler: crawler, Job: job}).withDefaults().validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("withDefaults does not modify the caller's props", func(t *testing.T) {
		p := Props{}
		_ = p.withDefaults()
		if p.Schedule != nil {
			t.Fatalf("caller's props changed: %+v", p)
		}
	})
	t.Run("New panics on an invalid schedule", func(t *testing.T) {
		constructtest.Panics(t, "workflow: Schedule: got \"cron(61 2 * * ? *)\"", func() {
			New(stack, jsii.String("Bad"), &Props{WorkflowName: jsii.String("w"), Crawler: crawler, Job: job, Schedule: jsii.String("cron(61 2 * * ? *)")})
		})
	})
}
