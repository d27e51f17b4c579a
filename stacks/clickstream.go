// Package stacks composes the constructs into one stack per environment. It holds no
// resource definitions of its own: only which constructs, wired how.
package stacks

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// Construct IDs of the stack's top-level constructs. Stateful resources live below them, so
// these IDs are part of every stateful logical ID: never rename them.
const (
	StorageID = "Storage"
	CatalogID = "Catalog"
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
	_ = cat
	return stack
}

// DatabaseName is the Glue database of the environment: <prefix>_<env>, an Athena identifier.
func DatabaseName(env config.Environment) string {
	return strings.ReplaceAll(env.Prefix+"_"+env.Name, "-", "_")
}

// ResourceName names the environment's named resources: <prefix>-<env>-<suffix>.
func ResourceName(env config.Environment, suffix string) string {
	return env.Prefix + "-" + env.Name + "-" + suffix
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}
