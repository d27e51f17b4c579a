package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/analytics"
)

// Stack output keys: what users and tools (make smoke, tools/smoke/outputs.py) read of a
// deployed environment. Renaming one breaks them.
const (
	OutputRawBucket           = "RawBucketName"
	OutputCuratedBucket       = "CuratedBucketName"
	OutputAthenaResultsBucket = "AthenaResultsBucketName"
	OutputDatabase            = "DatabaseName"
	OutputWorkGroup           = "WorkGroupName"
	OutputWorkflow            = "WorkflowName"
	OutputJob                 = "JobName"
	OutputCrawler             = "CrawlerName"
	OutputFailureTopic        = "FailureTopicArn"
	// OutputDashboard exists where QuickSight is enabled.
	OutputDashboard = "DashboardId"
	// OutputCollectUrl exists where ingestion is enabled: the tracker's data-endpoint.
	OutputCollectUrl = "CollectUrl"
)

// addOutputs declares the stack outputs of a deployed pipeline.
func addOutputs(stack awscdk.Stack, lake analytics.Analytics) {
	out := func(key string, value *string, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(key), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	s := lake.Storage()
	out(OutputRawBucket, s.RawBucket().BucketName(), "Raw events bucket (events/year=/month=/day=/hour=/)")
	out(OutputCuratedBucket, s.CuratedBucket().BucketName(), "Curated Parquet tables, ETL reports and state")
	out(OutputAthenaResultsBucket, s.AthenaResultsBucket().BucketName(), "Athena query results of the workgroup")
	out(OutputDatabase, lake.DatabaseName(), "Glue database of the curated tables and the crawled raw table")
	out(OutputWorkGroup, lake.WorkGroup().WorkGroupName(), "Governed Athena workgroup with the named queries")
	out(OutputWorkflow, lake.Workflow().WorkflowName(), "Glue workflow: scheduled crawl, then the ETL job")
	out(OutputJob, lake.Job().JobName(), "Glue ETL job")
	out(OutputCrawler, lake.RawCrawler().CrawlerName(), "Glue crawler of the raw zone")
	out(OutputFailureTopic, lake.Alarms().Topic().TopicArn(), "SNS topic of every failure and data alarm")
	if q := lake.QuickSight(); q != nil {
		out(OutputDashboard, q.DashboardId(), "QuickSight dashboard ID")
	}
	if in := lake.Ingestion(); in != nil {
		out(OutputCollectUrl, in.CollectUrl(), "Collector endpoint: the tracker's data-endpoint")
	}
}
