package analytics_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/analytics"
)

// The whole pipeline in a stack of your own: resources named "shop-prod-…", the ETL at most
// 20 workers, dashboards for one QuickSight group. Every other setting keeps its default.
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Shop"), nil)
	workers := 20
	lake := analytics.New(stack, jsii.String("Clickstream"), &analytics.Props{
		NamePrefix: jsii.String("shop-prod"),
		Glue:       analytics.GlueProps{MaxWorkers: &workers},
		QuickSight: &analytics.QuickSightProps{
			Owners: []string{"arn:aws:quicksight:us-east-1:123456789012:group/default/bi-authors"},
		},
	})
	// An analyst role of this account may query the curated tables in the governed workgroup.
	analyst := awsiam.NewRole(stack, jsii.String("Analyst"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	lake.WorkGroup().GrantQuery(analyst)
}
