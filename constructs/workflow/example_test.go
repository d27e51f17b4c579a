package workflow_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/workflow"
)

// Crawl at 04:30 UTC on weekdays, then transform. Crawler and job are usually
// crawler.Crawler.Resource() and etljob.Job.GlueJob(); here they are imported by name.
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	workflow.New(stack, jsii.String("Workflow"), &workflow.Props{
		WorkflowName: jsii.String("clickstream-dev-batch"),
		Crawler:      awsglue.CfnCrawler_FromCrawlerName(stack, jsii.String("Crawler"), jsii.String("clickstream-dev-raw-crawler")),
		Job:          awsglue.CfnJob_FromJobName(stack, jsii.String("Job"), jsii.String("clickstream-dev-etl")),
		Schedule:     jsii.String("cron(30 4 ? * MON-FRI *)"),
	})
}
