package ingestion

import "github.com/clickstream-analytics/datalake/constructs/ingestion/collector"

// Defaults of Props. Tests assert each one in the synthesized template.
const (
	// DefaultRawPrefix is the raw events folder the crawler and the ETL read. Merge point: it
	// becomes lakestorage.RawEventsPrefix, the one home of the raw prefix.
	DefaultRawPrefix = "events/"
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

	// DefaultBufferingIntervalSeconds delivers a file at least every 5 minutes.
	DefaultBufferingIntervalSeconds = 300
	// MinBufferingIntervalSeconds and MaxBufferingIntervalSeconds are Firehose's bounds.
	MinBufferingIntervalSeconds = 0
	MaxBufferingIntervalSeconds = 900
	// DefaultBufferingSizeMiB delivers a file when 64 MiB (before compression) are buffered.
	DefaultBufferingSizeMiB = 64
	// MinBufferingSizeMiB and MaxBufferingSizeMiB are Firehose's bounds.
	MinBufferingSizeMiB = 1
	MaxBufferingSizeMiB = 128

	// DefaultReservedConcurrency throttles the collector: at ~20 ms a request, 10 concurrent
	// invocations take ~500 requests per second; more are answered 429 and the tracker retries.
	DefaultReservedConcurrency = 10
	// MaxReservedConcurrency keeps the account's default concurrency (1,000) usable by others.
	MaxReservedConcurrency = 900
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

	// DefaultMaxRequestBytes and DefaultMaxEventsPerRequest are the collector's defaults.
	DefaultMaxRequestBytes     = collector.DefaultMaxRequestBytes
	DefaultMaxEventsPerRequest = collector.DefaultMaxEventsPerRequest

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
