package ingestion_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/ingestion"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// The collector of a production shop: its two sites may send events, everything else keeps
// its default (128 KiB and 100 events per request, reserved concurrency 10, files every 5
// minutes or 64 MiB). Trackers post to CollectUrl().
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	topic := awssns.NewTopic(stack, jsii.String("Alarms"), &awssns.TopicProps{MasterKey: storage.EncryptionKey(), EnforceSSL: jsii.Bool(true)})
	in := ingestion.New(stack, jsii.String("Ingestion"), &ingestion.Props{
		RawBucket:          storage.RawBucket(),
		EncryptionKey:      storage.EncryptionKey(),
		AlarmTopic:         topic,
		FunctionName:       jsii.String("clickstream-prod-collector"),
		DeliveryStreamName: jsii.String("clickstream-prod-events"),
		AllowedOrigins:     jsii.Strings("https://shop.example.com", "https://www.example.com"),
	})
	awscdk.NewCfnOutput(stack, jsii.String("CollectUrl"), &awscdk.CfnOutputProps{Value: in.CollectUrl()})
}
