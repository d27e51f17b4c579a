package config

import (
	"strings"
	"time"

	// The zone database is compiled in, so synth validates zones the same way on every machine,
	// whatever the host's /usr/share/zoneinfo holds.
	_ "time/tzdata"
)

// DefaultReportingTimeZone keeps every reported day in UTC, as a lake without the setting.
const DefaultReportingTimeZone = "UTC"

// TimeZoneExample ends the message of a refused zone.
const TimeZoneExample = "such as Asia/Seoul, Europe/Berlin, America/New_York or UTC"

// CheckTimeZone returns "" for a zone name of the IANA time zone database, else what is wrong
// and what is allowed, without the field name. "Local" (the synthesizing machine's zone) and
// fixed offsets are refused: the ETL, Athena and QuickSight must all read the same zone by name.
func CheckTimeZone(name string) string {
	if name == "" || name == "Local" || strings.TrimSpace(name) != name {
		return `got "` + name + `", must be an IANA time zone name ` + TimeZoneExample
	}
	if _, err := time.LoadLocation(name); err != nil {
		return `got "` + name + `", which is not in the IANA time zone database: must be a zone name ` + TimeZoneExample + " (case matters)"
	}
	return ""
}
