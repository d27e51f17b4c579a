package config

import "regexp"

// Defaults of every optional configuration field. Tests assert each one appears in the
// synthesized templates, so documentation and behaviour cannot drift apart.
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
	// MinBytesScannedCutoff is Athena's smallest allowed per-query cutoff (10 MB).
	MinBytesScannedCutoff int64 = 10 * 1024 * 1024
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
	// DefaultQuickSightImportMode caches datasets in SPICE.
	DefaultQuickSightImportMode = "SPICE"
	// DefaultQuickSightRefreshTime refreshes SPICE after the default 02:00 ETL run.
	DefaultQuickSightRefreshTime = "06:00"
	// MinRawInfrequentAccessDays is S3's minimum age for a Standard-IA transition.
	MinRawInfrequentAccessDays = 30
	// MaxGlueWorkers bounds MaxWorkers to a sane ceiling for a daily batch.
	MaxGlueWorkers = 299
)

var (
	environmentNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,19}$`)
	prefixPattern          = regexp.MustCompile(`^[a-z][a-z0-9-]{1,19}$`)
	accountPattern         = regexp.MustCompile(`^[0-9]{12}$`)
	regionPattern          = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)
	tagKeyPattern          = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$`)
	emailPattern           = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	refreshTimePattern     = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	quickSightARNPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:[0-9]{12}:(user|group)/[A-Za-z0-9][A-Za-z0-9._@+=,-]*(/[A-Za-z0-9._@+=,-]+)*$`)
)
