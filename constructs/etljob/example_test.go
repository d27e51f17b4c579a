package etljob_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/etljob"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// The ETL job of a development environment: Flex execution and at most 4 workers; every
// other setting keeps its default.
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	security := gluesecurity.New(stack, jsii.String("GlueSecurity"), &gluesecurity.Props{
		SecurityConfigurationName: jsii.String("clickstream-dev-glue-security"), EncryptionKey: storage.EncryptionKey(),
	})
	workers := 4
	etljob.New(stack, jsii.String("EtlJob"), &etljob.Props{
		JobName:       jsii.String("clickstream-dev-etl"),
		RawBucket:     storage.RawBucket(),
		CuratedBucket: storage.CuratedBucket(),
		AssetsBucket:  storage.AssetsBucket(),
		Security:      security,
		MaxWorkers:    &workers,
		FlexExecution: jsii.Bool(true),
	})
}
