package ingestion

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

// CollectorPackage is the collector's Lambda entry point, built at synth.
const CollectorPackage = "github.com/clickstream-analytics/datalake/constructs/ingestion/collector/lambda"

// Bootstrap is the executable name the provided.al2023 runtime starts.
const Bootstrap = "bootstrap"

var build struct {
	once sync.Once
	dir  string
	err  error
}

// CollectorCode is the collector built for Lambda (linux/arm64, static, reproducible: no
// build id, no paths, so the asset hash changes only with the code or the Go version) by the
// project's Go toolchain ($GO, else go on PATH). It builds once per process into a temporary
// folder; the synthesized assembly keeps its own copy.
func CollectorCode() (awslambda.Code, error) {
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "clickstream-collector-")
		if build.err != nil {
			return
		}
		goBin := os.Getenv("GO")
		if goBin == "" {
			goBin = "go"
		}
		cmd := exec.Command(goBin, "build", "-trimpath", "-tags", "lambda.norpc", "-ldflags", "-s -w -buildid=",
			"-o", filepath.Join(build.dir, Bootstrap), CollectorPackage)
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("ingestion: building the collector (%s): %v\n%s", cmd, err, out)
		}
	})
	if build.err != nil {
		return nil, build.err
	}
	return awslambda.Code_FromAsset(jsii.String(build.dir), nil), nil
}
