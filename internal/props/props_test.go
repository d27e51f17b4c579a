package props

import (
	"regexp"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func TestIntOr(t *testing.T) {
	if got := *IntOr(nil, 30); got != 30 {
		t.Fatalf("nil: got %d, want the default 30", got)
	}
	zero := 0
	if got := IntOr(&zero, 30); got != &zero {
		t.Fatal("an explicit zero must be kept, not defaulted")
	}
}

func TestRetainOrDestroy(t *testing.T) {
	for _, ok := range []awscdk.RemovalPolicy{awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE, awscdk.RemovalPolicy_RETAIN, awscdk.RemovalPolicy_DESTROY} {
		if err := RetainOrDestroy("x", ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	err := RetainOrDestroy("catalog", awscdk.RemovalPolicy_SNAPSHOT)
	if err == nil || err.Error() != "catalog: RemovalPolicy: got SNAPSHOT, must be RETAIN_ON_UPDATE_OR_DELETE, RETAIN or DESTROY" {
		t.Fatalf("got %v", err)
	}
}

func TestRemovalPolicyOr(t *testing.T) {
	if RemovalPolicyOr("") != awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE || RemovalPolicyOr(awscdk.RemovalPolicy_DESTROY) != awscdk.RemovalPolicy_DESTROY {
		t.Fatal(RemovalPolicyOr(""), RemovalPolicyOr(awscdk.RemovalPolicy_DESTROY))
	}
}

func TestName(t *testing.T) {
	pattern := regexp.MustCompile(`^[a-z]+$`)
	for _, c := range []struct {
		value *string
		want  string
	}{
		{nil, "crawler: CrawlerName: required, must be lower-case letters"},
		{jsii.String("Bad-1"), `crawler: CrawlerName: got "Bad-1", must be lower-case letters`},
	} {
		if err := Name("crawler", "CrawlerName", c.value, pattern, "be lower-case letters"); err == nil || err.Error() != c.want {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	if err := Name("crawler", "CrawlerName", jsii.String("ok"), pattern, "be lower-case letters"); err != nil {
		t.Errorf("valid name: %v", err)
	}
	if err := Name("crawler", "CrawlerName", awscdk.Aws_STACK_NAME(), pattern, "be lower-case letters"); err != nil {
		t.Errorf("a token is checked at deploy time, not at synth: %v", err)
	}
}

func TestConstructID(t *testing.T) {
	for in, want := range map[string]string{"daily_traffic": "DailyTraffic", "new-vs_returning": "NewVsReturning", "a": "A"} {
		if got := ConstructID(in); got != want {
			t.Errorf("ConstructID(%q) = %q, want %q", in, got, want)
		}
	}
}
