// Package ingestion provides the lake's way in: the collector (a Go Lambda function behind a
// function URL, POST /collect) and a Kinesis Data Firehose delivery stream writing the events,
// GZIP-compressed and encrypted with the lake key, into the raw bucket under the hour folders
// the crawler and the ETL read. Least-privilege roles, encrypted log groups and alarms into the
// lake's failure topic come with it.
//
// The delivery stream is the L1 CfnDeliveryStream with typed properties: the stable L2's S3
// destination grants read-write-delete on the whole bucket, and its customer-managed stream
// encryption adds a role holding encrypt/decrypt on the lake key that a direct-put stream
// never uses.
package ingestion

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesisfirehose"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/ingestion/collector"
)

// Ingestion is the collector and its delivery stream.
type Ingestion interface {
	constructs.Construct
	// CollectUrl is where trackers send events: the function URL followed by "collect".
	CollectUrl() *string
	// FunctionUrl is the collector's function URL.
	FunctionUrl() awslambda.FunctionUrl
	// Function is the collector function.
	Function() awslambda.IFunction
	// DeliveryStreamName is the Firehose delivery stream's name.
	DeliveryStreamName() *string
	// DeliveryStreamArn is the Firehose delivery stream's ARN.
	DeliveryStreamArn() *string
	// Alarms are the collector's and the delivery stream's alarms, all notifying AlarmTopic.
	Alarms() []awscloudwatch.IAlarm
}

type ingestion struct {
	constructs.Construct
	fn     awslambda.Function
	url    awslambda.FunctionUrl
	stream awskinesisfirehose.CfnDeliveryStream
	alarms []awscloudwatch.IAlarm
}

// New creates the collector, the delivery stream and the alarms. It panics on invalid props,
// or when the collector does not build, which fails synth.
func New(scope constructs.Construct, id *string, props *Props) Ingestion {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	if p.Code == nil {
		code, err := CollectorCode()
		if err != nil {
			panic(err)
		}
		p.Code = code
	}
	in := &ingestion{Construct: constructs.NewConstruct(scope, id)}
	stack := awscdk.Stack_Of(in.Construct)
	functionLogs := LambdaLogGroupPrefix + *p.FunctionName
	deliveryLogs := FirehoseLogGroupPrefix + *p.DeliveryStreamName

	// CloudWatch Logs encrypts with the key itself, so the key policy must allow it, limited
	// by the encryption context to these two log groups.
	p.EncryptionKey.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("logs."+*stack.Region()+"."+*stack.UrlSuffix()), nil)},
		Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{
			"ArnEquals": map[string]any{"kms:EncryptionContext:aws:logs:arn": []any{logGroupArn(stack, functionLogs), logGroupArn(stack, deliveryLogs)}},
		},
	}), jsii.Bool(true))
	logGroup := func(id, name string) awslogs.LogGroup {
		return awslogs.NewLogGroup(in.Construct, jsii.String(id), &awslogs.LogGroupProps{
			LogGroupName:  jsii.String(name),
			Retention:     retentions[*p.LogRetentionDays],
			EncryptionKey: p.EncryptionKey,
			RemovalPolicy: p.RemovalPolicy,
		})
	}

	in.stream = in.newDeliveryStream(p, logGroup(DeliveryLogGroupID, deliveryLogs))
	in.newCollector(p, logGroup(FunctionLogGroupID, functionLogs))
	in.newAlarms(p)
	return in
}

func logGroupArn(stack awscdk.Stack, name string) *string {
	return stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("logs"), Resource: jsii.String("log-group"), ResourceName: jsii.String(name),
		ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
}

