package quicksight

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/clickstream-analytics/datalake/internal/nag"
)

// suppressFindings accepts, on the data source role only, the wildcards of the workgroup's
// query grant: CDK's bucket and key grant action groups, on the curated tables' object prefixes
// and the query results bucket.
func (q *quickSight) suppressFindings(p Props) {
	var objects []any
	for _, t := range p.Catalog.Tables() {
		if s3t, ok := t.(awsglue.S3Table); ok {
			objects = append(objects, nag.Resource(q.Construct, s3t.Bucket().BucketArn(), "/"+*s3t.S3Prefix()+"*"))
		}
	}
	objects = append(objects, nag.Resource(q.Construct, p.WorkGroup.ResultsBucket().BucketArn(), "/*"))
	grantActions := nag.BucketReadWriteActions()
	cdknag.NagSuppressions_AddResourceSuppressions(q.role, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("CDK's Bucket.grantRead/grantReadWrite action groups and the matching KMS data-key actions on the lake key, " +
			"from the workgroup's GrantQuery: Athena reads the curated tables and writes and reads query results for QuickSight."),
		AppliesTo: &grantActions,
	}, {
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("Athena reads every Parquet object of the curated tables (partitions are named at run time) " +
			"and writes each query's result object under a generated key in the results bucket."),
		AppliesTo: &objects,
	}, {
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("athena:ListWorkGroups, ListDataCatalogs and ListEngineVersions support no resource-level permissions; " +
			"QuickSight calls them to validate the Athena data source, and they return names and settings, never data."),
		AppliesTo: &[]any{"Resource::*"},
	}}, jsii.Bool(true))
}
