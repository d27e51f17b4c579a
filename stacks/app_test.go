package stacks

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// `make synth` runs cdk.json's app command (`go run .`) with the context in CDK_CONTEXT_JSON:
// the same program with a misspelt reporting time zone must stop before any stack is built,
// naming the environment, the field, the value and an example.
func TestSynthRefusesAnUnknownTimeZone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CDK app")
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(),
		`CDK_CONTEXT_JSON={"environments":{"dev":{"reportingTimeZone":"Asia/Soul"}}}`,
		"CDK_OUTDIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("synth succeeded:\n%s", out)
	}
	want := `environments.dev.reportingTimeZone: got "Asia/Soul", which is not in the IANA time zone database: must be a zone name such as Asia/Seoul`
	if !strings.Contains(string(out), want) {
		t.Fatalf("output:\n%s\nwant it to contain:\n%s", out, want)
	}
}
