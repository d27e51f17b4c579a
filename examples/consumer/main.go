// Command consumer is a platform team's own CDK app that puts the clickstream pipeline into a
// stack of its own, beside a resource of its own: the way an external module uses the
// construct library (see go.mod's replace; a real consumer requires a released version).
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/analytics"
)

// NewShopStack is the team's stack: the pipeline named "shop-lake-…" with QuickSight off (the
// team brings its own BI) and failure e-mails to its on-call list, and the team's own analyst
// role, allowed to query the curated tables in the pipeline's governed workgroup.
func NewShopStack(scope constructs.Construct, id string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), nil)
	lake := analytics.New(stack, jsii.String("Clickstream"), &analytics.Props{
		NamePrefix: jsii.String("shop-lake"),
		Alarms:     analytics.AlarmsProps{Email: jsii.String("oncall@shop.example")},
	})
	analyst := awsiam.NewRole(stack, jsii.String("Analyst"), &awsiam.RoleProps{
		RoleName:  jsii.String("shop-analyst"),
		AssumedBy: awsiam.NewAccountRootPrincipal(),
	})
	lake.WorkGroup().GrantQuery(analyst)
	return stack
}

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	NewShopStack(app, "ShopAnalytics")
	app.Synth(nil)
}
