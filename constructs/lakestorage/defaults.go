package lakestorage

// Defaults of Props. Tests assert each one in the synthesized template.
const (
	// DefaultRawInfrequentAccessDays moves raw objects to Standard-IA (S3's minimum age).
	DefaultRawInfrequentAccessDays = 30
	// DefaultRawGlacierDays moves raw objects to Glacier Instant Retrieval.
	DefaultRawGlacierDays = 90
	// DefaultAthenaResultsRetentionDays expires Athena query results.
	DefaultAthenaResultsRetentionDays = 30
	// DefaultNoncurrentVersionExpirationDays expires overwritten or deleted object versions
	// (the window to recover from a bad ETL run or an accidental delete).
	DefaultNoncurrentVersionExpirationDays = 30
	// DefaultAbortIncompleteMultipartUploadDays cleans up failed uploads.
	DefaultAbortIncompleteMultipartUploadDays = 1
	// DefaultAccessLogRetentionDays keeps S3 server access logs for audits.
	DefaultAccessLogRetentionDays = 365
	// DefaultTempRetentionDays expires Glue temporary files and Spark UI event logs.
	DefaultTempRetentionDays = 14
	// MinimumTLSVersion is enforced by every bucket policy.
	MinimumTLSVersion = 1.2
)

// Prefixes inside the assets bucket.
const (
	// TempPrefix holds Glue's temporary directory (expired after DefaultTempRetentionDays).
	TempPrefix = "temp/"
	// SparkUILogsPrefix holds Spark UI event logs (expired after DefaultTempRetentionDays).
	SparkUILogsPrefix = "spark-ui-logs/"
)

// Construct IDs of the stateful children. They are a contract: renaming one replaces the
// resource and loses its data.
const (
	KeyID        = "Key"
	RawID        = "RawBucket"
	CuratedID    = "CuratedBucket"
	ResultsID    = "AthenaResultsBucket"
	AccessLogsID = "AccessLogsBucket"
	AssetsID     = "AssetsBucket"
)
