package analytics

// PrivacyProps configures how much personal data the pipeline keeps, and for how long.
type PrivacyProps struct {
	// IP is what the collector and the ETL keep of visitors' IP addresses: config.IPDrop,
	// IPTruncate (IPv4 /24, IPv6 /48) or IPKeep. Default: config.DefaultIPMode (drop).
	IP *string
	// RawRetentionDays expires raw objects and their noncurrent versions.
	// Default: config.DefaultRawRetentionDays (395).
	RawRetentionDays *int
	// QuarantineRetentionDays expires quarantined raw lines.
	// Default: config.DefaultQuarantineRetentionDays (30).
	QuarantineRetentionDays *int
	// CuratedRetentionDays makes the ETL delete events and sessions partitions older than
	// this; the rollups keep their aggregates. Default: - kept until erased.
	CuratedRetentionDays *int
}
