package suppress

import (
	"os"
	"reflect"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
)

var metadata map[string]any

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Fixture"), nil)
	queue := awssqs.NewQueue(stack, jsii.String("Queue"), nil).Node().DefaultChild().(awscdk.CfnResource)
	Checkov(queue, "CKV_AWS_27", "first reason")
	Checkov(queue, "CKV_AWS_27", "second reason replaces the first")
	Checkov(queue, "CKV_AWS_1", "another check")
	CfnLint(queue, "W3005", "first")
	CfnLint(queue, "W3005", "again")
	CfnLint(queue, "E3002", "other rule")
	resources := *assertions.Template_FromStack(stack, nil).FindResources(jsii.String("AWS::SQS::Queue"), nil)
	for _, r := range resources {
		metadata = (*r)["Metadata"].(map[string]any)
	}
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func TestCheckov(t *testing.T) {
	want := map[string]any{"skip": []any{
		map[string]any{"id": "CKV_AWS_27", "comment": "second reason replaces the first"},
		map[string]any{"id": "CKV_AWS_1", "comment": "another check"},
	}}
	if got := metadata[CheckovKey]; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestCfnLint(t *testing.T) {
	want := map[string]any{
		"config":         map[string]any{"ignore_checks": []any{"W3005", "E3002"}},
		"justifications": map[string]any{"W3005": "again", "E3002": "other rule"},
	}
	if got := metadata[CfnLintKey]; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
