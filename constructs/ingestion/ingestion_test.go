package ingestion

import (
	"debug/elf"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/ingestion/collector"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

const site = "https://shop.example.com"

// One app for the package: a jsii runtime and a synth per test would multiply the run time.
var (
	defaultTemplate, optionsTemplate assertions.Template
	defaultIngestion                 Ingestion
)

func intp(v int) *int { return &v }

func newStack(app awscdk.App, name string, change func(*Props)) (awscdk.Stack, Ingestion) {
	stack := awscdk.NewStack(app, jsii.String(name), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	topic := awssns.NewTopic(stack, jsii.String("Alarms"), &awssns.TopicProps{MasterKey: storage.EncryptionKey(), EnforceSSL: jsii.Bool(true)})
	p := &Props{
		RawBucket: storage.RawBucket(), EncryptionKey: storage.EncryptionKey(), AlarmTopic: topic,
		FunctionName: jsii.String("clickstream-dev-collector"), DeliveryStreamName: jsii.String("clickstream-dev-events"),
		AllowedOrigins: jsii.Strings(site, "https://m.example.com"),
	}
	if change != nil {
		change(p)
	}
	return stack, New(stack, jsii.String("Ingestion"), p)
}

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	var defaultStack awscdk.Stack
	defaultStack, defaultIngestion = newStack(app, "Defaults", nil)
	awscdk.Aspects_Of(defaultStack).Add(nag.Checks(), nil)
	optionsStack, _ := newStack(app, "Options", func(p *Props) {
		p.AllowedOrigins = jsii.Strings(collector.AnyOrigin)
		p.Production = jsii.Bool(false)
		p.RawPrefix = jsii.String("landing/web/")
		p.ErrorPrefix = jsii.String("landing-failed/")
		p.BufferingIntervalSeconds = intp(60)
		p.BufferingSizeMiB = intp(8)
		p.ReservedConcurrency = intp(50)
		p.MemorySizeMiB = intp(256)
		p.TimeoutSeconds = intp(20)
		p.MaxRequestBytes = intp(65536)
		p.MaxEventsPerRequest = intp(25)
		p.IPMode = jsii.String(config.IPTruncate)
		p.LogRetentionDays = intp(30)
		p.RemovalPolicy = awscdk.RemovalPolicy_DESTROY
	})
	defaultTemplate = assertions.Template_FromStack(defaultStack, nil)
	optionsTemplate = assertions.Template_FromStack(optionsStack, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func obj(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

// only returns the properties of the one resource of type whose logical ID starts with prefix.
func only(t *testing.T, tpl assertions.Template, typ, prefix string) map[string]any {
	t.Helper()
	var found []map[string]any
	for id, res := range *tpl.FindResources(jsii.String(typ), nil) {
		if strings.HasPrefix(id, prefix) {
			found = append(found, (*res)["Properties"].(map[string]any))
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s resources %s*", len(found), typ, prefix)
	}
	return found[0]
}

func statements(t *testing.T, tpl assertions.Template, policyPrefix string) []any {
	t.Helper()
	return only(t, tpl, "AWS::IAM::Policy", policyPrefix)["PolicyDocument"].(map[string]any)["Statement"].([]any)
}

func TestRawPrefixIsTheOneTheCrawlerAndTheETLRead(t *testing.T) {
	// One constant: lakestorage.RawEventsPrefix is also the crawler's and the ETL job's default.
	if got := *(Props{}).withDefaults().RawPrefix; got != lakestorage.RawEventsPrefix {
		t.Fatalf("Firehose writes under %q, the crawler and the ETL read %q", got, lakestorage.RawEventsPrefix)
	}
}

func TestDeliveryStream(t *testing.T) {
	s3 := only(t, defaultTemplate, "AWS::KinesisFirehose::DeliveryStream", "IngestionDeliveryStream")
	dest := s3["ExtendedS3DestinationConfiguration"].(map[string]any)
	t.Run("delivers into the raw events hour folders the crawler and the ETL read", func(t *testing.T) {
		want := "events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
		if dest["Prefix"] != want || dest["Prefix"] != lakestorage.RawEventsPrefix+PartitionLayout {
			t.Fatalf("prefix %v", dest["Prefix"])
		}
		if toJSON(dest["BucketARN"]) != `{"Fn::GetAtt":["`+logicalID(t, "AWS::S3::Bucket", "StorageRawBucket")+`","Arn"]}` {
			t.Fatalf("bucket %v", dest["BucketARN"])
		}
	})
	t.Run("writes gzip files the ETL lists (.json.gz)", func(t *testing.T) {
		if dest["CompressionFormat"] != "GZIP" || dest["FileExtension"] != ".json.gz" {
			t.Fatalf("compression %v, extension %v", dest["CompressionFormat"], dest["FileExtension"])
		}
	})
	t.Run("puts failed records under a prefix outside the raw events", func(t *testing.T) {
		want := "delivery-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
		if dest["ErrorOutputPrefix"] != want || strings.HasPrefix(want, lakestorage.RawEventsPrefix) {
			t.Fatalf("error prefix %v", dest["ErrorOutputPrefix"])
		}
	})
	t.Run("buffers 300 seconds or 64 MiB", func(t *testing.T) {
		if toJSON(dest["BufferingHints"]) != `{"IntervalInSeconds":300,"SizeInMBs":64}` || config.DefaultIngestionBufferingIntervalSeconds != 300 || config.DefaultIngestionBufferingSizeMiB != 64 {
			t.Fatalf("buffering %v", dest["BufferingHints"])
		}
	})
	t.Run("encrypts the stream and the objects with the lake key", func(t *testing.T) {
		key := `{"Fn::GetAtt":["` + logicalID(t, "AWS::KMS::Key", "StorageKey") + `","Arn"]}`
		if toJSON(s3["DeliveryStreamEncryptionConfigurationInput"]) != `{"KeyARN":`+key+`,"KeyType":"CUSTOMER_MANAGED_CMK"}` ||
			toJSON(dest["EncryptionConfiguration"]) != `{"KMSEncryptionConfig":{"AWSKMSKeyARN":`+key+`}}` {
			t.Fatalf("stream %v, objects %v", s3["DeliveryStreamEncryptionConfigurationInput"], dest["EncryptionConfiguration"])
		}
	})
	t.Run("logs delivery errors", func(t *testing.T) {
		if toJSON(dest["CloudWatchLoggingOptions"]) != `{"Enabled":true,"LogGroupName":{"Ref":"IngestionDeliveryLogGroup`+logicalSuffix(t, "IngestionDeliveryLogGroup")+`"},"LogStreamName":{"Ref":"`+logicalID(t, "AWS::Logs::LogStream", "IngestionDeliveryLogGroupS3DeliveryStream")+`"}}` {
			t.Fatalf("logging %v", dest["CloudWatchLoggingOptions"])
		}
	})
	t.Run("is a direct-put stream named from props, created after its role's policy", func(t *testing.T) {
		if s3["DeliveryStreamType"] != "DirectPut" || s3["DeliveryStreamName"] != "clickstream-dev-events" || s3["S3BackupMode"] != nil || dest["S3BackupMode"] != "Disabled" {
			t.Fatalf("stream %v", s3)
		}
		defaultTemplate.HasResource(jsii.String("AWS::KinesisFirehose::DeliveryStream"), obj(map[string]any{
			"DependsOn": []any{logicalID(t, "AWS::IAM::Policy", "IngestionDeliveryRoleDefaultPolicy")},
		}))
	})
}

func logicalID(t *testing.T, typ, prefix string) string {
	t.Helper()
	for id := range *defaultTemplate.FindResources(jsii.String(typ), nil) {
		if strings.HasPrefix(id, prefix) {
			return id
		}
	}
	t.Fatalf("no %s %s*", typ, prefix)
	return ""
}

func logicalSuffix(t *testing.T, prefix string) string {
	return strings.TrimPrefix(logicalID(t, "AWS::Logs::LogGroup", prefix), prefix)
}

func TestDeliveryRole(t *testing.T) {
	stmts := statements(t, defaultTemplate, "IngestionDeliveryRoleDefaultPolicy")
	bucket := map[string]any{"Fn::GetAtt": []any{logicalID(t, "AWS::S3::Bucket", "StorageRawBucket"), "Arn"}}
	under := func(prefix string) any {
		return map[string]any{"Fn::Join": []any{"", []any{bucket, "/" + prefix + "*"}}}
	}
	t.Run("is assumed by Firehose of this account only", func(t *testing.T) {
		defaultTemplate.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj(map[string]any{"AssumeRolePolicyDocument": obj(map[string]any{
			"Statement": []any{obj(map[string]any{
				"Principal": map[string]any{"Service": "firehose.amazonaws.com"},
				"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": map[string]any{"Ref": "AWS::AccountId"}}},
			})},
		})}))
	})
	t.Run("lists the bucket, writes only under the two prefixes, never deletes", func(t *testing.T) {
		want := []string{
			toJSON(map[string]any{"Action": []any{"s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"}, "Effect": "Allow", "Resource": bucket, "Sid": "ListBucket"}),
			toJSON(map[string]any{"Action": []any{"s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"}, "Effect": "Allow",
				"Resource": []any{under(lakestorage.RawEventsPrefix), under(DefaultErrorPrefix)}, "Sid": "WriteEvents"}),
		}
		for i, w := range want {
			if got := toJSON(stmts[i]); got != w {
				t.Errorf("statement %d:\n got %s\nwant %s", i, got, w)
			}
		}
	})
	t.Run("uses the key only through S3 for this bucket", func(t *testing.T) {
		kms := stmts[2].(map[string]any)
		if toJSON(kms["Action"]) != `["kms:GenerateDataKey","kms:Decrypt"]` || toJSON(kms["Resource"]) != `{"Fn::GetAtt":["`+logicalID(t, "AWS::KMS::Key", "StorageKey")+`","Arn"]}` {
			t.Fatalf("kms %v", kms)
		}
		cond := toJSON(kms["Condition"])
		if !strings.Contains(cond, `"kms:ViaService":{"Fn::Join":["",["s3.",{"Ref":"AWS::Region"},".",{"Ref":"AWS::URLSuffix"}]]}`) ||
			!strings.Contains(cond, `"kms:EncryptionContext:aws:s3:arn":[`+toJSON(bucket)+`,`+toJSON(under(lakestorage.RawEventsPrefix))+`,`+toJSON(under(DefaultErrorPrefix))+`]`) {
			t.Fatalf("condition %s", cond)
		}
	})
	t.Run("writes only its log stream", func(t *testing.T) {
		logs := stmts[3].(map[string]any)
		stream := `":log-group:",{"Ref":"` + logicalID(t, "AWS::Logs::LogGroup", "IngestionDeliveryLogGroup") + `"},":log-stream:",{"Ref":"` +
			logicalID(t, "AWS::Logs::LogStream", "IngestionDeliveryLogGroupS3DeliveryStream") + `"}]`
		if len(stmts) != 4 || toJSON(logs["Action"]) != `"logs:PutLogEvents"` || !strings.Contains(toJSON(logs["Resource"]), stream) {
			t.Fatalf("%d statements, logs %v", len(stmts), logs)
		}
	})
}

func TestFunction(t *testing.T) {
	fn := only(t, defaultTemplate, "AWS::Lambda::Function", "IngestionFunction")
	t.Run("runs the Go collector on arm64 provided.al2023", func(t *testing.T) {
		if fn["Runtime"] != "provided.al2023" || toJSON(fn["Architectures"]) != `["arm64"]` || fn["Handler"] != "bootstrap" || fn["FunctionName"] != "clickstream-dev-collector" {
			t.Fatalf("function %v", fn)
		}
	})
	t.Run("defaults: 128 MiB, 10 seconds, reserved concurrency 10 as the throttle", func(t *testing.T) {
		if fn["MemorySize"] != float64(DefaultMemorySizeMiB) || fn["Timeout"] != float64(DefaultTimeoutSeconds) || fn["ReservedConcurrentExecutions"] != float64(config.DefaultIngestionReservedConcurrency) ||
			DefaultMemorySizeMiB != 128 || DefaultTimeoutSeconds != 10 || config.DefaultIngestionReservedConcurrency != 10 {
			t.Fatalf("function %v", fn)
		}
	})
	t.Run("its environment configures the collector", func(t *testing.T) {
		want := map[string]any{
			collector.EnvDeliveryStream: map[string]any{"Ref": logicalID(t, "AWS::KinesisFirehose::DeliveryStream", "IngestionDeliveryStream")},
			collector.EnvAllowedOrigins: site + ",https://m.example.com",
			// The template holds the collector's own defaults.
			collector.EnvMaxRequestBytes:     "131072",
			collector.EnvMaxEventsPerRequest: "100",
			collector.EnvIPMode:              config.DefaultIPMode,
		}
		if got := fn["Environment"].(map[string]any)["Variables"]; toJSON(got) != toJSON(want) {
			t.Fatalf("environment %v", got)
		}
		// The Lambda main reads exactly this environment into a valid config.
		env := map[string]string{collector.EnvDeliveryStream: "s", collector.EnvAllowedOrigins: site + ",https://m.example.com", collector.EnvMaxRequestBytes: "131072", collector.EnvMaxEventsPerRequest: "100", collector.EnvIPMode: "drop"}
		if _, err := collector.ConfigFromEnv(func(k string) string { return env[k] }); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("logs into its encrypted log group", func(t *testing.T) {
		if toJSON(fn["LoggingConfig"]) != `{"LogGroup":{"Ref":"`+logicalID(t, "AWS::Logs::LogGroup", "IngestionFunctionLogGroup")+`"}}` {
			t.Fatalf("logging %v", fn["LoggingConfig"])
		}
	})
	t.Run("its URL takes anonymous POSTs from the allowed origins only", func(t *testing.T) {
		url := only(t, defaultTemplate, "AWS::Lambda::Url", "IngestionFunction")
		want := `{"AllowHeaders":["content-type"],"AllowMethods":["POST"],"AllowOrigins":["https://shop.example.com","https://m.example.com"],"MaxAge":86400}`
		if url["AuthType"] != "NONE" || toJSON(url["Cors"]) != want {
			t.Fatalf("url %v", url)
		}
	})
	t.Run("the collect URL is the function URL plus collect", func(t *testing.T) {
		got := toJSON(awscdk.Stack_Of(defaultIngestion.Function()).Resolve(defaultIngestion.CollectUrl()))
		if !strings.Contains(got, `"FunctionUrl"]},"collect"`) || collector.Path != "/collect" {
			t.Fatalf("collect URL %s", got)
		}
	})
	t.Run("its role may only put records into its stream and write its logs", func(t *testing.T) {
		stmts := statements(t, defaultTemplate, "IngestionFunctionRoleDefaultPolicy")
		stream := `{"Fn::GetAtt":["` + logicalID(t, "AWS::KinesisFirehose::DeliveryStream", "IngestionDeliveryStream") + `","Arn"]}`
		logs := `{"Fn::GetAtt":["` + logicalID(t, "AWS::Logs::LogGroup", "IngestionFunctionLogGroup") + `","Arn"]}`
		want := `[{"Action":"firehose:PutRecordBatch","Effect":"Allow","Resource":` + stream + `,"Sid":"PutEvents"},` +
			`{"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Effect":"Allow","Resource":` + logs + `}]`
		if got := toJSON(stmts); got != want {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
		defaultTemplate.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj(map[string]any{"AssumeRolePolicyDocument": obj(map[string]any{
			"Statement": []any{obj(map[string]any{"Principal": map[string]any{"Service": "lambda.amazonaws.com"}})},
		})}))
	})
	t.Run("the URL's public invoke permission holds only for requests through the URL", func(t *testing.T) {
		perms := *defaultTemplate.FindResources(jsii.String("AWS::Lambda::Permission"), nil)
		var got []string
		for _, res := range perms {
			p := (*res)["Properties"].(map[string]any)
			got = append(got, toJSON([]any{p["Action"], p["Principal"], p["FunctionUrlAuthType"], p["InvokedViaFunctionUrl"]}))
		}
		if len(got) != 2 || !strings.Contains(strings.Join(got, " "), `["lambda:InvokeFunction","*",null,true]`) ||
			!strings.Contains(strings.Join(got, " "), `["lambda:InvokeFunctionUrl","*","NONE",null]`) {
			t.Fatalf("permissions %v", got)
		}
	})
	t.Run("no role has a managed policy", func(t *testing.T) {
		for id, res := range *defaultTemplate.FindResources(jsii.String("AWS::IAM::Role"), nil) {
			if mp := (*res)["Properties"].(map[string]any)["ManagedPolicyArns"]; mp != nil && strings.HasPrefix(id, "Ingestion") {
				t.Errorf("%s: managed policies %v", id, mp)
			}
		}
	})
	t.Run("the checkov exceptions name their reasons", func(t *testing.T) {
		for typ, checks := range map[string]string{"AWS::Lambda::Function": "CKV_AWS_116 CKV_AWS_117 CKV_AWS_173", "AWS::Lambda::Url": "CKV_AWS_258"} {
			for _, res := range *defaultTemplate.FindResources(jsii.String(typ), nil) {
				skips := (*res)["Metadata"].(map[string]any)["checkov"].(map[string]any)["skip"].([]any)
				var ids []string
				for _, s := range skips {
					if s.(map[string]any)["comment"] == "" {
						t.Errorf("%s: skip without reason", typ)
					}
					ids = append(ids, s.(map[string]any)["id"].(string))
				}
				if strings.Join(ids, " ") != checks {
					t.Errorf("%s skips %v, want %s", typ, ids, checks)
				}
			}
		}
		for _, res := range *defaultTemplate.FindResources(jsii.String("AWS::Lambda::Function"), nil) {
			lint := toJSON((*res)["Metadata"].(map[string]any)["cfn-lint"])
			if !strings.Contains(lint, `"ignore_checks":["W3005"]`) || !strings.Contains(lint, `"W3005":"CDK emits both DependsOn and GetAtt`) {
				t.Errorf("cfn-lint metadata %s", lint)
			}
		}
	})
}

func TestBuild(t *testing.T) {
	if _, err := CollectorCode(); err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(filepath.Join(build.dir, Bootstrap))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	t.Run("a static linux/arm64 executable named bootstrap", func(t *testing.T) {
		if f.Machine != elf.EM_AARCH64 || f.Type != elf.ET_EXEC {
			t.Fatalf("machine %v, type %v", f.Machine, f.Type)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Fatal("dynamically linked")
			}
		}
	})
	t.Run("the template's asset is that build", func(t *testing.T) {
		fn := only(t, defaultTemplate, "AWS::Lambda::Function", "IngestionFunction")
		if !strings.HasSuffix(toJSON(fn["Code"]), `.zip"}`) {
			t.Fatalf("code %v", fn["Code"])
		}
	})
}

func TestLogs(t *testing.T) {
	t.Run("named after the function and the stream, kept a year, encrypted, retained", func(t *testing.T) {
		for _, name := range []string{"/aws/lambda/clickstream-dev-collector", "/aws/kinesisfirehose/clickstream-dev-events"} {
			defaultTemplate.HasResource(jsii.String("AWS::Logs::LogGroup"), obj(map[string]any{
				"Properties": map[string]any{
					"LogGroupName": name, "RetentionInDays": DefaultLogRetentionDays,
					"KmsKeyId": map[string]any{"Fn::GetAtt": []any{logicalID(t, "AWS::KMS::Key", "StorageKey"), "Arn"}},
				},
				"DeletionPolicy": "RetainExceptOnCreate",
			}))
		}
	})
	t.Run("the key lets CloudWatch Logs encrypt these two log groups only", func(t *testing.T) {
		policy := toJSON(only(t, defaultTemplate, "AWS::KMS::Key", "StorageKey")["KeyPolicy"])
		for _, want := range []string{
			`"Service":{"Fn::Join":["",["logs.",{"Ref":"AWS::Region"},".",{"Ref":"AWS::URLSuffix"}]]}`,
			`":log-group:/aws/lambda/clickstream-dev-collector"]]}`, `":log-group:/aws/kinesisfirehose/clickstream-dev-events"]]}`,
		} {
			if !strings.Contains(policy, want) {
				t.Errorf("key policy lacks %s", want)
			}
		}
	})
}

func TestAlarms(t *testing.T) {
	alarms := *defaultTemplate.FindResources(jsii.String("AWS::CloudWatch::Alarm"), nil)
	find := func(t *testing.T, id string) map[string]any {
		t.Helper()
		for logical, res := range alarms {
			if strings.HasPrefix(logical, "Ingestion"+id) {
				return (*res)["Properties"].(map[string]any)
			}
		}
		t.Fatalf("no alarm %s", id)
		return nil
	}
	stream := map[string]any{"Ref": logicalID(t, "AWS::KinesisFirehose::DeliveryStream", "IngestionDeliveryStream")}
	cases := []struct {
		id, namespace, metric, statistic, operator string
		threshold                                  float64
		dimensions                                 []any
	}{
		{ErrorsAlarmID, "AWS/Lambda", "Errors", "Sum", "GreaterThanOrEqualToThreshold", 1,
			[]any{map[string]any{"Name": "FunctionName", "Value": map[string]any{"Ref": logicalID(t, "AWS::Lambda::Function", "IngestionFunction")}}}},
		{ThrottlesAlarmID, "AWS/Lambda", "Throttles", "Sum", "GreaterThanOrEqualToThreshold", 1,
			[]any{map[string]any{"Name": "FunctionName", "Value": map[string]any{"Ref": logicalID(t, "AWS::Lambda::Function", "IngestionFunction")}}}},
		{CollectorDeliveryAlarmID, collector.MetricNamespace, collector.MetricDeliveryFailures, "Sum", "GreaterThanOrEqualToThreshold", 1,
			[]any{map[string]any{"Name": collector.MetricDimension, "Value": "clickstream-dev-collector"}}},
		{S3DeliveryAlarmID, "AWS/Firehose", "DeliveryToS3.Success", "Minimum", "LessThanThreshold", 1,
			[]any{map[string]any{"Name": "DeliveryStreamName", "Value": stream}}},
		{FreshnessAlarmID, "AWS/Firehose", "DeliveryToS3.DataFreshness", "Maximum", "GreaterThanThreshold", config.DefaultIngestionBufferingIntervalSeconds + FreshnessSlackSeconds,
			[]any{map[string]any{"Name": "DeliveryStreamName", "Value": stream}}},
	}
	if len(alarms) != len(cases) {
		t.Fatalf("%d alarms, want %d", len(alarms), len(cases))
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			a := find(t, c.id)
			if a["Namespace"] != c.namespace || a["MetricName"] != c.metric || a["Statistic"] != c.statistic || a["ComparisonOperator"] != c.operator ||
				a["Threshold"] != c.threshold || a["Period"] != float64(AlarmPeriodMinutes*60) || a["EvaluationPeriods"] != float64(1) ||
				a["TreatMissingData"] != "notBreaching" || toJSON(a["Dimensions"]) != toJSON(c.dimensions) {
				t.Fatalf("alarm %v", a)
			}
			if toJSON(a["AlarmActions"]) != `[{"Ref":"`+logicalID(t, "AWS::SNS::Topic", "Alarms")+`"}]` || a["AlarmDescription"] == "" {
				t.Fatalf("actions %v", a["AlarmActions"])
			}
		})
	}
	if len(defaultIngestion.Alarms()) != len(cases) {
		t.Fatalf("Alarms() has %d", len(defaultIngestion.Alarms()))
	}
}

func TestNag(t *testing.T) {
	constructtest.NoNagFindings(t, defaultIngestion)
}

func TestOptions(t *testing.T) {
	fn := only(t, optionsTemplate, "AWS::Lambda::Function", "IngestionFunction")
	dest := only(t, optionsTemplate, "AWS::KinesisFirehose::DeliveryStream", "IngestionDeliveryStream")["ExtendedS3DestinationConfiguration"].(map[string]any)
	t.Run("prefixes", func(t *testing.T) {
		if dest["Prefix"] != "landing/web/"+PartitionLayout || dest["ErrorOutputPrefix"] != "landing-failed/"+ErrorLayout {
			t.Fatalf("prefixes %v %v", dest["Prefix"], dest["ErrorOutputPrefix"])
		}
	})
	t.Run("buffering", func(t *testing.T) {
		if toJSON(dest["BufferingHints"]) != `{"IntervalInSeconds":60,"SizeInMBs":8}` {
			t.Fatalf("buffering %v", dest["BufferingHints"])
		}
	})
	t.Run("function size, timeout, throttle and limits", func(t *testing.T) {
		env := fn["Environment"].(map[string]any)["Variables"].(map[string]any)
		if fn["MemorySize"] != float64(256) || fn["Timeout"] != float64(20) || fn["ReservedConcurrentExecutions"] != float64(50) ||
			env[collector.EnvMaxRequestBytes] != "65536" || env[collector.EnvMaxEventsPerRequest] != "25" ||
			env[collector.EnvIPMode] != "truncate" {
			t.Fatalf("function %v", fn)
		}
	})
	t.Run("any origin outside production", func(t *testing.T) {
		url := only(t, optionsTemplate, "AWS::Lambda::Url", "IngestionFunction")
		if toJSON(url["Cors"].(map[string]any)["AllowOrigins"]) != `["*"]` {
			t.Fatalf("cors %v", url["Cors"])
		}
	})
	t.Run("log retention and removal", func(t *testing.T) {
		optionsTemplate.AllResources(jsii.String("AWS::Logs::LogGroup"), obj(map[string]any{
			"Properties": obj(map[string]any{"RetentionInDays": 30}), "DeletionPolicy": "Delete",
		}))
	})
}

func TestValidate(t *testing.T) {
	valid := func() Props {
		_, in := defaultIngestionProps()
		return in
	}
	cases := map[string]struct {
		change func(*Props)
		want   []string
	}{
		"required props": {func(p *Props) { *p = Props{} }, []string{
			"ingestion: RawBucket: required", "ingestion: EncryptionKey: required", "ingestion: AlarmTopic: required",
			"ingestion: FunctionName: required, must be 1-64", "ingestion: DeliveryStreamName: required, must be 1-64",
			"ingestion: AllowedOrigins: required, must list the sites' origins",
		}},
		"names": {func(p *Props) {
			p.FunctionName = jsii.String("has space")
			p.DeliveryStreamName = jsii.String(strings.Repeat("s", 65))
		}, []string{
			`ingestion: FunctionName: got "has space", must be 1-64 letters, digits, hyphens or underscores`, "ingestion: DeliveryStreamName: got \"sss",
		}},
		"* in production (the default)": {func(p *Props) { p.AllowedOrigins = jsii.Strings(site, "*") }, []string{
			`ingestion: AllowedOrigins: got "*", must list the sites' origins in production (Production is true unless set false)`,
		}},
		"* in explicit production": {func(p *Props) { p.AllowedOrigins = jsii.Strings("*"); p.Production = jsii.Bool(true) }, []string{`got "*"`}},
		"not an origin": {func(p *Props) { p.AllowedOrigins = jsii.Strings("https://shop.example.com/", "") }, []string{
			`ingestion: AllowedOrigins[0]: got "https://shop.example.com/", must be an origin such as https://shop.example.com`,
			`ingestion: AllowedOrigins[1]: got ""`,
		}},
		"an empty origin list": {func(p *Props) { p.AllowedOrigins = &[]*string{} }, []string{"ingestion: AllowedOrigins: required"}},
		"prefixes": {func(p *Props) { p.RawPrefix = jsii.String("/events"); p.ErrorPrefix = jsii.String("errors") }, []string{
			`ingestion: RawPrefix: got "/events", must be a folder path such as "events/"`,
			`ingestion: ErrorPrefix: got "errors", must be a folder path such as "delivery-errors/"`,
		}},
		"an error prefix inside the raw prefix": {func(p *Props) { p.ErrorPrefix = jsii.String("events/errors/") }, []string{
			`ingestion: ErrorPrefix: got "events/errors/", must not overlap RawPrefix "events/"`,
		}},
		"ranges": {func(p *Props) {
			p.BufferingIntervalSeconds, p.BufferingSizeMiB, p.ReservedConcurrency = intp(901), intp(0), intp(0)
			p.MemorySizeMiB, p.TimeoutSeconds, p.MaxRequestBytes, p.MaxEventsPerRequest = intp(64), intp(7), intp(1<<20), intp(501)
		}, []string{
			"ingestion: BufferingIntervalSeconds: got 901, must be between 0 and 900 seconds",
			"ingestion: BufferingSizeMiB: got 0, must be between 1 and 128 MiB",
			"ingestion: ReservedConcurrency: got 0, must be between 1 and 900",
			"ingestion: MemorySizeMiB: got 64, must be between 128 and 1024 MiB",
			"ingestion: TimeoutSeconds: got 7, must be between 8 and 60 seconds",
			"ingestion: MaxRequestBytes: got 1048576, must be between 1024 and 524288",
			"ingestion: MaxEventsPerRequest: got 501, must be between 1 and 500",
		}},
		"ip mode":        {func(p *Props) { p.IPMode = jsii.String("hash") }, []string{`ingestion: IPMode: got "hash", must be one of drop, truncate, keep`}},
		"log retention":  {func(p *Props) { p.LogRetentionDays = intp(100) }, []string{"ingestion: LogRetentionDays: got 100, must be one of [1 3 5"}},
		"removal policy": {func(p *Props) { p.RemovalPolicy = awscdk.RemovalPolicy_SNAPSHOT }, []string{"ingestion: RemovalPolicy: got SNAPSHOT, must be RETAIN_ON_UPDATE_OR_DELETE, RETAIN or DESTROY"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p := valid()
			c.change(&p)
			err := p.withDefaults().validate()
			for _, want := range c.want {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("got %v\nwant %q", err, want)
				}
			}
		})
	}
	t.Run("the fixture is valid", func(t *testing.T) {
		if err := valid().withDefaults().validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("* outside production", func(t *testing.T) {
		p := valid()
		p.AllowedOrigins, p.Production = jsii.Strings("*"), jsii.Bool(false)
		if err := p.withDefaults().validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("defaults do not change the caller's props", func(t *testing.T) {
		p := valid()
		_ = p.withDefaults()
		if p.Production != nil || p.RawPrefix != nil || p.ReservedConcurrency != nil {
			t.Fatalf("props changed: %+v", p)
		}
	})
	t.Run("New panics with the problems", func(t *testing.T) {
		constructtest.Panics(t, "ingestion: FunctionName: required", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("Ingestion"), &Props{})
		})
	})
}

// defaultIngestionProps are valid props on a fresh stack (validation only, never synthesized).
func defaultIngestionProps() (awscdk.Stack, Props) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Validate"), nil)
	storage := lakestorage.New(stack, jsii.String("Storage"), nil)
	return stack, Props{
		RawBucket: storage.RawBucket(), EncryptionKey: storage.EncryptionKey(),
		AlarmTopic:   awssns.NewTopic(stack, jsii.String("Alarms"), nil),
		FunctionName: jsii.String("clickstream-dev-collector"), DeliveryStreamName: jsii.String("clickstream-dev-events"),
		AllowedOrigins: jsii.Strings(site),
	}
}
