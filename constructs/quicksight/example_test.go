package quicksight_test

import (
	"fmt"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/athena"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/constructs/quicksight"
)

// Dashboards over the lake: an Athena data source on the lake's workgroup, one SPICE dataset
// per sql/quicksight file refreshed daily at 07:30 UTC, and the dashboard and analysis, owned
// by an authors group and shared read-only with a viewers group of the us-east-1 identity
// region.
func Example() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	cat := catalog.New(stack, jsii.String("Catalog"), &catalog.Props{
		DatabaseName:  jsii.String("clickstream_prod"),
		CuratedBucket: storage.CuratedBucket(),
	})
	workgroup := athena.New(stack, jsii.String("Athena"), &athena.Props{
		WorkGroupName: jsii.String("clickstream-prod"),
		ResultsBucket: storage.AthenaResultsBucket(),
		EncryptionKey: storage.EncryptionKey(),
		Catalog:       cat,
	})
	dashboards := quicksight.New(stack, jsii.String("QuickSight"), &quicksight.Props{
		ResourcePrefix: jsii.String("clickstream-prod"),
		WorkGroup:      workgroup,
		Catalog:        cat,
		Owners:         []string{"arn:aws:quicksight:us-east-1:123456789012:group/default/clickstream-authors"},
		Viewers:        []string{"arn:aws:quicksight:us-east-1:123456789012:group/default/clickstream-viewers"},
		RefreshTime:    jsii.String("07:30"),
	})
	var names []string
	for name := range dashboards.DataSetArns() {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Println(names)
	// Output: [campaigns events funnel page_performance sessions]
}
