package contract

// Job argument names read by the Glue ETL script (glue-scripts/job.py).
// Glue passes each as "--<name> <value>"; the script reads exactly JobArgumentNames() and
// OptionalJobArgumentNames() from this contract's JSON export. No argument names a table:
// every curated table lives at CuratedPath + its Prefix, so a new table adds no argument.
const (
	// ArgRawPath is the S3 folder of raw events (s3://<raw bucket>/events/).
	ArgRawPath = "raw_path"
	// ArgCuratedPath is the root of the curated zone (s3://<curated bucket>/).
	ArgCuratedPath = "curated_path"
	// ArgReportsPath receives one data-quality report per run.
	ArgReportsPath = "reports_path"
	// ArgStatePath holds the manifest of processed raw files.
	ArgStatePath = "state_path"
	// ArgSessionTimeoutMinutes of inactivity start a new session.
	ArgSessionTimeoutMinutes = "session_timeout_minutes"
	// ArgReportingTimeZone is the IANA zone of every date, local hour and weekday the job
	// writes; the job records it in its state and refuses a run with another zone.
	ArgReportingTimeZone = "reporting_time_zone"
	// ArgReferenceTime is optional: an ISO-8601 instant that replaces the run start as the
	// reference for future_timestamp (tests and backfills).
	ArgReferenceTime = "reference_time"
	// ArgMetricsNamespace is optional: the CloudWatch namespace the job publishes its run
	// metrics to on Glue (MetricsNamespace); local runs publish nothing.
	ArgMetricsNamespace = "metrics_namespace"
	// ArgIPMode is optional: config.IPDrop, IPTruncate or IPKeep, applied to the IP addresses
	// in quarantined raw lines (privacy.ip). Default: config.DefaultIPMode.
	ArgIPMode = "ip_mode"
	// ArgCuratedRetentionDays is optional: events and sessions partitions older than this many
	// days are deleted by each run (privacy.curatedRetentionDays). Default: kept.
	ArgCuratedRetentionDays = "curated_retention_days"
)

// Arguments of the erasure job (glue-scripts/forget.py) besides ArgRawPath, ArgCuratedPath and
// ArgStatePath, which it shares with the ETL.
const (
	// ArgRequestsPath is the folder (or one file) of erasure requests, JSON lines.
	ArgRequestsPath = "requests_path"
	// ArgAuditPath receives one audit report per erasure run (hashes of ids, never an id).
	ArgAuditPath = "audit_path"
)

// ErasureJobArgumentNames lists the erasure job's arguments, all required.
func ErasureJobArgumentNames() []string {
	return []string{ArgRawPath, ArgCuratedPath, ArgStatePath, ArgRequestsPath, ArgAuditPath}
}

// JobArgumentNames lists the required job arguments (without the leading "--").
func JobArgumentNames() []string {
	return []string{ArgRawPath, ArgCuratedPath, ArgReportsPath, ArgStatePath, ArgSessionTimeoutMinutes, ArgReportingTimeZone}
}

// OptionalJobArgumentNames lists the job arguments the script accepts but does not require.
func OptionalJobArgumentNames() []string {
	return []string{ArgReferenceTime, ArgMetricsNamespace, ArgIPMode, ArgCuratedRetentionDays}
}
