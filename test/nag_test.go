package test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/clickstream-analytics/datalake/internal/nag"
)

// minReasonLength rejects placeholder reasons ("ok", "needed", "TODO") in any suppression.
const minReasonLength = 40

// granularRules report one finding per action or resource: a suppression without AppliesTo
// would accept every present and future finding of the resource.
var granularRules = map[string]bool{"AwsSolutions-IAM4": true, "AwsSolutions-IAM5": true}

// TestNag fails on every cdk-nag AwsSolutions finding that is not suppressed next to the
// construct that causes it, naming the resource path and the rule.
func TestNag(t *testing.T) {
	forEachEnvironment(t, func(t *testing.T, env environment) {
		t.Run("the AwsSolutions pack checks the stack", func(t *testing.T) {
			// Without it, zero findings would prove nothing.
			for _, aspect := range *awscdk.Aspects_Of(env.stack).All() {
				if pack, ok := aspect.(cdknag.NagPack); ok && *pack.ReadPackName() == "AwsSolutions" {
					return
				}
			}
			t.Fatal("stacks.Build added no AwsSolutions pack to the stack")
		})
		t.Run("no unsuppressed errors or warnings", func(t *testing.T) {
			for _, f := range nag.Findings(env.stack) {
				t.Error(f)
			}
		})
	})
}

// TestNagSuppressions holds every suppression to the rules of the issue: per resource, the
// exact rule, scoped to the exact finding, with a real reason.
func TestNagSuppressions(t *testing.T) {
	forEachEnvironment(t, func(t *testing.T, env environment) {
		t.Run("no stack-level suppressions", func(t *testing.T) {
			if md, ok := env.template["Metadata"].(map[string]any); ok && md["cdk_nag"] != nil {
				t.Errorf("template Metadata.cdk_nag = %v: suppress on the resource that causes the finding", md["cdk_nag"])
			}
		})
		t.Run("every suppression names a rule, its finding and a reason", func(t *testing.T) {
			for _, r := range env.resources() {
				md, _ := r.Metadata["cdk_nag"].(map[string]any)
				rules, _ := md["rules_to_suppress"].([]any)
				for _, raw := range rules {
					s, _ := raw.(map[string]any)
					id, _ := s["id"].(string)
					reason, _ := s["reason"].(string)
					appliesTo, _ := s["applies_to"].([]any)
					if !strings.HasPrefix(id, nag.RulePrefix) || strings.ContainsAny(id, "*?") {
						t.Errorf("%s: suppression of %q: name one %s rule exactly", r.LogicalID, id, nag.RulePrefix)
					}
					if len(strings.TrimSpace(reason)) < minReasonLength {
						t.Errorf("%s: %s suppressed with reason %q: explain why it is acceptable (at least %d characters)", r.LogicalID, id, reason, minReasonLength)
					}
					if granularRules[id] && len(appliesTo) == 0 {
						t.Errorf("%s: %s suppressed without appliesTo: list the exact findings", r.LogicalID, id)
					}
					for _, a := range appliesTo {
						if f, ok := a.(string); !ok || f == "Action::*" {
							t.Errorf("%s: %s suppressed for %v: name each exact finding, not a pattern", r.LogicalID, id, a)
						}
					}
				}
			}
		})
	})
}
