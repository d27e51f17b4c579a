// Package contract is the curated data contract shared by the CDK constructs (Glue tables,
// job arguments), the Go tests and the Glue script's tests. It is the single source of truth:
// the script's contract test compares the Parquet schema it really writes with Tables(),
// exported to JSON by `go run ./cmd/contract`.
package contract

import "slices"

// Column is one column of a curated table. Type is the Hive/Glue type name, which is also
// Spark's simpleString for the same type (string, int, bigint, boolean, timestamp, date,
// double, decimal(p,s)).
type Column struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Comment string `json:"comment"`
}

// Table is one curated table: its data columns, its single date partition column and the
// folder (under the curated bucket) that holds it.
type Table struct {
	Name         string   `json:"name"`
	Prefix       string   `json:"prefix"`
	Description  string   `json:"description"`
	Columns      []Column `json:"columns"`
	PartitionKey Column   `json:"partitionKey"`
}

// Hive type names used by the contract.
const (
	TypeString    = "string"
	TypeInt       = "int"
	TypeBigInt    = "bigint"
	TypeBoolean   = "boolean"
	TypeTimestamp = "timestamp"
	TypeDate      = "date"
	TypeDouble    = "double"
	// TypeMoney holds revenue: exact decimal, never floating point.
	TypeMoney = "decimal(18,2)"
	// TypeScore holds a unitless Web Vitals score (CLS) to 4 decimals.
	TypeScore = "decimal(9,4)"
)

// Curated table names. They are also the folder names under the curated bucket.
const (
	EventsTable     = "events"
	SessionsTable   = "sessions"
	QuarantineTable = "quarantine"
	// DailyTrafficTable is a rollup of sessions the ETL maintains with them.
	DailyTrafficTable = "daily_traffic"
	// DailyPagesTable is a rollup of events and sessions per day and page.
	DailyPagesTable = "daily_pages"
	// DailyJourneysTable is a rollup of the page paths within sessions per day.
	DailyJourneysTable = "daily_journeys"
	// DailyPagePerformanceTable is a rollup of page-view timings per day, page and device.
	DailyPagePerformanceTable = "daily_page_performance"
)

// HistogramRelativeError bounds how far a daily_page_performance bucket's representative value
// is from any value in the bucket: a percentile read from merged histograms is within it of the
// exact (nearest-rank) percentile.
const HistogramRelativeError = 0.02

// FutureToleranceDays is how far after the run's reference time an event may be (device clock
// skew); a later one is quarantined as future_timestamp.
const FutureToleranceDays = 1

// NewVisitorLookbackDays is how far back a visitor's earlier sessions make them returning.
const NewVisitorLookbackDays = 365

// ParquetCompression is the codec of every curated table's Parquet files: the Glue tables declare
// it and the Glue script writes it (its Spark session reads it from the contract's JSON export).
// Chosen by measurement (glue-scripts/README.md, Benchmark): at 1 M events over 7 days ZSTD
// files are about 40 % smaller than Snappy's, which does no entropy coding of the random ids, and
// Athena reads ZSTD Parquet.
const ParquetCompression = "ZSTD"

// PartitionDateFormat is the Athena partition projection format of every partition column,
// matching the folders Spark writes (event_date=2024-05-01).
const PartitionDateFormat = "yyyy-MM-dd"

// ReportingTimeZonePhrase ends the comment of every column in the reporting time zone (a
// partition date, a local hour or weekday): the catalog appends the configured zone to it.
const ReportingTimeZonePhrase = "in the reporting time zone"

// Local-time columns of events and sessions, computed by the ETL in the reporting time zone.
const (
	LocalHourColumn      = "local_hour"
	LocalDayOfWeekColumn = "local_day_of_week"
)

func localTime(of string) []Column {
	return []Column{
		col(LocalHourColumn, TypeInt, "hour of day (0-23) of "+of+" "+ReportingTimeZonePhrase),
		col(LocalDayOfWeekColumn, TypeInt, "ISO day of week (1 = Monday ... 7 = Sunday) of "+of+" "+ReportingTimeZonePhrase),
	}
}

