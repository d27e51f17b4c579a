package config

import "regexp"

// Defaults of every optional configuration field. They are also the defaults of the
// constructs' props (constructs/*), which refer to these constants instead of keeping their
// own: each default has this one home. Tests assert each one in the synthesized templates and
// that a construct left at its default synthesizes exactly as with these values.
const (
	// StackNamePrefix starts every stack name: ClickstreamAnalytics-<environment>.
	StackNamePrefix = "ClickstreamAnalytics-"
	// DefaultPrefix names resources when the environment sets no prefix.
	DefaultPrefix = "clickstream"
	// DefaultRawInfrequentAccessDays is when raw objects move to Standard-IA (S3's minimum is 30).
	DefaultRawInfrequentAccessDays = 30
	// DefaultRawGlacierDays is when raw objects move to Glacier Instant Retrieval.
	DefaultRawGlacierDays = 90
	// DefaultAthenaResultsRetentionDays is how long query results are kept.
	DefaultAthenaResultsRetentionDays = 30
	// DefaultBytesScannedCutoff is the per-query scan limit: 10 GiB.
	DefaultBytesScannedCutoff int64 = 10 * 1024 * 1024 * 1024
	// DefaultGlueMaxWorkers is the auto-scaling ceiling of the ETL job.
	DefaultGlueMaxWorkers = 10
	// DefaultGlueSchedule runs the workflow daily at 02:00 UTC.
	DefaultGlueSchedule = "cron(0 2 * * ? *)"
	// DefaultGlueTimeoutMinutes stops a runaway job run.
	DefaultGlueTimeoutMinutes = 120
	// DefaultGlueMaxRetries retries a failed run once.
	DefaultGlueMaxRetries = 1
	// DefaultSessionTimeoutMinutes is the usual web-analytics inactivity timeout.
	DefaultSessionTimeoutMinutes = 30
	// DefaultGlueDurationAlarmMinutes alarms on runs longer than this.
	DefaultGlueDurationAlarmMinutes = 90
	// DefaultQuarantineSharePercent alarms when a run quarantines more of its input: the
	// sample data's normal share is about 2 %.
	DefaultQuarantineSharePercent = 5
	// DefaultBotSharePercent alarms when bots make more of a run's curated events (a crawler
	// storm or a bot pattern that stopped matching).
	DefaultBotSharePercent = 20
	// DefaultFreshnessHours alarms when no run succeeded, or none curated an event, for this
	// long: a day's schedule plus two hours of slack.
	DefaultFreshnessHours = 26
	// DefaultVolumeDropPercent alarms when a run curates less than this share of the trailing
	// average of the previous runs (a broken tracker or collector).
	DefaultVolumeDropPercent = 50
	// DefaultQuickSightImportMode caches datasets in SPICE: fast dashboards, one Athena scan per refresh.
	DefaultQuickSightImportMode = ImportModeSpice
	// DefaultQuickSightRefreshTime refreshes SPICE after the default 02:00 ETL run.
	DefaultQuickSightRefreshTime = "06:00"
	// DefaultIngestionReservedConcurrency throttles the collector: at ~20 ms a request, 10
	// concurrent invocations take ~500 requests per second; more are answered 429 and retried.
	DefaultIngestionReservedConcurrency = 10
	// DefaultIngestionMaxRequestBytes bounds a request body: 128 KiB, twice what a browser may
	// send with fetch keepalive or sendBeacon (64 KiB), enough for a server-side batch.
	DefaultIngestionMaxRequestBytes = 128 * 1024
	// DefaultIngestionMaxEventsPerRequest bounds the events of one request.
	DefaultIngestionMaxEventsPerRequest = 100
	// DefaultIngestionBufferingIntervalSeconds delivers a raw file at least every 5 minutes.
	DefaultIngestionBufferingIntervalSeconds = 300
	// DefaultIngestionBufferingSizeMiB delivers a raw file when 64 MiB (before compression) are buffered.
	DefaultIngestionBufferingSizeMiB = 64
)

// AnyOrigin in ingestion.allowedOrigins accepts every site (never in production).
const AnyOrigin = "*"

// QuickSight import modes of the datasets.
const (
	ImportModeSpice       = "SPICE"
	ImportModeDirectQuery = "DIRECT_QUERY"
)

