package etljob

import (
	"strconv"

	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/contract"
)

// Arguments are the job arguments the Glue script reads, named by the data contract
// (contract.Arg*). Values may be CDK tokens (bucket names).
type Arguments struct {
	// RawPath is the S3 folder of raw events (s3://raw/events/).
	RawPath string
	// CuratedPath is the curated zone's root: each contract table lives under its Prefix.
	CuratedPath string
	// ReportsPath receives the run's data-quality report.
	ReportsPath string
	// StatePath holds the manifest of processed raw files.
	StatePath string
	// SessionTimeoutMinutes of inactivity start a new session.
	SessionTimeoutMinutes int
	// ReportingTimeZone is the IANA zone of the dates, local hours and weekdays the job writes.
	ReportingTimeZone string
	// MetricsNamespace receives the run's CloudWatch metrics (optional; empty: none).
	MetricsNamespace string
	// IPMode is privacy.ip, applied to quarantined raw lines.
	IPMode string
	// CuratedRetentionDays deletes older events and sessions partitions (optional; 0: kept).
	CuratedRetentionDays int
}

// ToMap renders the arguments as Glue default arguments ("--name": value).
func (a Arguments) ToMap() map[string]*string {
	m := map[string]string{
		contract.ArgRawPath:               a.RawPath,
		contract.ArgCuratedPath:           a.CuratedPath,
		contract.ArgReportsPath:           a.ReportsPath,
		contract.ArgStatePath:             a.StatePath,
		contract.ArgSessionTimeoutMinutes: strconv.Itoa(a.SessionTimeoutMinutes),
		contract.ArgReportingTimeZone:     a.ReportingTimeZone,
		contract.ArgIPMode:                a.IPMode,
	}
	if a.CuratedRetentionDays > 0 {
		m[contract.ArgCuratedRetentionDays] = strconv.Itoa(a.CuratedRetentionDays)
	}
	if a.MetricsNamespace != "" {
		m[contract.ArgMetricsNamespace] = a.MetricsNamespace
	}
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out["--"+k] = jsii.String(v)
	}
	return out
}
