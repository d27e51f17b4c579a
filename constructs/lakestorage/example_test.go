package lakestorage_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// A lake with the defaults, except raw data that stays in Standard-IA for half a year, and a
// role that may read the raw events (the bucket grant includes the lake key).
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	glacierDays := 180
	storage := lakestorage.New(stack, jsii.String("Storage"), &lakestorage.Props{
		RawGlacierDays: &glacierDays,
	})
	reader := awsiam.NewRole(stack, jsii.String("Reader"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("glue.amazonaws.com"), nil),
	})
	storage.RawBucket().GrantRead(reader, jsii.String(lakestorage.RawEventsPrefix+"*"))
}
