package etljob

// Defaults of Props. Tests assert each one in the synthesized template.
const (
	// DefaultMaxWorkers is the auto-scaling ceiling (G.1X workers).
	DefaultMaxWorkers = 10
	// DefaultTimeoutMinutes stops a runaway run.
	DefaultTimeoutMinutes = 120
	// DefaultMaxRetries retries a failed run once.
	DefaultMaxRetries = 1
	// DefaultSessionTimeoutMinutes of inactivity start a new session.
	DefaultSessionTimeoutMinutes = 30
	// DefaultRawPrefix is the raw events folder the job reads.
	DefaultRawPrefix = "events/"
	// MaxConcurrentRuns is 1: runs share the processed-files manifest under StatePrefix.
	MaxConcurrentRuns = 1
	// MinWorkers is Glue's minimum for Spark jobs.
	MinWorkers = 2
	// MaxTimeoutMinutes is Glue's ceiling for batch jobs (48 hours).
	MaxTimeoutMinutes = 2880
	// MaxRetriesLimit is Glue's ceiling for retries.
	MaxRetriesLimit = 10
)

// Folders of the curated bucket the job writes besides the tables (contract.Table.Prefix).
const (
	// ReportsPrefix holds one JSON data-quality report per run.
	ReportsPrefix = "reports/"
	// StatePrefix holds the manifest of processed raw files (the job's own bookmark).
	StatePrefix = "_state/"
)

// Locations in the assets bucket.
const (
	// TempPrefix is Glue's temporary directory (--TempDir).
	TempPrefix = "temp/"
	// SparkUIPrefix receives Spark UI event logs. The L2 wants a leading slash and none at
	// the end.
	SparkUIPrefix = "/spark-ui-logs"
)

// Files under the scripts directory.
const (
	// ScriptFile is the job's entry point, deployed as the script asset.
	ScriptFile = "job.py"
	// ModulesPackage is the Python package shipped as --extra-py-files (zipped at synth).
	ModulesPackage = "clickstream_etl"
)

// Glue job arguments set besides the contract's (see Arguments).
const (
	// BookmarkOption disables Glue job bookmarks: the script keeps its own manifest of
	// processed raw files under StatePrefix.
	BookmarkOption = "job-bookmark-disable"
)

// Construct IDs of the children.
const (
	ResourceID     = "Resource"
	RoleID         = "Role"
	ScriptAssetID  = "ScriptAsset"
	ModulesAssetID = "ModulesAsset"
)
