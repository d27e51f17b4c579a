package gluesecurity

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/internal/constructtest"
)

var template assertions.Template

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Security"), nil)
	key := awskms.NewKey(stack, jsii.String("LakeKey"), nil)
	s := New(stack, jsii.String("GlueSecurity"), &Props{SecurityConfigurationName: jsii.String("lake-dev-security"), EncryptionKey: key})
	role := awsiam.NewRole(stack, jsii.String("JobRole"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("glue.amazonaws.com"), nil)})
	s.GrantWriteLogs(role, JobLogGroups)
	template = assertions.Template_FromStack(stack, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func obj(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSecurityConfiguration(t *testing.T) {
	t.Run("is named from props", func(t *testing.T) {
		template.HasResourceProperties(jsii.String("AWS::Glue::SecurityConfiguration"), obj(map[string]any{"Name": "lake-dev-security"}))
	})
	t.Run("encrypts S3 writes with SSE-KMS and the lake key", func(t *testing.T) {
		template.HasResourceProperties(jsii.String("AWS::Glue::SecurityConfiguration"), obj(map[string]any{
			"EncryptionConfiguration": obj(map[string]any{"S3Encryptions": []any{map[string]any{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": lakeKeyArn(t)}}}),
		}))
	})
	t.Run("encrypts CloudWatch logs with the lake key", func(t *testing.T) {
		template.HasResourceProperties(jsii.String("AWS::Glue::SecurityConfiguration"), obj(map[string]any{
			"EncryptionConfiguration": obj(map[string]any{"CloudWatchEncryption": map[string]any{"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": lakeKeyArn(t)}}),
		}))
	})
	t.Run("encrypts job bookmarks client-side with the lake key", func(t *testing.T) {
		template.HasResourceProperties(jsii.String("AWS::Glue::SecurityConfiguration"), obj(map[string]any{
			"EncryptionConfiguration": obj(map[string]any{"JobBookmarksEncryption": map[string]any{"JobBookmarksEncryptionMode": "CSE-KMS", "KmsKeyArn": lakeKeyArn(t)}}),
		}))
	})
	t.Run("creates no key of its own", func(t *testing.T) {
		template.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(1))
	})
}

// lakeKeyArn is the GetAtt of the test's only key, whatever its logical ID.
func lakeKeyArn(t *testing.T) map[string]any {
	t.Helper()
	for id := range *template.FindResources(jsii.String("AWS::KMS::Key"), nil) {
		return map[string]any{"Fn::GetAtt": []any{id, "Arn"}}
	}
	t.Fatal("no key")
	return nil
}

func TestKeyPolicy(t *testing.T) {
	var stmt map[string]any
	for _, res := range *template.FindResources(jsii.String("AWS::KMS::Key"), nil) {
		for _, s := range (*res)["Properties"].(map[string]any)["KeyPolicy"].(map[string]any)["Statement"].([]any) {
			if s.(map[string]any)["Sid"] == "AllowCloudWatchLogsForGlueLogGroups" {
				stmt = s.(map[string]any)
			}
		}
	}
	if stmt == nil {
		t.Fatal("the key policy has no statement for CloudWatch Logs")
	}
	text := toJSON(stmt)
	t.Run("lets the regional CloudWatch Logs service use the key", func(t *testing.T) {
		if !strings.Contains(toJSON(stmt["Principal"]), `"logs.",{"Ref":"AWS::Region"}`) {
			t.Fatalf("principal %s", toJSON(stmt["Principal"]))
		}
		for _, a := range []string{"kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"} {
			if !strings.Contains(text, a) {
				t.Errorf("missing %s in %s", a, text)
			}
		}
	})
	t.Run("only for Glue log groups of this account and region", func(t *testing.T) {
		cond := toJSON(stmt["Condition"])
		for _, want := range []string{`"ArnLike"`, `kms:EncryptionContext:aws:logs:arn`, `:log-group:/aws-glue/*"`, `{"Ref":"AWS::AccountId"}`, `{"Ref":"AWS::Region"}`} {
			if !strings.Contains(cond, want) {
				t.Errorf("condition %s lacks %s", cond, want)
			}
		}
	})
}

func TestGrantWriteLogs(t *testing.T) {
	policy := assertions.NewCapture(nil)
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), obj(map[string]any{"PolicyDocument": obj(map[string]any{"Statement": policy})}))
	text := toJSON(policy.AsArray())
	t.Run("writes and encrypts logs", func(t *testing.T) {
		for _, a := range []string{"logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"} {
			if !strings.Contains(text, a) {
				t.Errorf("missing %s in %s", a, text)
			}
		}
	})
	t.Run("only on the requested log groups", func(t *testing.T) {
		if !strings.Contains(text, `:log-group:/aws-glue/jobs/*"`) || strings.Contains(text, `"Resource":"*"`) {
			t.Fatalf("resources in %s", text)
		}
	})
}

func TestValidate(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Validate"), nil)
	key := awskms.NewKey(stack, jsii.String("Key"), nil)
	cases := []struct {
		name  string
		props Props
		want  string
	}{
		{"missing name", Props{EncryptionKey: key}, "SecurityConfigurationName: required"},
		{"invalid name", Props{SecurityConfigurationName: jsii.String("bad name!"), EncryptionKey: key}, `SecurityConfigurationName: got "bad name!"`},
		{"missing key", Props{SecurityConfigurationName: jsii.String("ok")}, "EncryptionKey: required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.props.validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "EncryptionKey: required", func() {
			New(stack, jsii.String("Bad"), &Props{SecurityConfigurationName: jsii.String("ok")})
		})
	})
}
