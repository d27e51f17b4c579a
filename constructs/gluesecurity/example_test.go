package gluesecurity_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// One security configuration for every Glue crawler and job of the lake, under the lake key,
// and a job role allowed to write its encrypted logs.
func ExampleNew() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Lake"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	security := gluesecurity.New(stack, jsii.String("GlueSecurity"), &gluesecurity.Props{
		SecurityConfigurationName: jsii.String("clickstream-dev-glue-security"),
		EncryptionKey:             storage.EncryptionKey(),
	})
	role := awsiam.NewRole(stack, jsii.String("JobRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("glue.amazonaws.com"), nil),
	})
	security.GrantWriteLogs(role, gluesecurity.JobLogGroups)
}
