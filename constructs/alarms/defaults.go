package alarms

// Defaults of Props. Tests assert each one in the synthesized template.
const (
	// ElapsedTimeMetric is Glue's per-run elapsed time (milliseconds), published while the job
	// runs with --enable-metrics.
	ElapsedTimeMetric = "glue.driver.aggregate.elapsedTime"
	// DurationAlarmPeriodMinutes is the period of the elapsed-time statistic (Maximum).
	DurationAlarmPeriodMinutes = 5
)

// FailedJobStates are the Glue job run states that notify.
var FailedJobStates = []string{"FAILED", "TIMEOUT", "STOPPED"}

// Construct IDs of the children.
const (
	KeyID           = "Key"
	TopicID         = "Topic"
	DurationAlarmID = "DurationAlarm"
	// JobRuleID and CrawlerRuleID are created under the job and the crawler they watch, as
	// CDK's onEvent methods do.
	JobRuleID     = "RunFailedNotification"
	CrawlerRuleID = "CrawlFailedNotification"
)
