package contract

// The CloudWatch metrics the ETL job publishes after each successful run: defined here once,
// read by the Glue script through the JSON export (clickstream_etl.contract) and by the
// constructs that alarm on and chart them. A metric carries at most one dimension.

// MetricsNamespaceSuffix ends each environment's metric namespace: <NamePrefix>/DataQuality.
const MetricsNamespaceSuffix = "DataQuality"

// MetricsNamespace is the namespace of a pipeline's metrics, e.g. "clickstream-prod/DataQuality".
func MetricsNamespace(namePrefix string) string { return namePrefix + "/" + MetricsNamespaceSuffix }

// Dimension names. Few, so each alarm watches one series and the dashboard stays small.
const (
	// DimensionReason is the quarantine reason (malformed_json, missing_required_field, ...).
	DimensionReason = "Reason"
	// DimensionTable is a curated table's name.
	DimensionTable = "Table"
)

// CloudWatch units of the metrics.
const (
	UnitCount   = "Count"
	UnitPercent = "Percent"
	UnitSeconds = "Seconds"
)

// Metric names.
const (
	// MetricSuccessfulRuns is 1 per run that finished (its report written).
	MetricSuccessfulRuns = "SuccessfulRuns"
	// MetricInputRecords counts the non-blank raw lines a run read.
	MetricInputRecords = "InputRecords"
	// MetricCuratedRecords counts the new, unique, valid events a run curated.
	MetricCuratedRecords = "CuratedRecords"
	// MetricDuplicateRecords counts valid lines dropped as copies of an event.
	MetricDuplicateRecords = "DuplicateRecords"
	// MetricQuarantinedRecords counts the lines a run quarantined; with DimensionReason, per reason.
	MetricQuarantinedRecords = "QuarantinedRecords"
	// MetricQuarantineShare is quarantined / input records, in percent (runs with input only).
	MetricQuarantineShare = "QuarantineShare"
	// MetricBotRecords counts the curated events from bots.
	MetricBotRecords = "BotRecords"
	// MetricBotShare is bot / curated records, in percent (runs that curated events only).
	MetricBotShare = "BotShare"
	// MetricSessionsWritten counts the sessions a run wrote (new and recomputed).
	MetricSessionsWritten = "SessionsWritten"
	// MetricLateRecords counts curated events dated more than LateEventDays before the run's day.
	MetricLateRecords = "LateRecords"
	// MetricPartitionsRewritten counts the partitions a run rewrote, per DimensionTable.
	MetricPartitionsRewritten = "PartitionsRewritten"
	// MetricRunDuration is the run's duration.
	MetricRunDuration = "RunDuration"
	// MetricNewestEventAge is the age of the run's newest curated event at the run's reference time.
	MetricNewestEventAge = "NewestEventAge"
	// MetricCuratedVsTrailingAverage is curated records in percent of the mean of the previous
	// TrailingRuns runs' (only when that mean is above zero).
	MetricCuratedVsTrailingAverage = "CuratedVsTrailingAverage"
	// MetricDataQualityRulesFailed counts the failed Glue Data Quality rules of a run; with
	// DimensionTable, per curated table.
	MetricDataQualityRulesFailed = "DataQualityRulesFailed"
)

// LateEventDays: a curated event dated more than this many days before the run's reference
// day is late (it rewrites an old partition and may arrive after reports were read).
const LateEventDays = 1

// TrailingRuns is how many previous runs' curated records make the trailing average.
const TrailingRuns = 7

// Metric is one metric the job publishes. Dimension is empty for the run's total, else the
// single dimension of its per-reason or per-table series (published besides the total when
// Total is true).
type Metric struct {
	Name        string `json:"name"`
	Unit        string `json:"unit"`
	Dimension   string `json:"dimension,omitempty"`
	Total       bool   `json:"total"`
	Description string `json:"description"`
}

// Metrics lists every metric the job publishes, in dashboard order.
func Metrics() []Metric {
	return []Metric{
		{MetricSuccessfulRuns, UnitCount, "", true, "1 per finished run"},
		{MetricInputRecords, UnitCount, "", true, "non-blank raw lines read"},
		{MetricCuratedRecords, UnitCount, "", true, "new unique valid events curated"},
		{MetricDuplicateRecords, UnitCount, "", true, "valid lines dropped as duplicates"},
		{MetricQuarantinedRecords, UnitCount, DimensionReason, true, "lines quarantined, in total and per reason"},
		{MetricQuarantineShare, UnitPercent, "", true, "quarantined in percent of input records"},
		{MetricBotRecords, UnitCount, "", true, "curated events from bots"},
		{MetricBotShare, UnitPercent, "", true, "bot events in percent of curated records"},
		{MetricSessionsWritten, UnitCount, "", true, "sessions written (new and recomputed)"},
		{MetricLateRecords, UnitCount, "", true, "curated events dated more than LateEventDays before the run"},
		{MetricPartitionsRewritten, UnitCount, DimensionTable, false, "partitions rewritten per table"},
		{MetricRunDuration, UnitSeconds, "", true, "run duration"},
		{MetricNewestEventAge, UnitSeconds, "", true, "age of the newest curated event at the run's reference time"},
		{MetricCuratedVsTrailingAverage, UnitPercent, "", true, "curated records in percent of the previous runs' mean"},
		{MetricDataQualityRulesFailed, UnitCount, DimensionTable, true, "failed Glue Data Quality rules, in total and per table"},
	}
}

// MetricsExport is the metrics part of the JSON export.
type MetricsExport struct {
	NamespaceSuffix string   `json:"namespaceSuffix"`
	Metrics         []Metric `json:"metrics"`
	LateEventDays   int      `json:"lateEventDays"`
	TrailingRuns    int      `json:"trailingRuns"`
}

func metricsExport() MetricsExport {
	return MetricsExport{
		NamespaceSuffix: MetricsNamespaceSuffix,
		Metrics:         Metrics(),
		LateEventDays:   LateEventDays,
		TrailingRuns:    TrailingRuns,
	}
}
