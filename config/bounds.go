package config

import (
	"fmt"
	"net/url"
	"strings"
)

// Range is an inclusive range of a whole-number setting.
type Range struct {
	Min, Max int64
	// Unit names what is counted ("days", "G.1X workers").
	Unit string
	// Why explains a limit that is not obvious; it ends the message.
	Why string
}

// Check returns "" when v is in the range, else what is wrong and what is allowed, without
// the field name: "got 1, must be between 2 and 299 G.1X workers (one is the driver)".
func (r Range) Check(v int64) string {
	if v >= r.Min && v <= r.Max {
		return ""
	}
	var msg string
	switch {
	case r.Max >= 1<<62:
		msg = fmt.Sprintf("got %d, must be at least %d %s", v, r.Min, r.Unit)
	case r.Min == 1 && r.Unit == "days":
		msg = fmt.Sprintf("got %d, must be a positive number of days (at most %d)", v, r.Max)
	case v < r.Min && r.Max == MaxDays:
		msg = fmt.Sprintf("got %d, must be at least %d %s", v, r.Min, r.Unit)
	default:
		msg = fmt.Sprintf("got %d, must be between %d and %d %s", v, r.Min, r.Max, r.Unit)
	}
	if r.Why != "" {
		msg += " (" + r.Why + ")"
	}
	return msg
}

// CheckInt is Check for an int setting.
func (r Range) CheckInt(v int) string { return r.Check(int64(v)) }

// CheckOrigin returns "" for AnyOrigin or a browser origin (lower-case http(s) scheme and
// host, optional port, no path, query or fragment), else what is allowed. The config and the
// collector (constructs/ingestion/collector) check allowed origins with it.
func CheckOrigin(o string) string {
	if o == AnyOrigin {
		return ""
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.ToLower(o) != o || strings.ContainsAny(o, "*?#") {
		return `must be an origin such as https://shop.example.com (lower-case scheme and host, optional port, no path) or "*"`
	}
	return ""
}