// newDeliveryStream creates the direct-put stream into the raw bucket, with a role that may
// only write under the two prefixes, use the key through S3 for this bucket and log.
func (in *ingestion) newDeliveryStream(p Props, logs awslogs.LogGroup) awskinesisfirehose.CfnDeliveryStream {
	stack := awscdk.Stack_Of(in.Construct)
	role := awsiam.NewRole(in.Construct, jsii.String(DeliveryRoleID), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("firehose.amazonaws.com"), nil),
		ExternalIds: jsii.Strings(*stack.Account()),
		Description: jsii.String("Delivers collected clickstream events into the raw bucket"),
	})
	bucket := p.RawBucket.BucketArn()
	objects := func(prefix string) *string { return jsii.String(*bucket + "/" + prefix + "*") }
	stream := logs.AddStream(jsii.String("S3DeliveryStream"), &awslogs.StreamOptions{LogStreamName: jsii.String(DeliveryLogStream)})
	statements := []*awsiam.PolicyStatementProps{{
		Sid:       jsii.String("ListBucket"),
		Actions:   jsii.Strings("s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"),
		Resources: &[]*string{bucket},
	}, {
		Sid:       jsii.String("WriteEvents"),
		Actions:   jsii.Strings("s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"),
		Resources: &[]*string{objects(*p.RawPrefix), objects(*p.ErrorPrefix)},
	}, {
		Sid:       jsii.String("EncryptEventsThroughS3"),
		Actions:   jsii.Strings("kms:GenerateDataKey", "kms:Decrypt"),
		Resources: &[]*string{p.EncryptionKey.KeyArn()},
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"kms:ViaService": "s3." + *stack.Region() + "." + *stack.UrlSuffix()},
			// The bucket's ARN with S3 Bucket Keys, the object's without.
			"ArnLike": map[string]any{"kms:EncryptionContext:aws:s3:arn": []any{bucket, objects(*p.RawPrefix), objects(*p.ErrorPrefix)}},
		},
	}, {
		Sid:     jsii.String("LogDeliveryErrors"),
		Actions: jsii.Strings("logs:PutLogEvents"),
		Resources: &[]*string{stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("log-group"),
			ResourceName: jsii.String(*logs.LogGroupName() + ":log-stream:" + *stream.LogStreamName()),
			ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})},
	}}
	for _, s := range statements {
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(s))
	}
	suppressDeliveryRole(role, p)

	resource := awskinesisfirehose.NewCfnDeliveryStream(in.Construct, jsii.String(DeliveryStreamID), &awskinesisfirehose.CfnDeliveryStreamProps{
		DeliveryStreamName: p.DeliveryStreamName,
		DeliveryStreamType: jsii.String("DirectPut"),
		DeliveryStreamEncryptionConfigurationInput: &awskinesisfirehose.CfnDeliveryStream_DeliveryStreamEncryptionConfigurationInputProperty{
			KeyType: jsii.String("CUSTOMER_MANAGED_CMK"),
			KeyArn:  p.EncryptionKey.KeyArn(),
		},
		ExtendedS3DestinationConfiguration: &awskinesisfirehose.CfnDeliveryStream_ExtendedS3DestinationConfigurationProperty{
			BucketArn:         bucket,
			RoleArn:           role.RoleArn(),
			Prefix:            jsii.String(*p.RawPrefix + PartitionLayout),
			ErrorOutputPrefix: jsii.String(*p.ErrorPrefix + ErrorLayout),
			CompressionFormat: jsii.String(Compression),
			FileExtension:     jsii.String(FileExtension),
			BufferingHints: &awskinesisfirehose.CfnDeliveryStream_BufferingHintsProperty{
				IntervalInSeconds: jsii.Number(float64(*p.BufferingIntervalSeconds)),
				SizeInMBs:         jsii.Number(float64(*p.BufferingSizeMiB)),
			},
			EncryptionConfiguration: &awskinesisfirehose.CfnDeliveryStream_EncryptionConfigurationProperty{
				KmsEncryptionConfig: &awskinesisfirehose.CfnDeliveryStream_KMSEncryptionConfigProperty{AwskmsKeyArn: p.EncryptionKey.KeyArn()},
			},
			CloudWatchLoggingOptions: &awskinesisfirehose.CfnDeliveryStream_CloudWatchLoggingOptionsProperty{
				Enabled:       jsii.Bool(true),
				LogGroupName:  logs.LogGroupName(),
				LogStreamName: stream.LogStreamName(),
			},
			S3BackupMode: jsii.String("Disabled"),
		},
	})
	// Firehose checks the role when the stream is created: its policy must exist by then.
	resource.Node().AddDependency(role.Node().FindChild(jsii.String("DefaultPolicy")))
	return resource
}

// newCollector creates the function, its role (put records, write its logs) and its URL.
func (in *ingestion) newCollector(p Props, logs awslogs.LogGroup) {
	role := awsiam.NewRole(in.Construct, jsii.String(FunctionRoleID), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Runs the clickstream collector: puts records into its delivery stream and writes its logs"),
	})
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("PutEvents"),
		Actions:   jsii.Strings("firehose:PutRecordBatch"),
		Resources: &[]*string{in.stream.AttrArn()},
	}))
	logs.GrantWrite(role)

	in.fn = awslambda.NewFunction(in.Construct, jsii.String(FunctionID), &awslambda.FunctionProps{
		FunctionName:                 p.FunctionName,
		Description:                  jsii.String("Clickstream collector: POST " + collector.Path + " into " + *p.DeliveryStreamName),
		Runtime:                      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:                 awslambda.Architecture_ARM_64(),
		Handler:                      jsii.String(Bootstrap),
		Code:                         p.Code,
		Role:                         role,
		MemorySize:                   jsii.Number(float64(*p.MemorySizeMiB)),
		Timeout:                      awscdk.Duration_Seconds(jsii.Number(float64(*p.TimeoutSeconds))),
		ReservedConcurrentExecutions: jsii.Number(float64(*p.ReservedConcurrency)),
		LogGroup:                     logs,
		Environment: &map[string]*string{
			collector.EnvDeliveryStream:      in.stream.Ref(),
			collector.EnvAllowedOrigins:      awscdk.Fn_Join(jsii.String(","), p.AllowedOrigins),
			collector.EnvMaxRequestBytes:     jsii.String(fmt.Sprint(*p.MaxRequestBytes)),
			collector.EnvMaxEventsPerRequest: jsii.String(fmt.Sprint(*p.MaxEventsPerRequest)),
			collector.EnvIPMode:              p.IPMode,
		},
	})
	suppressFunction(in.fn)

	in.url = in.fn.AddFunctionUrl(&awslambda.FunctionUrlOptions{
		AuthType: awslambda.FunctionUrlAuthType_NONE,
		Cors: &awslambda.FunctionUrlCorsOptions{
			AllowedOrigins: p.AllowedOrigins,
			AllowedMethods: &[]awslambda.HttpMethod{awslambda.HttpMethod_POST},
			AllowedHeaders: jsii.Strings("content-type"),
			MaxAge:         awscdk.Duration_Seconds(jsii.Number(PreflightMaxAgeSeconds)),
		},
	})
	suppressFunctionUrl(in.url)
}

