package analytics

// Construct IDs of the pipeline's parts. Stateful resources live below them, so these IDs are
// part of every stateful logical ID: never rename them.
const (
	StorageID      = "Storage"
	CatalogID      = "Catalog"
	AthenaID       = "Athena"
	GlueSecurityID = "GlueSecurity"
	RawCrawlerID   = "RawCrawler"
	EtlJobID       = "EtlJob"
	WorkflowID     = "Workflow"
	AlarmsID       = "Alarms"
	// DataAlarmsID holds the alarms on the run metrics (no stateful resource below it).
	DataAlarmsID = "DataAlarms"
	// DashboardID holds the CloudWatch operations dashboard.
	DashboardID = "Dashboard"
	// QuickSightID holds the dashboards; created only when Props.QuickSight is set.
	QuickSightID = "QuickSight"
)

// Suffixes of the named resources: <NamePrefix>-<suffix>. The Athena workgroup is named
// NamePrefix itself and the Glue database NamePrefix with underscores.
const (
	GlueSecuritySuffix = "glue-security"
	RawCrawlerSuffix   = "raw-crawler"
	EtlJobSuffix       = "etl"
	WorkflowSuffix     = "batch"
	DashboardSuffix    = "operations"
)
