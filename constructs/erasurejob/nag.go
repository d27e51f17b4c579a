package erasurejob

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

// suppressFindings accepts, on the role only, the wildcards that are its scope: the object
// prefixes it reads or rewrites, CDK's grant action groups and Glue-named log groups.
func (j *job) suppressFindings(p Props) {
	scope := j.Construct
	objects := []any{
		nag.Resource(scope, p.RawBucket.BucketArn(), "/"+*p.RawPrefix+"*"),
		nag.Resource(scope, p.CuratedBucket.BucketArn(), "/"+lakestorage.ErasureRequestsPrefix+"*"),
		nag.Resource(scope, p.AssetsBucket.BucketArn(), "/"+lakestorage.TempPrefix+"*"),
	}
	for _, prefix := range rewrittenPrefixes() {
		objects = append(objects, nag.Resource(scope, p.CuratedBucket.BucketArn(), "/"+prefix+"*"))
	}
	actions := nag.BucketReadWriteActions()
	cdknag.NagSuppressions_AddResourceSuppressions(j.role, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("CDK's Bucket.grantRead/grantReadWrite action groups (and the matching KMS data-key actions on the lake key), " +
			"granted only on the prefixes the erasure reads (requests) or rewrites (raw events/, curated tables, _state/, its reports, Glue temp/)."),
		AppliesTo: &actions,
	}, {
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("The erasure rewrites whichever raw objects and table partitions hold the requested visitors; " +
			"object keys are only known at run time, so the grants are on the prefixes."),
		AppliesTo: &objects,
	}, gluesecurity.JobLogsSuppression(scope)}, jsii.Bool(true))
}
