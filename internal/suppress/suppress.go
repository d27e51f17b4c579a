// Package suppress records template-scanner exceptions on the one resource that needs them,
// each with its reason, so a skip can never be global and never undocumented. The
// cross-cutting tests in test/ reject a skip without a reason.
//
// cdk-nag has its own per-resource API (cdknag.NagSuppressions_AddResourceSuppressions with
// AppliesTo); this package covers checkov and cfn-lint, which read the template's Metadata.
package suppress

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Metadata keys and fields the scanners read (and test/ checks).
const (
	// CheckovKey holds {"skip": [{"id": "CKV_AWS_18", "comment": "<reason>"}]}.
	CheckovKey = "checkov"
	// CfnLintKey holds {"config": {"ignore_checks": ["W3005"]}, "justifications": {"W3005": "<reason>"}};
	// cfn-lint reads only config and ignores the other field.
	CfnLintKey = "cfn-lint"
)

// Checkov skips one checkov check on resource, with the reason a reviewer reads in the
// template and in checkov's report.
func Checkov(resource awscdk.CfnResource, check, reason string) {
	md, _ := resource.GetMetadata(jsii.String(CheckovKey)).(map[string]any)
	if md == nil {
		md = map[string]any{}
	}
	skips, _ := md["skip"].([]any)
	// Recording the same check twice keeps one entry, with the latest reason.
	skips = slices.DeleteFunc(skips, func(s any) bool {
		m, ok := s.(map[string]any)
		return ok && m["id"] == check
	})
	md["skip"] = append(skips, map[string]any{"id": check, "comment": reason})
	resource.AddMetadata(jsii.String(CheckovKey), md)
}

// CfnLint ignores one cfn-lint rule on resource, recording the reason next to it.
func CfnLint(resource awscdk.CfnResource, rule, reason string) {
	md, _ := resource.GetMetadata(jsii.String(CfnLintKey)).(map[string]any)
	if md == nil {
		md = map[string]any{}
	}
	config, _ := md["config"].(map[string]any)
	if config == nil {
		config = map[string]any{}
	}
	ignored, _ := config["ignore_checks"].([]any)
	if !slices.Contains(ignored, any(rule)) {
		config["ignore_checks"] = append(ignored, rule)
	}
	md["config"] = config
	reasons, _ := md["justifications"].(map[string]any)
	if reasons == nil {
		reasons = map[string]any{}
	}
	reasons[rule] = reason
	md["justifications"] = reasons
	resource.AddMetadata(jsii.String(CfnLintKey), md)
}
