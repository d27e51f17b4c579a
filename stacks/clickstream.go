// Package stacks composes the constructs into one stack per environment. It holds no
// resource definitions of its own: only which constructs, wired how.
package stacks

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/alarms"
	"github.com/clickstream-analytics/datalake/constructs/athena"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/crawler"
	"github.com/clickstream-analytics/datalake/constructs/etljob"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/constructs/quicksight"
	"github.com/clickstream-analytics/datalake/constructs/workflow"
)

// Construct IDs of the stack's top-level constructs. Stateful resources live below them, so
// these IDs are part of every stateful logical ID: never rename them.
const (
	StorageID = "Storage"
	CatalogID = "Catalog"
	AthenaID  = "Athena"
	// GlueSecurityID, RawCrawlerID, EtlJobID, WorkflowID and AlarmsID hold the batch layer.
	GlueSecurityID = "GlueSecurity"
	RawCrawlerID   = "RawCrawler"
	EtlJobID       = "EtlJob"
	WorkflowID     = "Workflow"
	AlarmsID       = "Alarms"
	// QuickSightID holds the dashboards; created only where quicksight.enabled is true.
	QuickSightID = "QuickSight"
)

// ClickstreamStackProps configures one environment's stack.
type ClickstreamStackProps struct {
	awscdk.StackProps
	// Environment is the validated configuration of the environment.
	Environment config.Environment
}

// NewClickstreamStack builds the whole data lake of one environment.
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

	removal := awscdk.RemovalPolicy_RETAIN
	if env.AllowDestroyData {
		removal = awscdk.RemovalPolicy_DESTROY
	}
	storage := lakestorage.New(stack, jsii.String(StorageID), &lakestorage.Props{
		RawInfrequentAccessDays:    &env.Storage.RawInfrequentAccessDays,
		RawGlacierDays:             &env.Storage.RawGlacierDays,
		AthenaResultsRetentionDays: &env.Storage.AthenaResultsRetentionDays,
		RemovalPolicy:              removal,
	})
	cat := catalog.New(stack, jsii.String(CatalogID), &catalog.Props{
		DatabaseName:  jsii.String(DatabaseName(env)),
		CuratedBucket: storage.CuratedBucket(),
		RemovalPolicy: removal,
	})
	workGroup := athena.New(stack, jsii.String(AthenaID), &athena.Props{
		WorkGroupName:      jsii.String(WorkGroupName(env)),
		ResultsBucket:      storage.AthenaResultsBucket(),
		EncryptionKey:      storage.EncryptionKey(),
		Catalog:            cat,
		BytesScannedCutoff: &env.Athena.BytesScannedCutoff,
		RemovalPolicy:      removal,
	})
	security := gluesecurity.New(stack, jsii.String(GlueSecurityID), &gluesecurity.Props{
		SecurityConfigurationName: jsii.String(ResourceName(env, "glue-security")),
		EncryptionKey:             storage.EncryptionKey(),
	})
	rawCrawler := crawler.New(stack, jsii.String(RawCrawlerID), &crawler.Props{
		CrawlerName: jsii.String(ResourceName(env, "raw-crawler")),
		Database:    cat.Database(),
		RawBucket:   storage.RawBucket(),
		Security:    security,
	})
	job := etljob.New(stack, jsii.String(EtlJobID), &etljob.Props{
		JobName:               jsii.String(ResourceName(env, "etl")),
		RawBucket:             storage.RawBucket(),
		CuratedBucket:         storage.CuratedBucket(),
		AssetsBucket:          storage.AssetsBucket(),
		Security:              security,
		Database:              cat.Database(),
		EventsTable:           cat.EventsTable(),
		SessionsTable:         cat.SessionsTable(),
		QuarantineTable:       cat.QuarantineTable(),
		DailyTrafficTable:     cat.DailyTrafficTable(),
		DailyPagesTable:       cat.DailyPagesTable(),
		DailyJourneysTable:    cat.DailyJourneysTable(),
		MaxWorkers:            &env.Glue.MaxWorkers,
		TimeoutMinutes:        &env.Glue.TimeoutMinutes,
		MaxRetries:            &env.Glue.MaxRetries,
		FlexExecution:         &env.Glue.FlexExecution,
		SessionTimeoutMinutes: &env.Glue.SessionTimeoutMinutes,
	})
	workflow.New(stack, jsii.String(WorkflowID), &workflow.Props{
		WorkflowName: jsii.String(ResourceName(env, "batch")),
		Crawler:      rawCrawler.Resource(),
		Job:          job.GlueJob(),
		Schedule:     jsii.String(env.Glue.Schedule),
	})
	alarms.New(stack, jsii.String(AlarmsID), &alarms.Props{
		Job:                  job.GlueJob(),
		Crawler:              rawCrawler,
		Email:                optional(env.Alarms.Email),
		DurationAlarmMinutes: &env.Glue.DurationAlarmMinutes,
		RemovalPolicy:        removal,
	})
	if q := env.QuickSight; q.Enabled {
		quicksight.New(stack, jsii.String(QuickSightID), &quicksight.Props{
			ResourcePrefix: jsii.String(NamePrefix(env)),
			WorkGroup:      workGroup,
			Catalog:        cat,
			Owners:         q.Owners,
			Viewers:        q.Viewers,
			ImportMode:     jsii.String(q.ImportMode),
			RefreshTime:    jsii.String(q.RefreshTime),
		})
	}
	return stack
}

// DatabaseName is the Glue database of the environment: <prefix>_<env>, an Athena identifier.
func DatabaseName(env config.Environment) string {
	return strings.ReplaceAll(env.Prefix+"_"+env.Name, "-", "_")
}

// NamePrefix starts the names of the environment's named resources: <prefix>-<env>.
func NamePrefix(env config.Environment) string { return env.Prefix + "-" + env.Name }

// WorkGroupName is the Athena workgroup of the environment: <prefix>-<env>.
func WorkGroupName(env config.Environment) string { return NamePrefix(env) }

// ResourceName names the environment's named resources: <prefix>-<env>-<suffix>.
func ResourceName(env config.Environment, suffix string) string {
	return NamePrefix(env) + "-" + suffix
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}
