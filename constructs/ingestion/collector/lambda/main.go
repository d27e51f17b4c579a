// Command lambda is the collector's AWS Lambda entry point (arm64, provided.al2023): a
// function URL invocation handled by collector.HandleFunctionURL. The ingestion construct
// builds it at synth and sets its environment (collector.Env*).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/firehose"

	"github.com/clickstream-analytics/datalake/constructs/ingestion/collector"
)

func main() {
	cfg, err := collector.ConfigFromEnv(os.Getenv)
	if err != nil {
		fail(err)
	}
	// The collector retries itself (collector.DeliveryAttempts); SDK retries would multiply them.
	awsCfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }))
	if err != nil {
		fail(err)
	}
	c, err := collector.New(cfg, firehose.NewFromConfig(awsCfg))
	if err != nil {
		fail(err)
	}
	lambda.Start(c.HandleFunctionURL)
}

// fail ends the init phase: Lambda reports the error and every request answers 5xx, which
// the Errors alarm sees.
func fail(err error) {
	fmt.Fprintln(os.Stderr, "collector:", err)
	os.Exit(1)
}
