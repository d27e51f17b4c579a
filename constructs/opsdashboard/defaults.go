package opsdashboard

// Settings of the dashboard.
const (
	// DefaultIntervalDays is the time range the dashboard opens with: two weeks of daily runs.
	DefaultIntervalDays = 14
	// ResourceID is the construct ID of the dashboard resource.
	ResourceID = "Resource"
)

// AWS metrics the dashboard charts besides the job's run metrics.
const (
	// AthenaNamespace holds the workgroup's query metrics (published: the workgroup enables
	// CloudWatch metrics); ProcessedBytes carries QueryState, QueryType and WorkGroup.
	AthenaNamespace = "AWS/Athena"
	// QuickSightNamespace holds the SPICE ingestion metrics, per DatasetId.
	QuickSightNamespace        = "AWS/QuickSight"
	QuickSightDataSetDimension = "DatasetId"
	SpiceIngestionsMetric      = "IngestionInvocationCount"
	SpiceIngestionErrorsMetric = "IngestionErrorCount"
)
