package athena_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/athena"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// A governed workgroup over the lake's catalog, and a role that may query in it.
func Example() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	cat := catalog.New(stack, jsii.String("Catalog"), &catalog.Props{
		DatabaseName:  jsii.String("clickstream_dev"),
		CuratedBucket: storage.CuratedBucket(),
	})
	cutoff := int64(100 * 1024 * 1024 * 1024) // 100 GiB per query
	workgroup := athena.New(stack, jsii.String("Athena"), &athena.Props{
		WorkGroupName:      jsii.String("clickstream-dev"),
		ResultsBucket:      storage.AthenaResultsBucket(),
		EncryptionKey:      storage.EncryptionKey(),
		Catalog:            cat,
		BytesScannedCutoff: &cutoff,
	})
	analyst := awsiam.NewRole(stack, jsii.String("Analyst"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewAccountRootPrincipal(),
	})
	workgroup.GrantQuery(analyst)
	fmt.Println(len(workgroup.NamedQueries()) >= 8)
	// Output: true
}
