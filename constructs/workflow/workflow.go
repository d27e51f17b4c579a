// Package workflow provides the Glue workflow that orchestrates the lake's batch: a scheduled
// trigger starts the raw crawler, and a conditional trigger starts the ETL job once the
// crawler has SUCCEEDED. The schedule is validated against Glue's cron syntax at synth.
package workflow

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsglue"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/internal/gluecron"
)

// Props configures the workflow.
type Props struct {
	// WorkflowName names the workflow; its triggers are named after it. Required.
	WorkflowName *string
	// Crawler runs first, on the schedule. Required.
	Crawler interfacesawsglue.ICrawlerRef
	// Job runs when the crawler has succeeded. Required.
	Job interfacesawsglue.IJobRef
	// Schedule is a Glue cron expression, in UTC. Default: config.DefaultGlueSchedule (daily 02:00).
	Schedule *string
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,200}$`)

func (p Props) withDefaults() Props {
	if p.Schedule == nil {
		p.Schedule = jsii.String(config.DefaultGlueSchedule)
	}
	return p
}

func (p Props) validate() error {
	var errs []error
	switch {
	case p.WorkflowName == nil:
		errs = append(errs, errors.New("workflow: WorkflowName: required"))
	case !namePattern.MatchString(*p.WorkflowName):
		// Not a token: trigger names are derived from it.
		errs = append(errs, fmt.Errorf("workflow: WorkflowName: got %q, must be 1-200 letters, digits, dots, hyphens or underscores", *p.WorkflowName))
	}
	if p.Crawler == nil {
		errs = append(errs, errors.New("workflow: Crawler: required"))
	}
	if p.Job == nil {
		errs = append(errs, errors.New("workflow: Job: required"))
	}
	if !*awscdk.Token_IsUnresolved(p.Schedule) {
		if err := gluecron.Validate(*p.Schedule); err != nil {
			errs = append(errs, fmt.Errorf("workflow: Schedule: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Workflow is the lake's scheduled batch: crawl, then transform.
type Workflow interface {
	constructs.Construct
	// WorkflowName is the workflow's name.
	WorkflowName() *string
	// WorkflowArn is the workflow's ARN.
	WorkflowArn() *string
	// Schedule is the cron expression of the scheduled trigger.
	Schedule() *string
}

type workflow struct {
	constructs.Construct
	resource awsglue.Workflow
	schedule *string
}

// New creates the workflow and its two triggers. It panics on invalid props, which fails
// synth with the schedule's error.
func New(scope constructs.Construct, id *string, props *Props) Workflow {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	w := &workflow{Construct: constructs.NewConstruct(scope, id), schedule: p.Schedule}
	w.resource = awsglue.NewWorkflow(w.Construct, jsii.String(ResourceID), &awsglue.WorkflowProps{
		WorkflowName:      p.WorkflowName,
		Description:       jsii.String("Scheduled batch: crawl the raw zone, then run the ETL job when the crawl succeeded"),
		MaxConcurrentRuns: jsii.Number(MaxConcurrentRuns),
	})
	// Triggers are created deactivated unless StartOnCreation: without it nothing would run.
	w.resource.AddScheduledTrigger(jsii.String(ScheduleTriggerID), &awsglue.ScheduledTriggerOptions{
		Name:            jsii.String(*p.WorkflowName + scheduleNameSuffix),
		Description:     jsii.String("Starts the raw crawler on " + *p.Schedule + " (UTC)"),
		Schedule:        awsglue.TriggerSchedule_Expression(p.Schedule),
		Actions:         &[]awsglue.Action{awsglue.Action_Crawler(p.Crawler, nil)},
		StartOnCreation: jsii.Bool(true),
	})
	crawled := w.resource.AddConditionalTrigger(jsii.String(CrawledTriggerID), &awsglue.ConditionalTriggerOptions{
		Name:        jsii.String(*p.WorkflowName + crawledNameSuffix),
		Description: jsii.String("Runs the ETL job once the raw crawler has succeeded"),
		Predicate: &awsglue.Predicate{Conditions: &[]awsglue.Condition{
			awsglue.Condition_Crawler(p.Crawler, awsglue.CrawlerState_SUCCEEDED, nil),
		}},
		Actions:         &[]awsglue.Action{awsglue.Action_Job(p.Job, nil)},
		StartOnCreation: jsii.Bool(true),
	})
	// The L2 adds an event batching condition to conditional triggers too; Glue defines it for
	// EventBridge (EVENT) triggers only, so the conditional trigger goes without it.
	crawled.(awscdk.CfnResource).AddPropertyDeletionOverride(jsii.String("EventBatchingCondition"))
	return w
}

func (w *workflow) WorkflowName() *string { return w.resource.WorkflowName() }
func (w *workflow) WorkflowArn() *string  { return w.resource.WorkflowArn() }
func (w *workflow) Schedule() *string     { return w.schedule }
