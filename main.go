// Command datalake is the CDK app: one ClickstreamAnalytics-<env> stack per environment
// configured in cdk.json ("environments"), or only the one selected with `-c env=<name>`.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/stacks"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	envs, err := stacks.LoadEnvironments(app)
	if err != nil {
		fmt.Fprintf(os.Stderr, "invalid configuration in cdk.json:\n%v\n", err)
		jsii.Close()
		os.Exit(1)
	}
	stacks.Build(app, envs)
	app.Synth(nil)
}