// Ranges of the whole-number settings. Config validation names the cdk.json field, construct
// validation the prop; both check with the same Range, so limits and wording cannot drift.
var (
	// RawInfrequentAccessDays: S3 does not move objects to Standard-IA before 30 days.
	RawInfrequentAccessDays = Range{Min: 30, Max: MaxDays, Unit: "days", Why: "S3 does not move objects to Infrequent Access earlier"}
	// RetentionDays bounds every other lifecycle age in days.
	RetentionDays = Range{Min: 1, Max: MaxDays, Unit: "days"}
	// BytesScannedCutoff: Athena's smallest per-query cutoff is 10 MB.
	BytesScannedCutoff = Range{Min: 10 * 1024 * 1024, Max: 1 << 62, Unit: "bytes", Why: "10 MB, Athena's smallest cutoff"}
	// GlueWorkers: Glue Spark jobs need two G.1X workers (one is the driver); 299 is a sane
	// ceiling for a daily batch.
	GlueWorkers = Range{Min: 2, Max: 299, Unit: "G.1X workers", Why: "one is the driver"}
	// GlueTimeoutMinutes: Glue's ceiling for batch jobs is 48 hours.
	GlueTimeoutMinutes = Range{Min: 1, Max: 2880, Unit: "minutes", Why: "48 hours is Glue's ceiling"}
	// GlueRetries: Glue allows at most 10 retries.
	GlueRetries = Range{Min: 0, Max: 10, Unit: "retries"}
	// SessionTimeoutMinutes: a session ends after at most a day of inactivity.
	SessionTimeoutMinutes = Range{Min: 1, Max: 1440, Unit: "minutes"}
	// IngestionReservedConcurrency keeps most of an account's default 1,000 concurrent
	// executions for other functions (Lambda keeps 100 unreserved).
	IngestionReservedConcurrency = Range{Min: 1, Max: 900, Unit: "concurrent invocations"}
	// IngestionMaxRequestBytes: room for one realistic event; a full request, once stamped,
	// within one Firehose record.
	IngestionMaxRequestBytes = Range{Min: 1024, Max: 512 * 1024, Unit: "bytes", Why: "512 KiB stays within one Firehose record once stamped"}
	// IngestionMaxEventsPerRequest: 500 events of about 1 KB of stamps keep a request within one Firehose record.
	IngestionMaxEventsPerRequest = Range{Min: 1, Max: 500, Unit: "events"}
	// IngestionBufferingIntervalSeconds and IngestionBufferingSizeMiB are Firehose's bounds.
	IngestionBufferingIntervalSeconds = Range{Min: 0, Max: 900, Unit: "seconds", Why: "Firehose's bounds"}
	IngestionBufferingSizeMiB         = Range{Min: 1, Max: 128, Unit: "MiB", Why: "Firehose's bounds"}
	// SharePercent bounds the share thresholds of the data alarms.
	SharePercent = Range{Min: 1, Max: 99, Unit: "percent"}
	// FreshnessHours: the alarm evaluates one-hour periods, and CloudWatch evaluates at most
	// seven days (168 periods of an hour).
	FreshnessHours = Range{Min: 2, Max: 168, Unit: "hours", Why: "CloudWatch evaluates an alarm over at most 7 days"}
)

// MaxDays bounds day counts (about 100 years): a larger value is a typo, not a policy.
const MaxDays = 36500

// Patterns shared by config validation and the constructs that take the same values.
var (
	// EmailPattern is an e-mail address for an SNS subscription.
	EmailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	// RefreshTimePattern is a time of day HH:MM (24-hour clock).
	RefreshTimePattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	// QuickSightPrincipalPattern is a QuickSight user or group ARN in any identity region.
	QuickSightPrincipalPattern = regexp.MustCompile(`^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:[0-9]{12}:(user|group)/[A-Za-z0-9][A-Za-z0-9._@+=,-]*(/[A-Za-z0-9._@+=,-]+)*$`)
	// NamePrefixPattern is the prefix of every named resource of an environment,
	// <prefix>-<environment>: 2-40 lower-case letters, digits and hyphens (QuickSight IDs are
	// built from it).
	NamePrefixPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)
	// FolderPattern is an S3 folder: no leading slash, ending in "/".
	FolderPattern = regexp.MustCompile(`^[A-Za-z0-9_=-]+(/[A-Za-z0-9_=-]+)*/$`)
)

var (
	environmentNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,19}$`)
	prefixPattern          = regexp.MustCompile(`^[a-z][a-z0-9-]{1,19}$`)
	accountPattern         = regexp.MustCompile(`^[0-9]{12}$`)
	regionPattern          = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)
	tagKeyPattern          = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$`)
)
