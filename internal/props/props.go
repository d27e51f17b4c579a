// Package props holds the small helpers every construct's withDefaults and validate share.
package props

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// IntOr returns v, or a pointer to d when v is nil (an unset optional prop).
func IntOr(v *int, d int) *int {
	if v == nil {
		return &d
	}
	return v
}

// DefaultRemovalPolicy of every stateful resource: kept on update and on stack deletion, but
// removed when its own creation rolls back, so a failed first deploy leaves no named resource
// behind and can simply be retried (RETAIN would keep it and the retry would fail on "already
// exists").
const DefaultRemovalPolicy = awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE

// RemovalPolicyOr returns p, or DefaultRemovalPolicy when p is unset.
func RemovalPolicyOr(p awscdk.RemovalPolicy) awscdk.RemovalPolicy {
	if p == "" {
		return DefaultRemovalPolicy
	}
	return p
}

// RetainOrDestroy reports a RemovalPolicy other than RETAIN_ON_UPDATE_OR_DELETE, RETAIN or
// DESTROY: stateful resources are either kept or removed with their data, never snapshotted
// half-way.
func RetainOrDestroy(construct string, policy awscdk.RemovalPolicy) error {
	switch policy {
	case awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE, awscdk.RemovalPolicy_RETAIN, awscdk.RemovalPolicy_DESTROY:
		return nil
	}
	return fmt.Errorf("%s: RemovalPolicy: got %s, must be RETAIN_ON_UPDATE_OR_DELETE, RETAIN or DESTROY", construct, policy)
}

// Name reports a required resource name that is missing or, when known at synth (not a
// token), does not match pattern; rule completes "must ..." (e.g. "be 1-255 letters").
func Name(construct, field string, value *string, pattern *regexp.Regexp, rule string) error {
	switch {
	case value == nil:
		return fmt.Errorf("%s: %s: required, must %s", construct, field, rule)
	case !*awscdk.Token_IsUnresolved(value) && !pattern.MatchString(*value):
		return fmt.Errorf("%s: %s: got %q, must %s", construct, field, *value, rule)
	}
	return nil
}

// ConstructID is a snake_case or kebab-case name in PascalCase ("daily_traffic" ->
// "DailyTraffic"): the construct ID, or its suffix, of the resources named after a table or
// a query, so a new table or query needs no hand-picked ID.
func ConstructID(name string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' || r == ' ' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
