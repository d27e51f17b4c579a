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
	// ErasureJobID holds the erasure job, its schedule and its failure rule.
	ErasureJobID = "ErasureJob"
	WorkflowID   = "Workflow"
	AlarmsID     = "Alarms"
	// DataAlarmsID holds the alarms on the run metrics (no stateful resource below it).
	DataAlarmsID = "DataAlarms"
	// DashboardID holds the CloudWatch operations dashboard.
	DashboardID = "Dashboard"
	// QuickSightID holds the dashboards; created only when Props.QuickSight is set.
	QuickSightID = "QuickSight"
	// IngestionID holds the collector; created only when Props.Ingestion is set.
	IngestionID = "Ingestion"
	// LakeFormationID holds the location registrations and grants; created only when
	// Props.LakeFormation is true.
	LakeFormationID = "LakeFormation"
)

// Suffixes of the named resources: <NamePrefix>-<suffix>. The Athena workgroup is named
// NamePrefix itself and the Glue database NamePrefix with underscores.
const (
	GlueSecuritySuffix = "glue-security"
	RawCrawlerSuffix   = "raw-crawler"
	EtlJobSuffix       = "etl"
	ErasureJobSuffix   = "erasure"
	WorkflowSuffix     = "batch"
	// CollectorSuffix and DeliveryStreamSuffix name the ingestion's function and stream.
	CollectorSuffix      = "collector"
	DeliveryStreamSuffix = "events"
	DashboardSuffix      = "operations"
)
