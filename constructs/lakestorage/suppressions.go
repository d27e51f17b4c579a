package lakestorage

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/internal/suppress"
)

// autoDeleteProviderID is the construct ID under which CDK creates the stack-wide singleton
// that empties buckets with AutoDeleteObjects (aws-cdk-lib/aws-s3 AutoDeleteObjectsProvider).
const autoDeleteProviderID = "Custom::S3AutoDeleteObjectsCustomResourceProvider"

// suppressScannerFindings records the scanner exceptions this construct causes, each on the
// exact resource. cdk-nag needs none: AwsSolutions-S1 accepts the access-log bucket because
// it is the destination of the other buckets' logs.
func (s *lakeStorage) suppressScannerFindings(destroy bool) {
	accessLog := s.accessLog.Node().DefaultChild().(awscdk.CfnResource)
	suppress.Checkov(accessLog, "CKV_AWS_18",
		"this is the server access log destination of every lake bucket; logging it to itself would log its own log deliveries without end")

	suppress.Checkov(s.results.Node().DefaultChild().(awscdk.CfnResource), "CKV_AWS_21",
		"Athena query results are derived data, reproducible by re-running the query, and expire after AthenaResultsRetentionDays; versions would only keep expired results")
	suppress.Checkov(s.assets.Node().DefaultChild().(awscdk.CfnResource), "CKV_AWS_21",
		"holds only Glue temporary files and Spark UI event logs, rewritten by every run and expired after DefaultTempRetentionDays; versions would only keep that churn")

	if !destroy {
		return
	}
	// AutoDeleteObjects (environments that may destroy data) adds CDK's provider Lambda.
	provider := awscdk.Stack_Of(s.Construct).Node().TryFindChild(jsii.String(autoDeleteProviderID))
	if provider == nil {
		return
	}
	handler := provider.Node().FindChild(jsii.String("Handler")).(awscdk.CfnResource)
	suppress.Checkov(handler, "CKV_AWS_115",
		"CDK's auto-delete handler runs only when CloudFormation deletes a bucket, one invocation per bucket; a reserved concurrency would only take from the account pool")
	suppress.Checkov(handler, "CKV_AWS_116",
		"invoked synchronously by CloudFormation, which reports a failure as a failed stack operation; an asynchronous dead-letter queue would never receive anything")
	suppress.Checkov(handler, "CKV_AWS_117",
		"calls only the S3 API, to empty buckets of an environment being destroyed; a VPC would add NAT or endpoints and no protection for a function with no network-reachable data")
	suppress.CfnLint(handler, "W3005",
		"CDK emits both DependsOn and GetAtt on its provider role so the role exists before the function; the redundant DependsOn is generated, not ours")
}