// newAlarms watches the function (errors, throttles), the collector's own delivery failures
// (requests answered 503) and Firehose's delivery to S3 (failed puts, stale data).
func (in *ingestion) newAlarms(p Props) {
	period := awscdk.Duration_Minutes(jsii.Number(AlarmPeriodMinutes))
	firehoseMetric := func(name, statistic string) awscloudwatch.IMetric {
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("AWS/Firehose"), MetricName: jsii.String(name),
			DimensionsMap: &map[string]*string{"DeliveryStreamName": in.stream.Ref()},
			Statistic:     jsii.String(statistic), Period: period,
		})
	}
	sum := &awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: period}
	freshness := *p.BufferingIntervalSeconds + FreshnessSlackSeconds
	for _, a := range []struct {
		id, description string
		metric          awscloudwatch.IMetric
		threshold       float64
		operator        awscloudwatch.ComparisonOperator
	}{
		{ErrorsAlarmID, "The clickstream collector failed invocations (crashes or timeouts): events may be lost unless trackers retry",
			in.fn.MetricErrors(sum), 1, awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD},
		{ThrottlesAlarmID, "The clickstream collector was throttled at its reserved concurrency: raise it or expect trackers to retry",
			in.fn.MetricThrottles(sum), 1, awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD},
		{CollectorDeliveryAlarmID, "The clickstream collector answered 503: Firehose did not take events after retries",
			awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
				Namespace: jsii.String(collector.MetricNamespace), MetricName: jsii.String(collector.MetricDeliveryFailures),
				DimensionsMap: &map[string]*string{collector.MetricDimension: p.FunctionName},
				Statistic:     jsii.String("Sum"), Period: period,
			}), 1, awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD},
		{S3DeliveryAlarmID, "Firehose failed to write events to the raw bucket (it retries for 24 hours, then writes them under " + *p.ErrorPrefix + ")",
			firehoseMetric("DeliveryToS3.Success", "Minimum"), 1, awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD},
		{FreshnessAlarmID, fmt.Sprintf("Events have waited in Firehose for more than %d seconds: delivery to the raw bucket is failing", freshness),
			firehoseMetric("DeliveryToS3.DataFreshness", "Maximum"), float64(freshness), awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD},
	} {
		alarm := awscloudwatch.NewAlarm(in.Construct, jsii.String(a.id), &awscloudwatch.AlarmProps{
			AlarmDescription:   jsii.String(a.description),
			Metric:             a.metric,
			Threshold:          jsii.Number(a.threshold),
			ComparisonOperator: a.operator,
			EvaluationPeriods:  jsii.Number(1),
			// No traffic, no datapoint: that is not a failure.
			TreatMissingData: awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		alarm.AddAlarmAction(awscloudwatchactions.NewSnsAction(p.AlarmTopic))
		in.alarms = append(in.alarms, alarm)
	}
}

func (in *ingestion) CollectUrl() *string {
	return awscdk.Fn_Join(jsii.String(""), &[]*string{in.url.Url(), jsii.String(strings.TrimPrefix(collector.Path, "/"))})
}
func (in *ingestion) FunctionUrl() awslambda.FunctionUrl { return in.url }
func (in *ingestion) Function() awslambda.IFunction      { return in.fn }
func (in *ingestion) DeliveryStreamName() *string        { return in.stream.Ref() }
func (in *ingestion) DeliveryStreamArn() *string         { return in.stream.AttrArn() }
func (in *ingestion) Alarms() []awscloudwatch.IAlarm     { return in.alarms }
