package contract

// Job argument names read by the Glue ETL script (glue-scripts/job.py).
// Glue passes each as "--<name> <value>"; the script's tests assert it reads exactly these.
const (
	ArgRawPath               = "raw_path"
	ArgEventsPath            = "events_path"
	ArgSessionsPath          = "sessions_path"
	ArgQuarantinePath        = "quarantine_path"
	ArgReportsPath           = "reports_path"
	ArgStatePath             = "state_path"
	ArgDatabaseName          = "database_name"
	ArgEventsTable           = "events_table"
	ArgSessionsTable         = "sessions_table"
	ArgQuarantineTable       = "quarantine_table"
	ArgDailyTrafficPath      = "daily_traffic_path"
	ArgDailyTrafficTable     = "daily_traffic_table"
	ArgDailyPagesPath        = "daily_pages_path"
	ArgDailyPagesTable       = "daily_pages_table"
	ArgDailyJourneysPath     = "daily_journeys_path"
	ArgDailyJourneysTable    = "daily_journeys_table"
	ArgSessionTimeoutMinutes = "session_timeout_minutes"
	// ArgReferenceTime is optional: an ISO-8601 instant that replaces the run start as the
	// reference for future_timestamp (tests and backfills).
	ArgReferenceTime = "reference_time"
)

// JobArgumentNames lists the required job arguments (without the leading "--").
func JobArgumentNames() []string {
	return []string{
		ArgRawPath, ArgEventsPath, ArgSessionsPath, ArgQuarantinePath, ArgDailyTrafficPath, ArgDailyPagesPath,
		ArgDailyJourneysPath, ArgReportsPath, ArgStatePath, ArgDatabaseName, ArgEventsTable, ArgSessionsTable,
		ArgQuarantineTable, ArgDailyTrafficTable, ArgDailyPagesTable, ArgDailyJourneysTable,
		ArgSessionTimeoutMinutes,
	}
}

// OptionalJobArgumentNames lists the job arguments the script accepts but does not require.
func OptionalJobArgumentNames() []string { return []string{ArgReferenceTime} }
