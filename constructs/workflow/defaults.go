package workflow

// Defaults of Props. Tests assert each one in the synthesized template.
const (
	// DefaultSchedule starts the workflow daily at 02:00 UTC (Glue cron syntax).
	DefaultSchedule = "cron(0 2 * * ? *)"
	// MaxConcurrentRuns is 1: a run starting while the previous one still crawls or
	// transforms would process the same raw files twice.
	MaxConcurrentRuns = 1
)

// Construct IDs of the children.
const (
	ResourceID         = "Resource"
	ScheduleTriggerID  = "ScheduleTrigger"
	CrawledTriggerID   = "CrawlerSucceededTrigger"
	scheduleNameSuffix = "-schedule"
	crawledNameSuffix  = "-crawler-succeeded"
)
