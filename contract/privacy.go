package contract

import "github.com/clickstream-analytics/datalake/config"

// PrivacyExport tells the Glue script how to minimise IP addresses (config.Privacy.IP) and
// where erasure state lives; the modes and prefix lengths are config's.
type PrivacyExport struct {
	IPModes          []string `json:"ipModes"`
	DefaultIPMode    string   `json:"defaultIpMode"`
	IPv4TruncateBits int      `json:"ipv4TruncateBits"`
	IPv6TruncateBits int      `json:"ipv6TruncateBits"`
	// IPField is the raw event's context field holding the address.
	IPField string `json:"ipField"`
}

func privacyExport() PrivacyExport {
	return PrivacyExport{
		IPModes:          config.IPModes(),
		DefaultIPMode:    config.DefaultIPMode,
		IPv4TruncateBits: config.IPv4TruncateBits,
		IPv6TruncateBits: config.IPv6TruncateBits,
		IPField:          RawIP,
	}
}
