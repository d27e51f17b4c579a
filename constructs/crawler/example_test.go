package crawler_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/crawler"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// The raw crawler of one environment: it catalogs raw/events/ as the raw_events table of the
// environment's database.
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	cat := catalog.New(stack, jsii.String("Catalog"), &catalog.Props{
		DatabaseName: jsii.String("clickstream_dev"), CuratedBucket: storage.CuratedBucket(),
	})
	security := gluesecurity.New(stack, jsii.String("GlueSecurity"), &gluesecurity.Props{
		SecurityConfigurationName: jsii.String("clickstream-dev-glue-security"), EncryptionKey: storage.EncryptionKey(),
	})
	crawler.New(stack, jsii.String("RawCrawler"), &crawler.Props{
		CrawlerName: jsii.String("clickstream-dev-raw-crawler"),
		Database:    cat.Database(),
		RawBucket:   storage.RawBucket(),
		Security:    security,
	})
}
