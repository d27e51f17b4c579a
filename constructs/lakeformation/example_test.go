package lakeformation_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/lakeformation"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// A lake governed by Lake Formation: both data buckets registered, the catalog's readers
// granted per curated table.
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	lf := lakeformation.New(stack, jsii.String("LakeFormation"), &lakeformation.Props{
		Locations: []awss3.IBucket{storage.RawBucket(), storage.CuratedBucket()},
	})
	cat := catalog.New(stack, jsii.String("Catalog"), &catalog.Props{
		DatabaseName:  jsii.String("clickstream_prod"),
		CuratedBucket: storage.CuratedBucket(),
		LakeFormation: lf,
	})
	analyst := awsiam.NewRole(stack, jsii.String("Analyst"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewAccountRootPrincipal(),
	})
	// IAM read of the tables, DESCRIBE on the database, SELECT and DESCRIBE on each curated
	// table, and lakeformation:GetDataAccess.
	cat.GrantRead(analyst)
}
