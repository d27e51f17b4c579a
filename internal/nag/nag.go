// Package nag is the project's cdk-nag setup: the rule pack every stack gets (stacks.Build)
// and a reader of the findings it leaves, for tests of stacks and of single constructs, and the
// exact spelling of findings for scoped suppressions (finding.go).
package nag

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// RulePrefix starts every AwsSolutions rule ID and finding message.
const RulePrefix = "AwsSolutions-"

// Checks returns the AwsSolutions pack. Verbose messages explain each rule to the reader of a
// failure; CSV reports are off because tests read the findings from the construct tree and
// cdk.out should hold only what cfn-lint and checkov scan.
func Checks() awscdk.IAspect {
	return cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true), Reports: jsii.Bool(false)})
}

// Finding is one unsuppressed rule violation.
type Finding struct {
	// Path is the construct path of the offending resource, e.g. /Stack/Storage/RawBucket/Resource.
	Path string
	// Level is "error" or "warning".
	Level string
	// Rule is the rule ID, with the granular finding when the rule has one
	// (AwsSolutions-IAM5[Action::s3:*]).
	Rule string
	// Explanation is cdk-nag's description of the rule.
	Explanation string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: %s %s\n\t%s", f.Path, f.Level, f.Rule, f.Explanation)
}

// levels maps the construct metadata types cdk-nag writes (through Annotations) to levels.
var levels = map[string]string{"aws:cdk:error": "error", "aws:cdk:warning": "warning"}

// Findings returns the unsuppressed AwsSolutions errors and warnings under scope, by path. The
// scope's stack must have been synthesized (e.g. by assertions.Template_FromStack): the pack
// runs as an aspect during synthesis. Suppressed findings leave no error or warning.
func Findings(scope constructs.IConstruct) []Finding {
	var out []Finding
	for _, c := range *scope.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		for _, entry := range *c.Node().Metadata() {
			level, ok := levels[*entry.Type]
			text, isText := entry.Data.(string)
			if !ok || !isText || !strings.HasPrefix(text, RulePrefix) {
				continue
			}
			rule, explanation, _ := strings.Cut(text, ": ")
			out = append(out, Finding{Path: "/" + *c.Node().Path(), Level: level, Rule: rule, Explanation: strings.TrimSpace(explanation)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
