package test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clickstream-analytics/datalake/internal/suppress"
)

// TestScannerSkips holds checkov skips and cfn-lint ignores (which the scanners read from
// each resource's Metadata) to the same standard as cdk-nag suppressions: one named check,
// on one resource, with a reason a reviewer can judge.
func TestScannerSkips(t *testing.T) {
	forEachEnvironment(t, func(t *testing.T, env environment) {
		t.Run("no template-wide skips", func(t *testing.T) {
			md, _ := env.template["Metadata"].(map[string]any)
			for _, key := range []string{suppress.CheckovKey, suppress.CfnLintKey} {
				if md[key] != nil {
					t.Errorf("template Metadata.%s = %v: skip on the resource that needs it", key, md[key])
				}
			}
		})
		t.Run("every checkov skip names a check and a reason", func(t *testing.T) {
			for _, r := range env.resources() {
				skips, _ := dig(r.Metadata, suppress.CheckovKey, "skip").([]any)
				for _, raw := range skips {
					id, _ := dig(raw, "id").(string)
					reason, _ := dig(raw, "comment").(string)
					if !strings.HasPrefix(id, "CKV") || strings.ContainsAny(id, "*?") {
						t.Errorf("%s (%s): checkov skip %q: name one check exactly", r.LogicalID, r.Type, id)
					}
					if len(strings.TrimSpace(reason)) < minReasonLength {
						t.Errorf("%s (%s): checkov skip %s has comment %q: explain why it is acceptable (at least %d characters)", r.LogicalID, r.Type, id, reason, minReasonLength)
					}
				}
			}
		})
		t.Run("every cfn-lint ignore names a rule and a reason", func(t *testing.T) {
			for _, r := range env.resources() {
				rules, _ := dig(r.Metadata, suppress.CfnLintKey, "config", "ignore_checks").([]any)
				reasons, _ := dig(r.Metadata, suppress.CfnLintKey, "justifications").(map[string]any)
				for _, raw := range rules {
					rule := fmt.Sprint(raw)
					reason, _ := reasons[rule].(string)
					if len(rule) < 2 || strings.ContainsAny(rule, "*?") || !strings.ContainsAny(rule[:1], "EWI") {
						t.Errorf("%s (%s): cfn-lint ignore %q: name one rule exactly", r.LogicalID, r.Type, rule)
					}
					if len(strings.TrimSpace(reason)) < minReasonLength {
						t.Errorf("%s (%s): cfn-lint ignore %s has reason %q: record it with suppress.CfnLint (at least %d characters)", r.LogicalID, r.Type, rule, reason, minReasonLength)
					}
				}
			}
		})
	})
}
