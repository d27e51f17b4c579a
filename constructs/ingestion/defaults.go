package ingestion

import "github.com/clickstream-analytics/datalake/constructs/ingestion/collector"

// Defaults of Props the environment configuration does not set (the others are
// config.DefaultIngestion*; the raw folder is lakestorage.RawEventsPrefix). Tests assert each
// one in the synthesized template.
const (
	// DefaultErrorPrefix holds records Firehose could not deliver, outside the raw events
	// folder so neither the crawler nor the ETL ever reads them.
	DefaultErrorPrefix = "delivery-errors/"
	// PartitionLayout follows the prefix: the hour folders the crawler and the ETL read,
	// from the UTC arrival time at Firehose.
	PartitionLayout = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
	// ErrorLayout follows the error prefix; Firehose requires the error output type in it.
	ErrorLayout = "!{firehose:error-output-type}/" + PartitionLayout
	// Compression of the delivered files.
	Compression = "GZIP"
	// FileExtension is what the ETL lists (.json.gz); Firehose would write ".gz" alone.
	FileExtension = ".json.gz"

	// DefaultMemorySizeMiB is the smallest Lambda size; the handler needs a few MiB.
	DefaultMemorySizeMiB = 128
	// MinMemorySizeMiB and MaxMemorySizeMiB bound MemorySizeMiB.
	MinMemorySizeMiB = 128
	MaxMemorySizeMiB = 1024
	// DefaultTimeoutSeconds covers every delivery attempt and its backoff
	// (collector.DeliveryAttempts × collector.AttemptTimeout + backoff < 7 s).
	DefaultTimeoutSeconds = 10
	// MinTimeoutSeconds and MaxTimeoutSeconds bound TimeoutSeconds.
	MinTimeoutSeconds = 8
	MaxTimeoutSeconds = 60
	// DefaultLogRetentionDays keeps the collector's and Firehose's logs a year.
	DefaultLogRetentionDays = 365

	// AlarmPeriodMinutes is the period of every alarm's statistic.
	AlarmPeriodMinutes = 5
	// FreshnessSlackSeconds is added to the buffering interval before the data freshness alarm.
	FreshnessSlackSeconds = 900
	// PreflightMaxAgeSeconds lets browsers cache the function URL's CORS preflight.
	PreflightMaxAgeSeconds = collector.PreflightMaxAgeSeconds
	// DeliveryLogStream is the Firehose log stream of S3 delivery errors.
	DeliveryLogStream = "S3Delivery"
	// LambdaLogGroupPrefix and FirehoseLogGroupPrefix name the log groups after the function
	// and the stream (Lambda's and the console's conventions).
	LambdaLogGroupPrefix   = "/aws/lambda/"
	FirehoseLogGroupPrefix = "/aws/kinesisfirehose/"
)

// Construct IDs of the children.
const (
	FunctionID               = "Function"
	FunctionRoleID           = "FunctionRole"
	FunctionLogGroupID       = "FunctionLogGroup"
	DeliveryStreamID         = "DeliveryStream"
	DeliveryRoleID           = "DeliveryRole"
	DeliveryLogGroupID       = "DeliveryLogGroup"
	ErrorsAlarmID            = "CollectorErrorsAlarm"
	ThrottlesAlarmID         = "CollectorThrottlesAlarm"
	CollectorDeliveryAlarmID = "CollectorDeliveryFailuresAlarm"
	S3DeliveryAlarmID        = "S3DeliveryFailuresAlarm"
	FreshnessAlarmID         = "DataFreshnessAlarm"
)