func col(name, typ, comment string) Column { return Column{Name: name, Type: typ, Comment: comment} }

// Events is the curated events table: one row per unique, valid raw event.
func Events() Table {
	return Table{
		Name:        EventsTable,
		Prefix:      EventsTable + "/",
		Description: "Cleaned, deduplicated clickstream events with engineered session, campaign, channel and device features.",
		Columns: slices.Concat([]Column{
			col("event_id", TypeString, "client-generated unique event id"),
			col("event_type", TypeString, "page_view, click, search, add_to_cart, remove_from_cart, begin_checkout, purchase or custom"),
			col("event_ts", TypeTimestamp, "event time in UTC"),
		}, localTime("event_ts"), []Column{
			col("anonymous_id", TypeString, "device or cookie id"),
			col("user_id", TypeString, "logged-in user id, null before login"),
			col("session_id", TypeString, "deterministic session id"),
			col("session_event_seq", TypeInt, "1-based position of the event in its session"),
			col("page_url", TypeString, "full page URL"),
			col("page_host", TypeString, "host of the page URL, lower case"),
			col("page_path", TypeString, "path of the page URL"),
			col("page_title", TypeString, "page title"),
			col("referrer_url", TypeString, "full referrer URL"),
			col("referrer_host", TypeString, "host of the referrer URL, lower case"),
			col("utm_source", TypeString, "utm_source, decoded, trimmed, lower case"),
			col("utm_medium", TypeString, "utm_medium, decoded, trimmed, lower case"),
			col("utm_campaign", TypeString, "utm_campaign, decoded, trimmed, lower case"),
			col("utm_term", TypeString, "utm_term, decoded, trimmed, lower case"),
			col("utm_content", TypeString, "utm_content, decoded, trimmed, lower case"),
			col("click_id_type", TypeString, "gclid, fbclid, msclkid or none"),
			col("channel", TypeString, "marketing channel grouping"),
			col("device_type", TypeString, "desktop, mobile, tablet, bot or other"),
			col("browser", TypeString, "browser family"),
			col("os", TypeString, "operating system family"),
			col("is_bot", TypeBoolean, "true for crawlers, spiders, headless browsers and monitors"),
			col("page_load_ms", TypeInt, "page load time in milliseconds (page views)"),
			col("ttfb_ms", TypeInt, "time to first byte in milliseconds (page views)"),
			col("fcp_ms", TypeInt, "First Contentful Paint in milliseconds (page views, optional)"),
			col("lcp_ms", TypeInt, "Largest Contentful Paint in milliseconds, a Core Web Vital (page views, optional)"),
			col("inp_ms", TypeInt, "Interaction to Next Paint in milliseconds, a Core Web Vital (page views with an interaction, optional)"),
			col("cls", TypeScore, "Cumulative Layout Shift to 4 decimals, a Core Web Vital (page views, optional)"),
			col("product_id", TypeString, "properties.product_id"),
			col("order_id", TypeString, "properties.order_id"),
			col("revenue", TypeMoney, "properties.revenue as an exact decimal"),
			col("currency", TypeString, "properties.currency, upper case"),
			col("properties", TypeString, "the remaining event properties as a JSON object"),
			col("source_file", TypeString, "raw file the event was read from"),
			col("processed_at", TypeTimestamp, "UTC time of the run that curated the event"),
		}),
		PartitionKey: col("event_date", TypeDate, "date of event_ts "+ReportingTimeZonePhrase),
	}
}

