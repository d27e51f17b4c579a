// Package constructtest holds the assertions every construct's tests share.
package constructtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/clickstream-analytics/datalake/internal/nag"
)

// Panics fails t unless build panics with a message containing want (New panics on invalid props).
func Panics(t *testing.T, want string, build func()) {
	t.Helper()
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), want) {
			t.Fatalf("recovered %v, want a panic containing %q", r, want)
		}
	}()
	build()
}

// NoNagFindings reports every unsuppressed AwsSolutions finding in scope.
func NoNagFindings(t *testing.T, scope constructs.IConstruct) {
	t.Helper()
	for _, f := range nag.Findings(scope) {
		t.Error(f)
	}
}
