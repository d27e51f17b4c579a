package quicksight

// Defaults of Props the environment configuration does not set (ImportMode and RefreshTime
// default to config.DefaultQuickSightImportMode and config.DefaultQuickSightRefreshTime).
// Tests assert each one in the synthesized template.
const (
	// RefreshTimeZone is the time zone of RefreshTime.
	RefreshTimeZone = "UTC"
	// DefaultDateRangeDays is the dashboard's default date range: the last 30 days.
	DefaultDateRangeDays = 30
	// MaxPrincipals is QuickSight's limit of permissions per resource.
	MaxPrincipals = 64
)

// Construct IDs of the children. QuickSight resources hold no data of their own (SPICE is
// re-ingested), but renaming one still replaces it and resets its sharing, so they are stable.
const (
	DataSourceRoleID        = "DataSourceRole"
	DataSourceID            = "DataSource"
	DataSetIDPrefix         = "DataSet"
	RefreshScheduleIDPrefix = "RefreshSchedule"
	// FullRefreshScheduleIDPrefix starts the construct ID of each dataset's weekly full refresh.
	FullRefreshScheduleIDPrefix = "FullRefreshSchedule"
	AnalysisID                  = "Analysis"
	DashboardID                 = "Dashboard"
)

// SPICE refreshes. Every dataset is refreshed incrementally each day: QuickSight re-imports only
// the rows whose date column (its `-- quicksight-date:`) lies in the last
// IncrementalRefreshLookbackDays days, so a daily refresh scans days, not the whole history, and
// picks up late events of those days. A weekly full refresh re-imports everything: the days a
// late session changed further back (new vs returning visitors reach 365 days) and the removal
// of rows that left a dataset's retention window.
const (
	// IncrementalRefreshLookbackDays of the dataset's date column are re-imported every day.
	IncrementalRefreshLookbackDays = 3
	// RefreshScheduleID is the ScheduleId of every dataset's daily incremental refresh.
	RefreshScheduleID = "daily-incremental-refresh"
	// FullRefreshScheduleID is the ScheduleId of every dataset's weekly full refresh.
	FullRefreshScheduleID = "weekly-full-refresh"
	// FullRefreshDay is the day of the weekly full refresh.
	FullRefreshDay = "SUNDAY"
	// FullRefreshDelayMinutes after the daily refresh time, the weekly full refresh starts, so
	// the two never start together.
	FullRefreshDelayMinutes = 60
	// RefreshSchedulesPerDataSet: the daily incremental and the weekly full refresh.
	RefreshSchedulesPerDataSet = 2
)

// Permission action sets per resource type and role, as the QuickSight console grants them.
var (
	// DataSourceOwnerActions: full control of the data source.
	DataSourceOwnerActions = []string{
		"quicksight:DescribeDataSource",
		"quicksight:DescribeDataSourcePermissions",
		"quicksight:PassDataSource",
		"quicksight:UpdateDataSource",
		"quicksight:DeleteDataSource",
		"quicksight:UpdateDataSourcePermissions",
	}
	// DataSetOwnerActions: full control of a dataset, including its SPICE ingestions.
	DataSetOwnerActions = []string{
		"quicksight:DescribeDataSet",
		"quicksight:DescribeDataSetPermissions",
		"quicksight:PassDataSet",
		"quicksight:DescribeIngestion",
		"quicksight:ListIngestions",
		"quicksight:UpdateDataSet",
		"quicksight:DeleteDataSet",
		"quicksight:CreateIngestion",
		"quicksight:CancelIngestion",
		"quicksight:UpdateDataSetPermissions",
	}
	// AnalysisOwnerActions: full control of the analysis (authors edit and save it).
	AnalysisOwnerActions = []string{
		"quicksight:RestoreAnalysis",
		"quicksight:UpdateAnalysisPermissions",
		"quicksight:DeleteAnalysis",
		"quicksight:DescribeAnalysisPermissions",
		"quicksight:QueryAnalysis",
		"quicksight:DescribeAnalysis",
		"quicksight:UpdateAnalysis",
	}
	// DashboardOwnerActions: full control of the dashboard.
	DashboardOwnerActions = []string{
		"quicksight:DescribeDashboard",
		"quicksight:ListDashboardVersions",
		"quicksight:UpdateDashboardPermissions",
		"quicksight:QueryDashboard",
		"quicksight:UpdateDashboard",
		"quicksight:DeleteDashboard",
		"quicksight:DescribeDashboardPermissions",
		"quicksight:UpdateDashboardPublishedVersion",
	}
	// DashboardViewerActions: view and query the dashboard, nothing else.
	DashboardViewerActions = []string{
		"quicksight:DescribeDashboard",
		"quicksight:ListDashboardVersions",
		"quicksight:QueryDashboard",
	}
)

// DataCatalogActions let the data source role browse the Glue catalog through Athena; they
// apply to the account's AwsDataCatalog only.
var DataCatalogActions = []string{
	"athena:GetDataCatalog",
	"athena:ListDatabases",
	"athena:GetDatabase",
	"athena:ListTableMetadata",
	"athena:GetTableMetadata",
}

// Actions QuickSight needs to validate and browse an Athena data source, compared with AWS's
// managed policy AWSQuicksightAthenaAccess. Left out of it: the deprecated and JDBC-only Athena
// actions (GetCatalogs, GetExecutionEngine(s), GetNamespace(s), GetQueryExecutions, GetTable(s),
// RunQuery, CancelQueryExecution), every Glue write, S3 CreateBucket/PutBucketPublicAccessBlock
// on the default aws-athena-query-results-* buckets (the workgroup enforces its own results
// bucket) and lakeformation:GetDataAccess (only for a Lake Formation governed catalog).
var (
	// AccountListActions support no resource-level permissions (Service Authorization
	// Reference), so they are granted on "*"; they return names and settings, never data.
	AccountListActions = []string{
		"athena:ListWorkGroups",     // QuickSight checks that the data source's workgroup exists before it saves the source
		"athena:ListDataCatalogs",   // QuickSight lists the catalogs to resolve AwsDataCatalog when it browses the source
		"athena:ListEngineVersions", // QuickSight reads the engine versions to match the workgroup's engine (3 here)
	}
	// DatabaseListActions are scoped to the account's catalog and the lake's database.
	DatabaseListActions = []string{
		"glue:GetDatabases", // athena:ListDatabases (DataCatalogActions) calls it with the data source role's credentials
	}
)
