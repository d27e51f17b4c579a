// Package alarms notifies about the lake's batch: EventBridge rules for failed, timed-out or
// stopped ETL job runs and failed crawls, and a CloudWatch alarm on runs that take too long,
// all publishing to one KMS-encrypted, SSL-only SNS topic with an optional email subscription.
package alarms

import (
	"errors"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Crawler is what the alarms need of the crawler (crawler.Crawler satisfies it).
type Crawler interface {
	// OnFailure creates an EventBridge rule matching the crawler's failed crawls.
	OnFailure(id *string, options *awsevents.OnEventOptions) awsevents.Rule
}

// Props configures the alarms.
type Props struct {
	// Job is the ETL job watched for failed runs and long durations. Required.
	Job awsglue.IJob
	// Crawler is the crawler watched for failed crawls. Required.
	Crawler Crawler
	// Email subscribes an address to the topic (it must confirm the subscription).
	// Default: - no subscription.
	Email *string
	// DurationAlarmMinutes alarms when a job run takes longer.
	// Default: config.DefaultGlueDurationAlarmMinutes (90).
	DurationAlarmMinutes *int
	// EncryptionKey encrypts the topic; its policy is extended so EventBridge and CloudWatch
	// can publish. Default: - a KMS key with yearly rotation is created.
	EncryptionKey awskms.IKey
	// RemovalPolicy of the created key. Default: props.DefaultRemovalPolicy (RETAIN_ON_UPDATE_OR_DELETE: kept on
	// update and deletion, removed when its own creation fails).
	RemovalPolicy awscdk.RemovalPolicy
}

func (p Props) withDefaults() Props {
	if p.DurationAlarmMinutes == nil {
		d := config.DefaultGlueDurationAlarmMinutes
		p.DurationAlarmMinutes = &d
	}
	p.RemovalPolicy = props.RemovalPolicyOr(p.RemovalPolicy)
	return p
}

func (p Props) validate() error {
	var errs []error
	if p.Job == nil {
		errs = append(errs, errors.New("alarms: Job: required"))
	}
	if p.Crawler == nil {
		errs = append(errs, errors.New("alarms: Crawler: required"))
	}
	if p.Email != nil && !config.EmailPattern.MatchString(*p.Email) {
		errs = append(errs, fmt.Errorf("alarms: Email: got %q, must be an email address", *p.Email))
	}
	if m := *p.DurationAlarmMinutes; m < 1 {
		errs = append(errs, fmt.Errorf("alarms: DurationAlarmMinutes: got %d, must be a positive number of minutes", m))
	}
	errs = append(errs, props.RetainOrDestroy("alarms", p.RemovalPolicy))
	return errors.Join(errs...)
}

// Alarms is the lake's failure notification.
type Alarms interface {
	constructs.Construct
	// Topic receives every notification; other constructs may add their alarms to it.
	Topic() awssns.ITopic
	// EncryptionKey encrypts the topic.
	EncryptionKey() awskms.IKey
	// DurationAlarm fires when a job run exceeds DurationAlarmMinutes.
	DurationAlarm() awscloudwatch.IAlarm
}

type alarms struct {
	constructs.Construct
	key      awskms.IKey
	topic    awssns.Topic
	duration awscloudwatch.Alarm
}

// New creates the topic, the rules and the alarm. It panics on invalid props, which fails
// synth.
func New(scope constructs.Construct, id *string, props *Props) Alarms {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	a := &alarms{Construct: constructs.NewConstruct(scope, id), key: p.EncryptionKey}
	if a.key == nil {
		a.key = awskms.NewKey(a.Construct, jsii.String(KeyID), &awskms.KeyProps{
			Description:       jsii.String("Encrypts the clickstream lake's alarm notifications"),
			EnableKeyRotation: jsii.Bool(true),
			RemovalPolicy:     p.RemovalPolicy,
		})
	}
	// EventBridge and CloudWatch publish to the encrypted topic with their own service
	// principals, which need the key's data keys.
	a.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("AllowAlarmPublishersToEncrypt"),
		Principals: &[]awsiam.IPrincipal{
			awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil),
			awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil),
		},
		Actions:   jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources: jsii.Strings("*"),
	}), jsii.Bool(true))

	a.topic = awssns.NewTopic(a.Construct, jsii.String(TopicID), &awssns.TopicProps{
		DisplayName: jsii.String("Clickstream lake alarms"),
		MasterKey:   a.key,
		EnforceSSL:  jsii.Bool(true),
	})
	stack := awscdk.Stack_Of(a.Construct)
	// The topic policy replaces SNS's default one: CloudWatch may publish alarms of this
	// account only (EventBridge's statement is added by the rule targets).
	a.topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchAlarmsOfThisAccount"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  &[]*string{a.topic.TopicArn()},
		Conditions: &map[string]any{
			"ArnLike": map[string]any{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("cloudwatch"), Resource: jsii.String("alarm"), ResourceName: jsii.String("*"),
				ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
			})},
		},
	}))
	if p.Email != nil {
		a.topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(p.Email, nil))
	}

	jobRule := p.Job.OnEvent(jsii.String(JobRuleID), &awsevents.OnEventOptions{
		Description: jsii.String("Notifies when an ETL job run fails, times out or is stopped"),
		Target: awseventstargets.NewSnsTopic(a.topic, &awseventstargets.SnsTopicProps{Message: awsevents.RuleTargetInput_FromText(jsii.String(
			"Glue job " + *awsevents.EventField_FromPath(jsii.String("$.detail.jobName")) +
				" run " + *awsevents.EventField_FromPath(jsii.String("$.detail.jobRunId")) +
				" ended " + *awsevents.EventField_FromPath(jsii.String("$.detail.state")) +
				": " + *awsevents.EventField_FromPath(jsii.String("$.detail.message"))))}),
	})
	jobRule.AddEventPattern(&awsevents.EventPattern{Detail: &map[string]any{"state": FailedJobStates}})
	p.Crawler.OnFailure(jsii.String(CrawlerRuleID), &awsevents.OnEventOptions{
		Description: jsii.String("Notifies when the raw crawler fails"),
		Target: awseventstargets.NewSnsTopic(a.topic, &awseventstargets.SnsTopicProps{Message: awsevents.RuleTargetInput_FromText(jsii.String(
			"Glue crawler " + *awsevents.EventField_FromPath(jsii.String("$.detail.crawlerName")) +
				" failed: " + *awsevents.EventField_FromPath(jsii.String("$.detail.errorMessage"))))}),
	})

	minutes := *p.DurationAlarmMinutes
	a.duration = awscloudwatch.NewAlarm(a.Construct, jsii.String(DurationAlarmID), &awscloudwatch.AlarmProps{
		AlarmDescription: jsii.String(fmt.Sprintf("An ETL job run has been running for more than %d minutes", minutes)),
		Metric: p.Job.Metric(jsii.String(ElapsedTimeMetric), awsglue.MetricType_COUNT, &awscloudwatch.MetricOptions{
			Statistic: jsii.String("Maximum"),
			Period:    awscdk.Duration_Minutes(jsii.Number(DurationAlarmPeriodMinutes)),
		}),
		Threshold:          jsii.Number(float64(minutes) * 60 * 1000),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		EvaluationPeriods:  jsii.Number(1),
		// No run, no metric: that is not a slow run.
		TreatMissingData: awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	a.duration.AddAlarmAction(awscloudwatchactions.NewSnsAction(a.topic))
	return a
}

func (a *alarms) Topic() awssns.ITopic                { return a.topic }
func (a *alarms) EncryptionKey() awskms.IKey          { return a.key }
func (a *alarms) DurationAlarm() awscloudwatch.IAlarm { return a.duration }
