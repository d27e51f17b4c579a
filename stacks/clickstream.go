// Package stacks composes the constructs into one stack per environment. It holds no
// resource definitions of its own: only which constructs, wired how.
package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/analytics"
)

// AnalyticsID is the construct ID of the pipeline in the stack. "Default" is left out of
// logical IDs, so the stateful resources keep the logical IDs they had before the pipeline
// became one construct: never change it.
const AnalyticsID = "Default"

// ClickstreamStackProps configures one environment's stack.
type ClickstreamStackProps struct {
	awscdk.StackProps
	// Environment is the validated configuration of the environment.
	Environment config.Environment
}

// NewClickstreamStack builds the whole data lake of one environment: stack settings and
// tags from the environment, and the pipeline construct from AnalyticsProps.
func NewClickstreamStack(scope constructs.Construct, id *string, props *ClickstreamStackProps) awscdk.Stack {
	env := props.Environment
	sp := props.StackProps
	if sp.Env == nil && (env.Account != "" || env.Region != "") {
		sp.Env = &awscdk.Environment{Account: optional(env.Account), Region: optional(env.Region)}
	}
	if sp.Description == nil {
		sp.Description = jsii.String("Serverless clickstream analytics data lake (" + env.Name + "): S3, Glue, Athena, QuickSight")
	}
	if sp.TerminationProtection == nil {
		sp.TerminationProtection = jsii.Bool(env.IsProduction())
	}
	stack := awscdk.NewStack(scope, id, &sp)

	for k, v := range env.Tags {
		awscdk.Tags_Of(stack).Add(jsii.String(k), jsii.String(v), nil)
	}
	awscdk.Tags_Of(stack).Add(jsii.String(config.EnvironmentTagKey), jsii.String(env.Name), nil)
	addOutputs(stack, analytics.New(stack, jsii.String(AnalyticsID), AnalyticsProps(env)))
	return stack
}

// AnalyticsProps maps an environment's configuration to the pipeline's props. Config holds
// complete values (its defaults are the constructs' defaults), so every field is passed.
func AnalyticsProps(env config.Environment) *analytics.Props {
	// Unset keeps the pipeline's default: kept on update and deletion, removed when its own
	// creation fails, so a failed first deploy can be retried.
	var removal awscdk.RemovalPolicy
	if env.AllowDestroyData {
		removal = awscdk.RemovalPolicy_DESTROY
	}
	g := env.Glue
	p := &analytics.Props{
		NamePrefix:        jsii.String(env.NamePrefix()),
		RemovalPolicy:     removal,
		ReportingTimeZone: jsii.String(env.ReportingTimeZone),
		Storage: analytics.StorageProps{
			RawInfrequentAccessDays:    &env.Storage.RawInfrequentAccessDays,
			RawGlacierDays:             &env.Storage.RawGlacierDays,
			AthenaResultsRetentionDays: &env.Storage.AthenaResultsRetentionDays,
		},
		Athena: analytics.AthenaProps{BytesScannedCutoff: &env.Athena.BytesScannedCutoff},
		Glue: analytics.GlueProps{
			MaxWorkers:            &g.MaxWorkers,
			Schedule:              &g.Schedule,
			TimeoutMinutes:        &g.TimeoutMinutes,
			MaxRetries:            &g.MaxRetries,
			FlexExecution:         &g.FlexExecution,
			SessionTimeoutMinutes: &g.SessionTimeoutMinutes,
			DurationAlarmMinutes:  &g.DurationAlarmMinutes,
		},
		Alarms: analytics.AlarmsProps{
			Email:                  optional(env.Alarms.Email),
			QuarantineSharePercent: &env.Alarms.QuarantineSharePercent,
			BotSharePercent:        &env.Alarms.BotSharePercent,
			FreshnessHours:         &env.Alarms.FreshnessHours,
			VolumeDropPercent:      &env.Alarms.VolumeDropPercent,
		},
		Privacy: analytics.PrivacyProps{
			IP:                      &env.Privacy.IP,
			RawRetentionDays:        &env.Privacy.RawRetentionDays,
			QuarantineRetentionDays: &env.Privacy.QuarantineRetentionDays,
			CuratedRetentionDays:    env.Privacy.CuratedRetentionDays,
		},
		LakeFormation: jsii.Bool(env.LakeFormation),
	}
	if in := env.Ingestion; in.Enabled {
		p.Ingestion = &analytics.IngestionProps{
			AllowedOrigins:           in.AllowedOrigins,
			Production:               jsii.Bool(env.IsProduction()),
			ReservedConcurrency:      &in.ReservedConcurrency,
			MaxRequestBytes:          &in.MaxRequestBytes,
			MaxEventsPerRequest:      &in.MaxEventsPerRequest,
			BufferingIntervalSeconds: &in.BufferingIntervalSeconds,
			BufferingSizeMiB:         &in.BufferingSizeMiB,
		}
	}
	if q := env.QuickSight; q.Enabled {
		p.QuickSight = &analytics.QuickSightProps{
			Owners:      q.Owners,
			Viewers:     q.Viewers,
			ImportMode:  &q.ImportMode,
			RefreshTime: &q.RefreshTime,
		}
	}
	return p
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}
