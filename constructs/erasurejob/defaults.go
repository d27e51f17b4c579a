package erasurejob

// Defaults of Props and fixed settings of the job.
const (
	// DefaultSchedule runs the job daily at 01:00 UTC, an hour before the default ETL run
	// (config.DefaultGlueSchedule): requests are honoured within a day, and the ETL after it
	// already applies the new suppression list.
	DefaultSchedule = "cron(0 1 * * ? *)"
	// DefaultMaxWorkers: an erasure rewrites a few partitions and raw objects; the raw scan
	// is what grows with the lake.
	DefaultMaxWorkers = 4
	// ScriptFile is the erasure entry point of the script package.
	ScriptFile = "forget.py"
	// MaxConcurrentRuns is 1: runs share the processed-requests list under the state prefix.
	MaxConcurrentRuns = 1
)

// Construct IDs of the children.
const (
	ResourceID     = "Resource"
	RoleID         = "Role"
	ScriptAssetID  = "ScriptAsset"
	ModulesAssetID = "ModulesAsset"
	TriggerID      = "Schedule"
	FailureRuleID  = "FailureRule"
)
