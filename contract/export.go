package contract

import (
	"encoding/json"

	"github.com/clickstream-analytics/datalake/config"
)

// ExportFile is the name of the JSON export inside the Glue script's Python package
// (clickstream_etl/contract.json): the ETL job reads the tables, their prefixes and partition
// columns and its argument names from it. The etljob construct writes it into the package it
// ships; `make contract` writes it for local runs (`go run ./cmd/contract`).
const ExportFile = "contract.json"

// Export is the contract as the Glue script, the SQL harness and the tools read it.
type Export struct {
	Tables []Table `json:"tables"`
	// RawEvent is the raw event schema the tracker sends and the collector stamps.
	RawEvent               []RawField `json:"rawEvent"`
	JobArguments           []string   `json:"jobArguments"`
	OptionalJobArguments   []string   `json:"optionalJobArguments"`
	ErasureJobArguments    []string   `json:"erasureJobArguments"`
	PartitionDateFormat    string     `json:"partitionDateFormat"`
	ParquetCompression     string     `json:"parquetCompression"`
	HistogramRelativeError float64    `json:"histogramRelativeError"`
	NewVisitorLookbackDays int        `json:"newVisitorLookbackDays"`
	FutureToleranceDays    int        `json:"futureToleranceDays"`
	// LocalTimeColumns name the events' and sessions' local hour and weekday columns.
	LocalTimeColumns LocalTimeColumns `json:"localTimeColumns"`
	// Metrics the job publishes on Glue (metrics.go).
	Metrics MetricsExport `json:"metrics"`
	// Privacy is how the script minimises IP addresses (privacy.go).
	Privacy PrivacyExport `json:"privacy"`
	// Defaults are the configuration defaults of local runs' job arguments (make etl-local)
	// and of the data alarms' thresholds (the tests show the metrics crossing them).
	Defaults ExportDefaults `json:"defaults"`
}

// LocalTimeColumns are the names of the local-time columns (LocalHourColumn, LocalDayOfWeekColumn).
type LocalTimeColumns struct {
	Hour      string `json:"hour"`
	DayOfWeek string `json:"dayOfWeek"`
}

// ExportDefaults are the job argument defaults local runs take from config.
type ExportDefaults struct {
	SessionTimeoutMinutes int             `json:"sessionTimeoutMinutes"`
	ReportingTimeZone     string          `json:"reportingTimeZone"`
	Alarms                AlarmThresholds `json:"alarms"`
}

// AlarmThresholds are the data alarms' default thresholds (config.Default*).
type AlarmThresholds struct {
	QuarantineSharePercent int `json:"quarantineSharePercent"`
	BotSharePercent        int `json:"botSharePercent"`
	FreshnessHours         int `json:"freshnessHours"`
	VolumeDropPercent      int `json:"volumeDropPercent"`
}

// JSON is the contract export, indented, ending with a newline.
func JSON() []byte {
	data, err := json.MarshalIndent(Export{
		Tables:                 Tables(),
		RawEvent:               RawEvent(),
		JobArguments:           JobArgumentNames(),
		OptionalJobArguments:   OptionalJobArgumentNames(),
		ErasureJobArguments:    ErasureJobArgumentNames(),
		PartitionDateFormat:    PartitionDateFormat,
		ParquetCompression:     ParquetCompression,
		HistogramRelativeError: HistogramRelativeError,
		NewVisitorLookbackDays: NewVisitorLookbackDays,
		FutureToleranceDays:    FutureToleranceDays,
		LocalTimeColumns:       LocalTimeColumns{Hour: LocalHourColumn, DayOfWeek: LocalDayOfWeekColumn},
		Metrics:                metricsExport(),
		Privacy:                privacyExport(),
		Defaults: ExportDefaults{
			SessionTimeoutMinutes: config.DefaultSessionTimeoutMinutes,
			ReportingTimeZone:     config.DefaultReportingTimeZone,
			Alarms: AlarmThresholds{
				QuarantineSharePercent: config.DefaultQuarantineSharePercent,
				BotSharePercent:        config.DefaultBotSharePercent,
				FreshnessHours:         config.DefaultFreshnessHours,
				VolumeDropPercent:      config.DefaultVolumeDropPercent,
			},
		},
	}, "", "  ")
	if err != nil {
		// Only plain strings, ints and slices of them: marshalling cannot fail.
		panic(err)
	}
	return append(data, '\n')
}
