package alarms_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/alarms"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/crawler"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// Email the data team when the batch fails or a job run exceeds an hour.
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	cat := catalog.New(stack, jsii.String("Catalog"), &catalog.Props{
		DatabaseName: jsii.String("clickstream_dev"), CuratedBucket: storage.CuratedBucket(),
	})
	security := gluesecurity.New(stack, jsii.String("GlueSecurity"), &gluesecurity.Props{
		SecurityConfigurationName: jsii.String("clickstream-dev-glue-security"), EncryptionKey: storage.EncryptionKey(),
	})
	rawCrawler := crawler.New(stack, jsii.String("RawCrawler"), &crawler.Props{
		CrawlerName: jsii.String("clickstream-dev-raw-crawler"), Database: cat.Database(), RawBucket: storage.RawBucket(), Security: security,
	})
	minutes := 60
	alarms.New(stack, jsii.String("Alarms"), &alarms.Props{
		Job:                  awsglue.Job_FromJobAttributes(stack, jsii.String("Job"), &awsglue.JobAttributes{JobName: jsii.String("clickstream-dev-etl")}),
		Crawler:              rawCrawler,
		Email:                jsii.String("data-team@example.com"),
		DurationAlarmMinutes: &minutes,
	})
}
