package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

var template assertions.Template

func TestMain(m *testing.M) {
	template = assertions.Template_FromStack(NewShopStack(awscdk.NewApp(nil), "ShopAnalytics"), nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func has(t *testing.T, typ string, props map[string]any) {
	t.Helper()
	template.HasResourceProperties(jsii.String(typ), assertions.Match_ObjectLike(&props))
}

func TestThePipelineSitsInTheTeamsStack(t *testing.T) {
	t.Run("named from the team's prefix", func(t *testing.T) {
		has(t, "AWS::Glue::Database", map[string]any{"DatabaseInput": assertions.Match_ObjectLike(&map[string]any{"Name": "shop_lake"})})
		has(t, "AWS::Athena::WorkGroup", map[string]any{"Name": "shop-lake"})
		has(t, "AWS::Glue::Job", map[string]any{"Name": "shop-lake-etl"})
	})
	t.Run("QuickSight is off", func(t *testing.T) {
		template.ResourceCountIs(jsii.String("AWS::QuickSight::DataSource"), jsii.Number(0))
		template.ResourceCountIs(jsii.String("AWS::QuickSight::Dashboard"), jsii.Number(0))
	})
	t.Run("failure e-mails go to the team's on-call list", func(t *testing.T) {
		has(t, "AWS::SNS::Subscription", map[string]any{"Protocol": "email", "Endpoint": "oncall@shop.example"})
	})
	t.Run("the team's analyst role may query the workgroup", func(t *testing.T) {
		has(t, "AWS::IAM::Role", map[string]any{"RoleName": "shop-analyst"})
		var text strings.Builder
		for id, res := range *template.FindResources(jsii.String("AWS::IAM::Policy"), nil) {
			if strings.HasPrefix(id, "AnalystDefaultPolicy") {
				data, _ := json.Marshal(res)
				text.Write(data)
			}
		}
		for _, want := range []string{"athena:StartQueryExecution", "glue:GetTable", "s3:GetObject", ":workgroup/shop-lake"} {
			if !strings.Contains(text.String(), want) {
				t.Errorf("analyst policy lacks %s: %s", want, text.String())
			}
		}
	})
}
