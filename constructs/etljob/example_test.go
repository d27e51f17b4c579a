package etljob_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/etljob"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// The ETL job of a development environment: Flex execution and at most 4 workers; every
// other setting keeps its default.
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	cat := catalog.New(stack, jsii.String("Catalog"), &catalog.Props{
		DatabaseName: jsii.String("clickstream_dev"), CuratedBucket: storage.CuratedBucket(),
	})
	security := gluesecurity.New(stack, jsii.String("GlueSecurity"), &gluesecurity.Props{
		SecurityConfigurationName: jsii.String("clickstream-dev-glue-security"), EncryptionKey: storage.EncryptionKey(),
	})
	workers := 4
	etljob.New(stack, jsii.String("EtlJob"), &etljob.Props{
		JobName:            jsii.String("clickstream-dev-etl"),
		RawBucket:          storage.RawBucket(),
		CuratedBucket:      storage.CuratedBucket(),
		AssetsBucket:       storage.AssetsBucket(),
		Security:           security,
		Database:           cat.Database(),
		EventsTable:        cat.EventsTable(),
		SessionsTable:      cat.SessionsTable(),
		QuarantineTable:    cat.QuarantineTable(),
		DailyTrafficTable:  cat.DailyTrafficTable(),
		DailyPagesTable:    cat.DailyPagesTable(),
		DailyJourneysTable: cat.DailyJourneysTable(),
		MaxWorkers:         &workers,
		FlexExecution:      jsii.Bool(true),
	})
}
