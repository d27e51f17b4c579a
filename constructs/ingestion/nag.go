package ingestion

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/clickstream-analytics/datalake/internal/nag"
	"github.com/clickstream-analytics/datalake/internal/suppress"
)

// suppressDeliveryRole accepts, on the delivery role only, the object wildcards that are its
// scope: new objects under the raw events prefix and the error prefix.
func suppressDeliveryRole(role awsiam.Role, p Props) {
	cdknag.NagSuppressions_AddResourceSuppressions(role, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("Firehose names each object it delivers (prefix, hour folders, stream name, random suffix); " +
			"writes are limited to the raw events prefix and the delivery-error prefix of the raw bucket."),
		AppliesTo: &[]any{
			nag.Resource(role, p.RawBucket.BucketArn(), "/"+*p.RawPrefix+"*"),
			nag.Resource(role, p.RawBucket.BucketArn(), "/"+*p.ErrorPrefix+"*"),
		},
	}}, jsii.Bool(true))
}

// suppressFunction records the checkov checks that do not apply to a synchronous collector.
func suppressFunction(fn awslambda.Function) {
	resource := fn.Node().DefaultChild().(awscdk.CfnResource)
	suppress.Checkov(resource, "CKV_AWS_116", "Invoked synchronously through its function URL only: the caller sees a failure "+
		"(5xx) and the tracker retries; a dead-letter queue serves asynchronous invocations.")
	suppress.Checkov(resource, "CKV_AWS_117", "The function reaches only the Firehose API and its logs; a VPC would add NAT or "+
		"endpoint costs without a private resource to protect.")
	suppress.Checkov(resource, "CKV_AWS_173", "The environment holds no secret (stream name, allowed origins, limits); "+
		"Lambda encrypts it at rest with an AWS managed key.")
	suppress.CfnLint(resource, "W3005", "CDK emits both DependsOn and GetAtt on the function's role so the role and "+
		"its policy exist before the function; the redundant DependsOn is generated, not ours")
}

// suppressFunctionUrl records why the collector's URL takes anonymous requests.
func suppressFunctionUrl(url awslambda.FunctionUrl) {
	suppress.Checkov(url.Node().DefaultChild().(awscdk.CfnResource), "CKV_AWS_258", "Browsers of anonymous visitors send "+
		"the events: the collector accepts only bounded JSON bodies from the allowed origins (CORS and its own check), "+
		"its reserved concurrency is the throttle, and it can only put records into its own delivery stream.")
}
