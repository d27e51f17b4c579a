package config

import (
	"fmt"
	"slices"
	"strings"
)

// Privacy configures how much personal data the lake keeps, and for how long.
type Privacy struct {
	// IP is what happens to the visitor's IP address: IPDrop, IPTruncate or IPKeep. The
	// collector applies it before anything is stored, the ETL again to the quarantine (whose
	// raw lines may come from other senders). Default: DefaultIPMode (drop).
	IP string `json:"ip"`
	// RawRetentionDays expires raw objects (and their noncurrent versions). Default:
	// DefaultRawRetentionDays.
	RawRetentionDays int `json:"rawRetentionDays"`
	// QuarantineRetentionDays expires quarantined raw lines. Default: DefaultQuarantineRetentionDays.
	QuarantineRetentionDays int `json:"quarantineRetentionDays"`
	// CuratedRetentionDays makes the ETL delete events and sessions partitions older than this
	// many days; the rollups keep their aggregates. Default: nil (kept until erased).
	CuratedRetentionDays *int `json:"curatedRetentionDays"`
}

// IP handling modes of privacy.ip.
const (
	// IPDrop stores no IP address.
	IPDrop = "drop"
	// IPTruncate keeps the network: IPv4 /IPv4TruncateBits, IPv6 /IPv6TruncateBits.
	IPTruncate = "truncate"
	// IPKeep stores the full address.
	IPKeep = "keep"
)

// IPModes lists the allowed values of privacy.ip.
func IPModes() []string { return []string{IPDrop, IPTruncate, IPKeep} }

// Prefix lengths kept by IPTruncate: a /24 is at least 256 hosts, a /48 one site's allocation.
const (
	IPv4TruncateBits = 24
	IPv6TruncateBits = 48
)

const (
	// DefaultIPMode stores no IP address: nothing in the pipeline reads one.
	DefaultIPMode = IPDrop
	// ReprocessingWindowDays is how long raw objects are kept at least: a month in which a
	// failed run, or a fixed ETL, can be rerun over everything received since.
	ReprocessingWindowDays = 30
	// DefaultRawRetentionDays keeps raw objects 13 months: a year of reprocessing (year-over-
	// year rollups) plus a month, well after their move to Glacier IR (DefaultRawGlacierDays).
	DefaultRawRetentionDays = 395
	// DefaultQuarantineRetentionDays keeps rejected lines a month: time to see why they were
	// rejected and fix the sender; they are whole raw lines, personal data included.
	DefaultQuarantineRetentionDays = 30
	// MinCuratedRetentionDays: the ETL merges late events up to this age into curated days.
	MinCuratedRetentionDays = 30
)

var (
	// RawRetentionDays: raw objects must outlive the reprocessing window.
	RawRetentionDays = Range{Min: ReprocessingWindowDays, Max: MaxDays, Unit: "days", Why: "the reprocessing window: runs are rerun over raw data at least this old"}
	// CuratedRetentionDays: curated days must outlive the late events merged into them.
	CuratedRetentionDays = Range{Min: MinCuratedRetentionDays, Max: MaxDays, Unit: "days", Why: "late events up to this age are merged into curated days"}
)

func defaultPrivacy() Privacy {
	return Privacy{
		IP:                      DefaultIPMode,
		RawRetentionDays:        DefaultRawRetentionDays,
		QuarantineRetentionDays: DefaultQuarantineRetentionDays,
	}
}

// CheckIPMode returns "" for an allowed privacy.ip value, else what is wrong and allowed.
func CheckIPMode(mode string) string {
	if slices.Contains(IPModes(), mode) {
		return ""
	}
	return fmt.Sprintf("got %q, must be one of %s (IPv4 /%d, IPv6 /%d when truncated)", mode, strings.Join(IPModes(), ", "), IPv4TruncateBits, IPv6TruncateBits)
}

// validate reports the privacy settings' problems through fail (field relative to the
// environment); s holds the raw lifecycle the retention must be consistent with.
func (p Privacy) validate(s Storage, fail func(field, format string, args ...any)) {
	if msg := CheckIPMode(p.IP); msg != "" {
		fail("privacy.ip", "%s", msg)
	}
	rawOK := true
	if msg := RawRetentionDays.CheckInt(p.RawRetentionDays); msg != "" {
		fail("privacy.rawRetentionDays", "%s", msg)
		rawOK = false
	} else if p.RawRetentionDays <= s.RawGlacierDays {
		fail("privacy.rawRetentionDays", "got %d, must be greater than storage.rawGlacierDays (%d): raw objects would expire before their move to Glacier Instant Retrieval", p.RawRetentionDays, s.RawGlacierDays)
	}
	if msg := RetentionDays.CheckInt(p.QuarantineRetentionDays); msg != "" {
		fail("privacy.quarantineRetentionDays", "%s", msg)
	} else if rawOK && p.QuarantineRetentionDays > p.RawRetentionDays {
		fail("privacy.quarantineRetentionDays", "got %d, must be at most privacy.rawRetentionDays (%d): quarantined rows are raw lines, kept no longer than the raw objects", p.QuarantineRetentionDays, p.RawRetentionDays)
	}
	if c := p.CuratedRetentionDays; c != nil {
		if msg := CuratedRetentionDays.CheckInt(*c); msg != "" {
			fail("privacy.curatedRetentionDays", "%s", msg)
		}
	}
}
