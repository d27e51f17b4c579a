package etljob

// Fixed settings of the job; the defaults of its props are config.Default* and
// lakestorage's prefixes.
const (
	// MaxConcurrentRuns is 1: runs share the processed-files manifest under lakestorage.StatePrefix.
	MaxConcurrentRuns = 1
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
	// GlueMetricsNamespace is where Glue publishes the job's own metrics (--enable-metrics).
	GlueMetricsNamespace = "Glue"
)

// Construct IDs of the children.
const (
	ResourceID     = "Resource"
	RoleID         = "Role"
	ScriptAssetID  = "ScriptAsset"
	ModulesAssetID = "ModulesAsset"
)
