package dataalarms

// Fixed settings of the alarms; the thresholds' defaults are config.Default*.
const (
	// PeriodMinutes is the period of every data alarm: the job publishes once per run, and
	// the freshness alarms count hours.
	PeriodMinutes = 60
	// FreshnessThreshold: an hour with less than one curated event (or successful run) breaches.
	FreshnessThreshold = 1
)

// Construct IDs of the alarms (not stateful: renaming one only replaces the alarm).
const (
	QuarantineShareAlarmID = "QuarantineShareAlarm"
	BotShareAlarmID        = "BotShareAlarm"
	StaleRunsAlarmID       = "StaleRunsAlarm"
	StaleDataAlarmID       = "StaleDataAlarm"
	VolumeDropAlarmID      = "VolumeDropAlarm"
	RulesFailedAlarmID     = "DataQualityRulesAlarm"
)
