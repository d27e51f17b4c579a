package etljob

import (
	"strconv"

	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/contract"
)

// Arguments are the job arguments the Glue script reads, named by the data contract
// (contract.Arg*). Values may be CDK tokens (bucket names).
type Arguments struct {
	// RawPath is the S3 folder of raw events (s3://raw/events/).
	RawPath string
	// EventsPath, SessionsPath, QuarantinePath, DailyTrafficPath, DailyPagesPath and
	// DailyJourneysPath are the curated tables' folders.
	EventsPath, SessionsPath, QuarantinePath, DailyTrafficPath, DailyPagesPath, DailyJourneysPath string
	// ReportsPath receives the run's data-quality report.
	ReportsPath string
	// StatePath holds the manifest of processed raw files.
	StatePath string
	// DatabaseName is the Glue database of the curated tables.
	DatabaseName string
	// EventsTable, SessionsTable, QuarantineTable, DailyTrafficTable, DailyPagesTable and
	// DailyJourneysTable are the curated tables' names.
	EventsTable, SessionsTable, QuarantineTable, DailyTrafficTable, DailyPagesTable, DailyJourneysTable string
	// SessionTimeoutMinutes of inactivity start a new session.
	SessionTimeoutMinutes int
}

// ToMap renders the arguments as Glue default arguments ("--name": value).
func (a Arguments) ToMap() map[string]*string {
	m := map[string]string{
		contract.ArgRawPath:               a.RawPath,
		contract.ArgEventsPath:            a.EventsPath,
		contract.ArgSessionsPath:          a.SessionsPath,
		contract.ArgQuarantinePath:        a.QuarantinePath,
		contract.ArgDailyTrafficPath:      a.DailyTrafficPath,
		contract.ArgDailyPagesPath:        a.DailyPagesPath,
		contract.ArgDailyJourneysPath:     a.DailyJourneysPath,
		contract.ArgReportsPath:           a.ReportsPath,
		contract.ArgStatePath:             a.StatePath,
		contract.ArgDatabaseName:          a.DatabaseName,
		contract.ArgEventsTable:           a.EventsTable,
		contract.ArgSessionsTable:         a.SessionsTable,
		contract.ArgQuarantineTable:       a.QuarantineTable,
		contract.ArgDailyTrafficTable:     a.DailyTrafficTable,
		contract.ArgDailyPagesTable:       a.DailyPagesTable,
		contract.ArgDailyJourneysTable:    a.DailyJourneysTable,
		contract.ArgSessionTimeoutMinutes: strconv.Itoa(a.SessionTimeoutMinutes),
	}
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out["--"+k] = jsii.String(v)
	}
	return out
}
