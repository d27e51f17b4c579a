package collector

import (
	"context"
	"testing"

	"github.com/clickstream-analytics/datalake/config"
)

// The same addresses and networks as the ETL's test (glue-scripts/tests/test_privacy.py):
// the collector and the ETL store the same text.
var truncated = []struct{ ip, want string }{
	{"203.0.113.9", "203.0.113.0"},
	{"198.51.100.255", "198.51.100.0"},
	{" 10.1.2.3 ", "10.1.2.0"},
	{"2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"},
	{"2001:0DB8:0A0B:12F0:0000:0000:0000:0001", "2001:db8:a0b::"},
	{"2001:db8::1", "2001:db8::"},
	{"2001:db8:0:1::5", "2001:db8::"},
	{"2001:0:5::", "2001:0:5::"},
	{"fe80::1%eth0", "fe80::"},
	{"::1", "::"},
	{"::", "::"},
	{"::ffff:192.0.2.1", "::"},
	{"1:2:3:4:5:6:7::", "1:2:3::"},
	{"::2:3:4:5:6:7:8", "0:2:3::"},
	{"64:ff9b::192.0.2.33", "64:ff9b::"},
	{"256.1.1.1", ""},
	{"1.2.3", ""},
	{"2001:db8:::1", ""},
	{"1:2:3:4:5:6:7:8:9", ""},
	{"1::2::3", ""},
	{"12345::", ""},
	{"unknown", ""},
	{"", ""},
}

func TestMinimiseIP(t *testing.T) {
	for _, c := range truncated {
		t.Run("truncate "+c.ip, func(t *testing.T) {
			if got := MinimiseIP(c.ip, config.IPTruncate); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
	for _, ip := range []string{"203.0.113.9", "2001:db8:85a3:8d3:1319:8a2e:370:7348"} {
		t.Run("drop "+ip, func(t *testing.T) {
			if got := MinimiseIP(ip, config.IPDrop); got != "" {
				t.Fatalf("got %q", got)
			}
		})
		t.Run("keep "+ip, func(t *testing.T) {
			if got := MinimiseIP(ip, config.IPKeep); got != ip {
				t.Fatalf("got %q", got)
			}
		})
	}
}

// What the raw files hold of the source IP in each mode, for an IPv4 and an IPv6 client; a
// client's own context.ip claim never survives.
func TestIPModes(t *testing.T) {
	const v4, v6 = "198.51.100.7", "2001:db8:85a3:8d3:1319:8a2e:370:7348"
	cases := []struct {
		mode, source string
		want         any
	}{
		{config.IPDrop, v4, nil},
		{config.IPDrop, v6, nil},
		{config.IPTruncate, v4, "198.51.100.0"},
		{config.IPTruncate, v6, "2001:db8:85a3::"},
		{config.IPTruncate, "not an address", nil},
		{config.IPKeep, v4, v4},
		{config.IPKeep, v6, v6},
	}
	for _, c := range cases {
		t.Run(c.mode+" "+c.source, func(t *testing.T) {
			h := newHarness(t, func(cfg *Config) { cfg.IPMode = c.mode })
			r := post(`{"event_id":"e1","context":{"ip":"10.0.0.1","locale":"de-DE"}}`)
			r.SourceIP = c.source
			if resp := h.c.Handle(context.Background(), r); resp.Status != 200 {
				t.Fatalf("%d %s", resp.Status, resp.Body)
			}
			device := h.lines(t)[0]["context"].(map[string]any)
			if ip, present := device["ip"]; ip != c.want || (c.want == nil && present) || device["locale"] != "de-DE" {
				t.Fatalf("context %v, want ip %v", device, c.want)
			}
		})
	}
	t.Run("the default is drop", func(t *testing.T) {
		h := newHarness(t, func(cfg *Config) { cfg.IPMode = "" })
		h.c.Handle(context.Background(), post(`{"event_id":"e1"}`))
		if device := h.lines(t)[0]["context"].(map[string]any); device["ip"] != nil {
			t.Fatalf("context %v", device)
		}
	})
}
