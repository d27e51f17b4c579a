package workflow

// Fixed settings; the schedule's default is config.DefaultGlueSchedule. Tests assert each one
// in the synthesized template.
const (
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
