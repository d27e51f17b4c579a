package collector

import (
	"net/netip"
	"strings"

	"github.com/clickstream-analytics/datalake/config"
)

// MinimiseIP is the address as mode (config.IPModes) keeps it: "" (drop, or text that is no
// address when truncating), its network as net/netip prints it (truncate: IPv4 /24, IPv6
// /48), or as received (keep). The ETL applies the same modes to quarantined lines
// (glue-scripts/clickstream_etl/privacy.py) and prints networks the same way.
func MinimiseIP(ip, mode string) string {
	switch mode {
	case config.IPKeep:
		return ip
	case config.IPTruncate:
		addr, err := netip.ParseAddr(strings.TrimSpace(ip))
		if err != nil {
			return ""
		}
		bits := config.IPv6TruncateBits
		if addr.Is4() {
			bits = config.IPv4TruncateBits
		}
		prefix, err := addr.WithZone("").Prefix(bits)
		if err != nil {
			return ""
		}
		return prefix.Addr().String()
	default: // config.IPDrop; Config.Validate refuses any other mode
		return ""
	}
}
