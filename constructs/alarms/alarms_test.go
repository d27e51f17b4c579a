package alarms

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/crawler"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

var (
	defaultTemplate, optionsTemplate assertions.Template
	defaultAlarms                    Alarms
)

func newStack(app awscdk.App, name string, props func(*Props, awskms.IKey)) (awscdk.Stack, Alarms) {
	stack := awscdk.NewStack(app, jsii.String(name), nil)
	key := awskms.NewKey(stack, jsii.String("LakeKey"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
	raw := awss3.NewBucket(stack, jsii.String("Raw"), &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS, EncryptionKey: key})
	db := awsglue.NewDatabase(stack, jsii.String("Database"), &awsglue.DatabaseProps{DatabaseName: jsii.String("lake_dev")})
	security := gluesecurity.New(stack, jsii.String("Security"), &gluesecurity.Props{SecurityConfigurationName: jsii.String("sec"), EncryptionKey: key})
	c := crawler.New(stack, jsii.String("Crawler"), &crawler.Props{CrawlerName: jsii.String("lake-dev-raw"), Database: db, RawBucket: raw, Security: security})
	job := awsglue.Job_FromJobAttributes(stack, jsii.String("Job"), &awsglue.JobAttributes{JobName: jsii.String("lake-dev-etl")})
	p := &Props{Job: job, Crawler: c}
	if props != nil {
		props(p, key)
	}
	return stack, New(stack, jsii.String("Alarms"), p)
}

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	defaultStack, a := newStack(app, "Defaults", nil)
	defaultAlarms = a
	awscdk.Aspects_Of(defaultStack).Add(nag.Checks(), nil)
	optionsStack, _ := newStack(app, "Options", func(p *Props, key awskms.IKey) {
		d := 30
		p.DurationAlarmMinutes, p.Email, p.EncryptionKey = &d, jsii.String("data-team@example.com"), key
	})
	defaultTemplate = assertions.Template_FromStack(defaultStack, nil)
	optionsTemplate = assertions.Template_FromStack(optionsStack, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func obj(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func only(t *testing.T, tpl assertions.Template, typ string, props map[string]any) map[string]any {
	t.Helper()
	var m assertions.Matcher
	if props != nil {
		m = obj(map[string]any{"Properties": obj(props)})
	}
	found := *tpl.FindResources(jsii.String(typ), m)
	if len(found) != 1 {
		t.Fatalf("%d %s resources match %v", len(found), typ, props)
	}
	for id, res := range found {
		out := (*res)["Properties"].(map[string]any)
		out["LogicalId"] = id
		return out
	}
	return nil
}

func TestTopic(t *testing.T) {
	topic := only(t, defaultTemplate, "AWS::SNS::Topic", nil)
	t.Run("is encrypted with its own rotating key", func(t *testing.T) {
		key := toJSON(topic["KmsMasterKeyId"])
		if !strings.HasPrefix(key, `{"Fn::GetAtt":["AlarmsKey`) {
			t.Fatalf("topic key %s", key)
		}
		defaultTemplate.HasResourceProperties(jsii.String("AWS::KMS::Key"), obj(map[string]any{
			"Description": "Encrypts the clickstream lake's alarm notifications", "EnableKeyRotation": true,
		}))
	})
	t.Run("the key lets EventBridge and CloudWatch publish", func(t *testing.T) {
		key := only(t, defaultTemplate, "AWS::KMS::Key", map[string]any{"Description": "Encrypts the clickstream lake's alarm notifications"})
		var stmt string
		for _, s := range key["KeyPolicy"].(map[string]any)["Statement"].([]any) {
			if s.(map[string]any)["Sid"] == "AllowAlarmPublishersToEncrypt" {
				stmt = toJSON(s)
			}
		}
		for _, want := range []string{"events.amazonaws.com", "cloudwatch.amazonaws.com", "kms:GenerateDataKey*", "kms:Decrypt"} {
			if !strings.Contains(stmt, want) {
				t.Errorf("no %s in %s", want, stmt)
			}
		}
	})
	policy := toJSON(only(t, defaultTemplate, "AWS::SNS::TopicPolicy", nil)["PolicyDocument"])
	t.Run("denies publishing without SSL", func(t *testing.T) {
		if !strings.Contains(policy, `"Condition":{"Bool":{"aws:SecureTransport":"false"}},"Effect":"Deny"`) {
			t.Fatalf("policy %s", policy)
		}
	})
	t.Run("lets EventBridge and this account's CloudWatch alarms publish", func(t *testing.T) {
		for _, want := range []string{`"Service":"events.amazonaws.com"`, `"Service":"cloudwatch.amazonaws.com"`, `:alarm:*"`} {
			if !strings.Contains(policy, want) {
				t.Errorf("no %s in %s", want, policy)
			}
		}
	})
	t.Run("no email subscription by default", func(t *testing.T) {
		defaultTemplate.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(0))
	})
	t.Run("is exposed for other alarms", func(t *testing.T) {
		if defaultAlarms.Topic() == nil || defaultAlarms.EncryptionKey() == nil || defaultAlarms.DurationAlarm() == nil {
			t.Fatal("an accessor returned nil")
		}
	})
}

func TestRules(t *testing.T) {
	topicID := only(t, defaultTemplate, "AWS::SNS::Topic", nil)["LogicalId"].(string)
	t.Run("job runs that fail, time out or stop notify the topic", func(t *testing.T) {
		rule := only(t, defaultTemplate, "AWS::Events::Rule", map[string]any{"EventPattern": obj(map[string]any{"detail": obj(map[string]any{"jobName": []any{"lake-dev-etl"}})})})
		pattern := rule["EventPattern"].(map[string]any)
		if toJSON(pattern["source"]) != `["aws.glue"]` || !strings.Contains(toJSON(pattern["detail-type"]), `"Glue Job State Change"`) ||
			toJSON(pattern["detail"].(map[string]any)["state"]) != `["FAILED","TIMEOUT","STOPPED"]` {
			t.Fatalf("pattern %s", toJSON(pattern))
		}
		if target := toJSON(rule["Targets"]); !strings.Contains(target, `"Arn":{"Ref":"`+topicID+`"}`) || !strings.Contains(target, "jobRunId") {
			t.Fatalf("targets %s", target)
		}
	})
	t.Run("failed crawls notify the topic", func(t *testing.T) {
		rule := only(t, defaultTemplate, "AWS::Events::Rule", map[string]any{"EventPattern": obj(map[string]any{"detail-type": []any{"Glue Crawler State Change"}})})
		detail := toJSON(rule["EventPattern"].(map[string]any)["detail"])
		if !strings.HasPrefix(detail, `{"crawlerName":[{"Ref":"Crawler`) || !strings.HasSuffix(detail, `}],"state":["Failed"]}`) {
			t.Fatalf("pattern %s", toJSON(rule["EventPattern"]))
		}
		if !strings.Contains(toJSON(rule["Targets"]), `"Arn":{"Ref":"`+topicID+`"}`) {
			t.Fatalf("targets %s", toJSON(rule["Targets"]))
		}
	})
}

func TestDurationAlarm(t *testing.T) {
	alarm := only(t, defaultTemplate, "AWS::CloudWatch::Alarm", nil)
	t.Run("watches the job's elapsed time", func(t *testing.T) {
		dims := toJSON(alarm["Dimensions"])
		if alarm["Namespace"] != "Glue" || alarm["MetricName"] != ElapsedTimeMetric || alarm["Statistic"] != "Maximum" || alarm["Period"] != float64(DurationAlarmPeriodMinutes*60) ||
			dims != `[{"Name":"JobName","Value":"lake-dev-etl"},{"Name":"JobRunId","Value":"ALL"},{"Name":"Type","Value":"count"}]` {
			t.Fatalf("alarm %s", toJSON(alarm))
		}
	})
	t.Run("fires above config.DefaultGlueDurationAlarmMinutes", func(t *testing.T) {
		if alarm["Threshold"] != float64(config.DefaultGlueDurationAlarmMinutes*60*1000) || alarm["ComparisonOperator"] != "GreaterThanThreshold" {
			t.Fatalf("threshold %v %v", alarm["Threshold"], alarm["ComparisonOperator"])
		}
	})
	t.Run("no run is not a slow run", func(t *testing.T) {
		if alarm["TreatMissingData"] != "notBreaching" {
			t.Fatalf("missing data %v", alarm["TreatMissingData"])
		}
	})
	t.Run("notifies the topic", func(t *testing.T) {
		if !strings.HasPrefix(toJSON(alarm["AlarmActions"]), `[{"Ref":"AlarmsTopic`) {
			t.Fatalf("actions %v", alarm["AlarmActions"])
		}
	})
}

func TestOptions(t *testing.T) {
	t.Run("subscribes the email address", func(t *testing.T) {
		optionsTemplate.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), obj(map[string]any{"Protocol": "email", "Endpoint": "data-team@example.com"}))
	})
	t.Run("threshold from props", func(t *testing.T) {
		optionsTemplate.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj(map[string]any{"Threshold": 30 * 60 * 1000}))
	})
	t.Run("a given key encrypts the topic and no key is created", func(t *testing.T) {
		optionsTemplate.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(1))
		if !strings.HasPrefix(toJSON(only(t, optionsTemplate, "AWS::SNS::Topic", nil)["KmsMasterKeyId"]), `{"Fn::GetAtt":["LakeKey`) {
			t.Fatal("topic not encrypted with the given key")
		}
	})
}

func TestValidate(t *testing.T) {
	n := func(v int) *int { return &v }
	cases := []struct {
		name  string
		props Props
		want  string
	}{
		{"missing job and crawler", Props{}, "alarms: Job: required\nalarms: Crawler: required"},
		{"invalid email", Props{Email: jsii.String("team")}, `alarms: Email: got "team", must be an email address`},
		{"zero minutes", Props{DurationAlarmMinutes: n(0)}, "alarms: DurationAlarmMinutes: got 0"},
		{"snapshot removal", Props{RemovalPolicy: awscdk.RemovalPolicy_SNAPSHOT}, "alarms: RemovalPolicy: got SNAPSHOT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.props.withDefaults().validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("withDefaults does not modify the caller's props", func(t *testing.T) {
		p := Props{}
		_ = p.withDefaults()
		if p.DurationAlarmMinutes != nil || p.RemovalPolicy != "" {
			t.Fatalf("caller's props changed: %+v", p)
		}
	})
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "alarms: Job: required", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("Alarms"), nil)
		})
	})
}

func TestNag(t *testing.T) {
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, defaultAlarms)
	})
}
