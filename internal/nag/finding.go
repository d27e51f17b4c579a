package nag

// The functions below spell cdk-nag findings exactly as cdk-nag reports them, so a
// suppression's AppliesTo names the one finding it accepts (e.g. the resource
// "Resource::<RawBucket1234.Arn>/events/*") instead of a broad pattern.

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
)

// Action is the finding of a wildcard action, e.g. Action("s3:GetObject*").
func Action(action string) string { return "Action::" + action }

// Resource is the finding of a wildcard resource: the resolved value (an ARN token or
// string) followed by suffix, rendered like cdk-nag renders intrinsics (<LogicalId.Arn>,
// <LogicalId>, <AWS::Region>).
func Resource(scope constructs.IConstruct, value *string, suffix string) string {
	return "Resource::" + Render(awscdk.Stack_Of(scope).Resolve(*value)) + suffix
}

// Render turns a resolved CloudFormation value into cdk-nag's textual form.
func Render(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *string:
		return *x
	case map[string]any:
		if ref, ok := x["Ref"]; ok {
			return "<" + Render(ref) + ">"
		}
		if att, ok := x["Fn::GetAtt"].([]any); ok && len(att) == 2 {
			return "<" + Render(att[0]) + "." + Render(att[1]) + ">"
		}
		if join, ok := x["Fn::Join"].([]any); ok && len(join) == 2 {
			parts, _ := join[1].([]any)
			out := make([]string, len(parts))
			for i, p := range parts {
				out[i] = Render(p)
			}
			return strings.Join(out, Render(join[0]))
		}
	}
	return fmt.Sprint(v)
}

// BucketReadActions are the wildcard actions of CDK's Bucket.grantRead (plus kms:Decrypt,
// which has no wildcard), as cdk-nag reports them.
func BucketReadActions() []any {
	return []any{Action("s3:GetObject*"), Action("s3:GetBucket*"), Action("s3:List*")}
}

// BucketReadWriteActions are the wildcard actions of CDK's Bucket.grantReadWrite on a
// KMS-encrypted bucket, as cdk-nag reports them.
func BucketReadWriteActions() []any {
	return append(BucketReadActions(), Action("s3:DeleteObject*"), Action("s3:Abort*"),
		Action("kms:ReEncrypt*"), Action("kms:GenerateDataKey*"))
}