// Sessions is the curated sessions table: one row per visitor session.
func Sessions() Table {
	return Table{
		Name:        SessionsTable,
		Prefix:      SessionsTable + "/",
		Description: "Visitor sessions derived from curated events: a new session after the configured inactivity timeout or on a campaign change.",
		Columns: slices.Concat([]Column{
			col("session_id", TypeString, "deterministic session id"),
			col("anonymous_id", TypeString, "device or cookie id"),
			col("user_id", TypeString, "last known user id in the session"),
			col("session_start", TypeTimestamp, "UTC time of the first event"),
		}, localTime("session_start"), []Column{
			col("session_end", TypeTimestamp, "UTC time of the last event"),
			col("duration_s", TypeBigInt, "seconds between first and last event"),
			col("event_count", TypeInt, "events in the session"),
			col("page_views", TypeInt, "page_view events in the session"),
			col("landing_page_path", TypeString, "path of the first page view"),
			col("exit_page_path", TypeString, "path of the last page view"),
			col("referrer_host", TypeString, "referrer host of the first event"),
			col("utm_source", TypeString, "campaign source of the session"),
			col("utm_medium", TypeString, "campaign medium of the session"),
			col("utm_campaign", TypeString, "campaign name of the session"),
			col("channel", TypeString, "marketing channel of the session"),
			col("device_type", TypeString, "device type of the first event"),
			col("browser", TypeString, "browser of the first event"),
			col("os", TypeString, "operating system of the first event"),
			col("is_bot", TypeBoolean, "true when the session's user agent is a bot"),
			col("is_bounce", TypeBoolean, "a single page view and nothing else"),
			col("has_add_to_cart", TypeBoolean, "the session has an add_to_cart event (funnel step 2)"),
			col("has_begin_checkout", TypeBoolean, "the session has a begin_checkout event (funnel step 3)"),
			col("converted", TypeBoolean, "the session has a purchase"),
			col("revenue", TypeMoney, "sum of purchase revenue"),
		}),
		PartitionKey: col("session_date", TypeDate, "date of session_start "+ReportingTimeZonePhrase+" (a session belongs to the day it starts)"),
	}
}

// Quarantine holds every raw record that could not be curated, with the reason.
func Quarantine() Table {
	return Table{
		Name:        QuarantineTable,
		Prefix:      QuarantineTable + "/",
		Description: "Raw records that failed validation, kept as received with the reason.",
		Columns: []Column{
			col("raw_record", TypeString, "the raw line as received"),
			col("reason", TypeString, "malformed_json, missing_required_field, invalid_timestamp or future_timestamp"),
			col("reason_detail", TypeString, "what exactly was wrong, e.g. the missing field's name"),
			col("source_file", TypeString, "raw file the record was read from"),
			col("run_id", TypeString, "id of the ETL run that quarantined the record"),
			col("quarantined_at", TypeTimestamp, "UTC time of quarantine"),
		},
		PartitionKey: col("quarantine_date", TypeDate, "date of quarantined_at "+ReportingTimeZonePhrase),
	}
}

// DailyTraffic is a rollup of sessions per day and kind of visitor (human or bot), rewritten by
// the ETL whenever a session it depends on changes. Daily traffic and new-vs-returning queries
// read a few numbers per day from it instead of an id per session.
func DailyTraffic() Table {
	return Table{
		Name:        DailyTrafficTable,
		Prefix:      DailyTrafficTable + "/",
		Description: "Sessions rolled up per day and kind of visitor (human or bot), kept in step with the sessions table.",
		Columns: []Column{
			col("is_bot", TypeBoolean, "the row counts bot sessions (true) or human sessions (false)"),
			col("visitors", TypeBigInt, "distinct anonymous_id with a session that day"),
			col("new_visitors", TypeBigInt, "visitors without a session of the same kind in the 365 (local) days before"),
			col("returning_visitors", TypeBigInt, "visitors with a session of the same kind in the 365 (local) days before"),
			col("sessions", TypeBigInt, "sessions starting that day"),
			col("page_views", TypeBigInt, "page views of those sessions"),
			col("bounces", TypeBigInt, "bounced sessions"),
			col("duration_s", TypeBigInt, "total session duration in seconds (average = duration_s / sessions)"),
			col("conversions", TypeBigInt, "sessions with a purchase"),
			col("revenue", TypeMoney, "purchase revenue of those sessions"),
		},
		PartitionKey: col("session_date", TypeDate, "date of the sessions' start "+ReportingTimeZonePhrase),
	}
}

