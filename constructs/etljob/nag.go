package etljob

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

// suppressFindings accepts, on the role only, the wildcards that are its scope: object
// prefixes of the lake buckets, CDK's grant action groups, Glue-named log groups and the
// namespace-conditioned PutMetricData.
func (j *job) suppressFindings(p Props) {
	scope := j.Construct
	objects := []any{
		nag.Resource(scope, p.RawBucket.BucketArn(), "/"+*p.RawPrefix+"*"),
		nag.Resource(scope, p.AssetsBucket.BucketArn(), "/"+lakestorage.TempPrefix+"*"),
		nag.Resource(scope, p.AssetsBucket.BucketArn(), sparkUIPrefix()+"/*"),
	}
	for _, prefix := range curatedPrefixes() {
		objects = append(objects, nag.Resource(scope, p.CuratedBucket.BucketArn(), "/"+prefix+"*"))
	}
	grantActions := nag.BucketReadWriteActions()
	cdknag.NagSuppressions_AddResourceSuppressions(j.role, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("CDK's Bucket.grantRead/grantReadWrite action groups (and the matching KMS data-key actions on the lake key), " +
			"granted only on the prefixes the job reads (raw events/) or rewrites (curated tables, reports/, _state/, Glue temp/ and Spark UI logs)."),
		AppliesTo: &grantActions,
	}, {
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("The job reads every raw file under the raw prefix and rewrites whole partitions, reports and its " +
			"processed-files manifest under its own curated and assets prefixes; object keys are only known at run time."),
		AppliesTo: &objects,
	}, gluesecurity.JobLogsSuppression(scope), {
		Id:        jsii.String("AwsSolutions-IAM5"),
		Reason:    jsii.String("cloudwatch:PutMetricData supports no resource-level permissions; the statement is conditioned on the Glue metric namespace and the pipeline's own."),
		AppliesTo: &[]any{"Resource::*"},
	}, {
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("glue:PublishDataQuality of the job's in-run EvaluateDataQuality: Glue names the rulesets of in-job evaluations " +
			"itself, so the grant covers the Data Quality rulesets of this account and region only."),
		AppliesTo: &[]any{nag.Resource(scope, jsii.String(dataQualityRulesets(scope)), "")},
	}}, jsii.Bool(true))
}
