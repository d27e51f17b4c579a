package nag

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// A bare bucket breaks S1 (no access logs) and S10 (no SSL-only policy); S1 is suppressed.
func TestFindings(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Fixture"), nil)
	bucket := awss3.NewBucket(stack, jsii.String("Bucket"), nil)
	cdknag.NagSuppressions_AddResourceSuppressions(bucket, &[]*cdknag.NagPackSuppression{{
		Id:     jsii.String("AwsSolutions-S1"),
		Reason: jsii.String("fixture: proves that a suppressed finding is not reported"),
	}}, nil)
	awscdk.Aspects_Of(stack).Add(Checks(), nil)
	assertions.Template_FromStack(stack, nil)

	got := Findings(stack)
	t.Run("reports the unsuppressed finding with path, level and rule", func(t *testing.T) {
		if len(got) != 1 {
			t.Fatalf("got %d findings, want 1: %v", len(got), got)
		}
		f := got[0]
		if f.Path != "/Fixture/Bucket/Resource" || f.Level != "error" || f.Rule != "AwsSolutions-S10" || f.Explanation == "" {
			t.Fatalf("got %+v", f)
		}
	})
	t.Run("a finding prints its path and rule first", func(t *testing.T) {
		if s := got[0].String(); !strings.HasPrefix(s, "/Fixture/Bucket/Resource: error AwsSolutions-S10\n") {
			t.Fatalf("got %q", s)
		}
	})
	t.Run("writes no report into the assembly", func(t *testing.T) {
		entries, err := os.ReadDir(*app.Outdir())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), "NagReport.csv") {
				t.Fatalf("report %s written", e.Name())
			}
		}
	})
}
