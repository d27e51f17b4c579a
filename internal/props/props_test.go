package props

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
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
	for _, ok := range []awscdk.RemovalPolicy{awscdk.RemovalPolicy_RETAIN, awscdk.RemovalPolicy_DESTROY} {
		if err := RetainOrDestroy("x", ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	err := RetainOrDestroy("catalog", awscdk.RemovalPolicy_SNAPSHOT)
	if err == nil || err.Error() != "catalog: RemovalPolicy: got SNAPSHOT, must be RETAIN or DESTROY" {
		t.Fatalf("got %v", err)
	}
}