// DailyPages is a rollup per day, page and kind of visitor, rewritten by the ETL with the
// events and sessions partitions of its day. Page and exit-rate queries read a few numbers per
// page and day from it instead of a column of every event.
func DailyPages() Table {
	return Table{
		Name:        DailyPagesTable,
		Prefix:      DailyPagesTable + "/",
		Description: "Page views, entrances, exits and bounces per day, page path and kind of visitor, kept in step with events and sessions.",
		Columns: []Column{
			col("page_path", TypeString, "URL path of the page"),
			col("is_bot", TypeBoolean, "the row counts bot traffic (true) or human traffic (false)"),
			col("page_views", TypeBigInt, "page_view events on the page that day"),
			col("entrances", TypeBigInt, "sessions starting that day whose first page view is the page"),
			col("exits", TypeBigInt, "sessions starting that day whose last page view is the page"),
			col("bounces", TypeBigInt, "bounced sessions starting that day on the page"),
		},
		PartitionKey: col("event_date", TypeDate, "date of the page views and of the sessions' start "+ReportingTimeZonePhrase),
	}
}

// DailyJourneys is a rollup of every three consecutive page views within a session, per day
// of the session's start and kind of visitor, rewritten by the ETL with the sessions of its day.
// Journey queries read a few numbers per path instead of an id and a page of every event.
func DailyJourneys() Table {
	return Table{
		Name:        DailyJourneysTable,
		Prefix:      DailyJourneysTable + "/",
		Description: "Three consecutive page views within sessions, counted per session start day and kind of visitor, kept in step with the sessions.",
		Columns: []Column{
			col("page_1", TypeString, "path of the first page view"),
			col("page_2", TypeString, "path of the next page view in the session"),
			col("page_3", TypeString, "path of the page view after that"),
			col("is_bot", TypeBoolean, "the row counts bot traffic (true) or human traffic (false)"),
			col("sessions", TypeBigInt, "sessions starting that day with this path"),
			col("occurrences", TypeBigInt, "times the path occurs in those sessions"),
		},
		PartitionKey: col("session_date", TypeDate, "date of the sessions' start "+ReportingTimeZonePhrase),
	}
}

// DailyPagePerformance holds mergeable histograms of page-view timings and Core Web Vitals per
// day, page path and device type, rewritten by the ETL with the events partition of its day.
// Percentiles over any date range come from summing the buckets of its days, so page
// performance queries read a few numbers per bucket instead of every page view's timings.
func DailyPagePerformance() Table {
	return Table{
		Name:        DailyPagePerformanceTable,
		Prefix:      DailyPagePerformanceTable + "/",
		Description: "Page-view timings and Core Web Vitals per day, page path and device type as log-bucket histograms (2 % relative error) with good / needs-improvement / poor counts, kept in step with events.",
		Columns: []Column{
			col("page_path", TypeString, "URL path of the page"),
			col("device_type", TypeString, "desktop, mobile, tablet, bot or other"),
			col("is_bot", TypeBoolean, "the row counts bot traffic (true) or human traffic (false)"),
			col("metric", TypeString, "the events column measured: page_load_ms, ttfb_ms, fcp_ms, lcp_ms, inp_ms or cls"),
			col("bucket", TypeInt, "histogram bucket: 0 holds 0; k > 0 holds values v with unit*g^(k-2) < v <= unit*g^(k-1), g = 1.02/0.98, unit 1 ms (0.0001 for cls)"),
			col("bucket_value", TypeDouble, "the bucket's value, within 2 % of every value in it: unit*2*g^(k-1)/(g+1), 0 for bucket 0"),
			col("band", TypeString, "good, needs_improvement or poor for lcp_ms, inp_ms and cls; null for the other metrics"),
			col("page_views", TypeBigInt, "page views that day whose metric falls in this bucket (and band)"),
		},
		PartitionKey: col("event_date", TypeDate, "date of the page views "+ReportingTimeZonePhrase),
	}
}

// Tables lists every curated table in a stable order.
func Tables() []Table {
	return []Table{Events(), Sessions(), Quarantine(), DailyTraffic(), DailyPages(), DailyJourneys(), DailyPagePerformance()}
}
