package lakestorage

import "github.com/clickstream-analytics/datalake/contract"

// Defaults of Props that the environment configuration does not set (the others are
// config.Default*). Tests assert each one in the synthesized template.
const (
	// DefaultNoncurrentVersionExpirationDays expires overwritten or deleted object versions
	// (the window to recover from a bad ETL run or an accidental delete).
	DefaultNoncurrentVersionExpirationDays = 30
	// DefaultAbortIncompleteMultipartUploadDays cleans up failed uploads.
	DefaultAbortIncompleteMultipartUploadDays = 1
	// DefaultAccessLogRetentionDays keeps S3 server access logs for audits.
	DefaultAccessLogRetentionDays = 365
	// DefaultTempRetentionDays expires Glue temporary files and Spark UI event logs.
	DefaultTempRetentionDays = 14
	// DefaultErasureRequestRetentionDays keeps erasure request files (which name visitors) a
	// month after their upload: time for the erasure job, its retries and an audit of the
	// request; the job's reports and suppression list keep only hashes.
	DefaultErasureRequestRetentionDays = 30
	// MinimumTLSVersion is enforced by every bucket policy.
	MinimumTLSVersion = 1.2
)

// Folders of the lake's buckets. This is their one home: the crawler, the ETL job and the
// lifecycle rules here all take them from these constants.
const (
	// RawEventsPrefix (raw bucket) holds the raw events, events/year=/month=/day=/hour=/.
	RawEventsPrefix = "events/"
	// ReportsPrefix (curated bucket) holds one JSON data-quality report per ETL run.
	ReportsPrefix = "reports/"
	// StatePrefix (curated bucket) holds the ETL's manifest of processed raw files.
	StatePrefix = "_state/"
	// QuarantinePrefix (curated bucket) is the quarantine table's folder (its contract prefix).
	QuarantinePrefix = contract.QuarantineTable + "/"
	// ErasureRequestsPrefix (curated bucket) receives erasure request files (JSON lines).
	ErasureRequestsPrefix = "erasure-requests/"
	// ErasureReportsPrefix (curated bucket) holds one audit report per erasure run (hashed ids only).
	ErasureReportsPrefix = "erasure-reports/"
	// TempPrefix (assets bucket) is Glue's temporary directory (expired after DefaultTempRetentionDays).
	TempPrefix = "temp/"
	// SparkUILogsPrefix (assets bucket) holds Spark UI event logs (expired after DefaultTempRetentionDays).
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
