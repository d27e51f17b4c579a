package catalog_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// The curated tables over a lake's curated bucket, readable by an analyst role.
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	cat := catalog.New(stack, jsii.String("Catalog"), &catalog.Props{
		DatabaseName:  jsii.String("clickstream_prod"),
		CuratedBucket: storage.CuratedBucket(),
	})
	analyst := awsiam.NewRole(stack, jsii.String("Analyst"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewAccountRootPrincipal(),
	})
	cat.GrantRead(analyst)
}
