package config

import "testing"

func TestPrivacy(t *testing.T) {
	t.Run("defaults drop the IP and expire raw data after its Glacier move", func(t *testing.T) {
		env, err := parseOne(t, `{}`)
		if err != nil {
			t.Fatal(err)
		}
		p := env.Privacy
		if p.IP != IPDrop || p.RawRetentionDays != DefaultRawRetentionDays || p.QuarantineRetentionDays != DefaultQuarantineRetentionDays || p.CuratedRetentionDays != nil {
			t.Fatalf("got %+v", p)
		}
		if DefaultRawRetentionDays <= DefaultRawGlacierDays {
			t.Fatalf("default raw retention %d is not after the default Glacier move %d", DefaultRawRetentionDays, DefaultRawGlacierDays)
		}
	})
	t.Run("explicit values are respected", func(t *testing.T) {
		env, err := parseOne(t, `{"privacy":{"ip":"truncate","rawRetentionDays":120,"quarantineRetentionDays":7,"curatedRetentionDays":400}}`)
		if err != nil {
			t.Fatal(err)
		}
		p := env.Privacy
		if p.IP != IPTruncate || p.RawRetentionDays != 120 || p.QuarantineRetentionDays != 7 || *p.CuratedRetentionDays != 400 {
			t.Fatalf("got %+v", p)
		}
	})
	for _, mode := range IPModes() {
		t.Run("ip mode "+mode+" is allowed", func(t *testing.T) {
			if _, err := parseOne(t, `{"privacy":{"ip":"`+mode+`"}}`); err != nil {
				t.Fatal(err)
			}
		})
	}
	cases := []struct{ name, json, want string }{
		{"unknown ip mode", `{"privacy":{"ip":"hash"}}`, `environments.dev.privacy.ip: got "hash", must be one of drop, truncate, keep (IPv4 /24, IPv6 /48 when truncated)`},
		{"ip mode is case-sensitive", `{"privacy":{"ip":"DROP"}}`, `environments.dev.privacy.ip: got "DROP", must be one of drop, truncate, keep`},
		{"raw retention inside the reprocessing window", `{"privacy":{"rawRetentionDays":29}}`, `environments.dev.privacy.rawRetentionDays: got 29, must be at least 30 days (the reprocessing window`},
		{"raw expiring before its Glacier move", `{"privacy":{"rawRetentionDays":90}}`, `environments.dev.privacy.rawRetentionDays: got 90, must be greater than storage.rawGlacierDays (90): raw objects would expire before their move to Glacier Instant Retrieval`},
		{"raw expiring before a later Glacier move", `{"storage":{"rawGlacierDays":400}}`, `environments.dev.privacy.rawRetentionDays: got 395, must be greater than storage.rawGlacierDays (400)`},
		{"quarantine kept longer than raw", `{"privacy":{"rawRetentionDays":120,"quarantineRetentionDays":121}}`, `environments.dev.privacy.quarantineRetentionDays: got 121, must be at most privacy.rawRetentionDays (120)`},
		{"zero quarantine retention", `{"privacy":{"quarantineRetentionDays":0}}`, `environments.dev.privacy.quarantineRetentionDays: got 0, must be a positive number of days`},
		{"curated retention shorter than late events", `{"privacy":{"curatedRetentionDays":7}}`, `environments.dev.privacy.curatedRetentionDays: got 7, must be at least 30 days (late events up to this age are merged into curated days)`},
		{"curated retention not a number", `{"privacy":{"curatedRetentionDays":"1y"}}`, `environments.dev.privacy.curatedRetentionDays: got the string "1y", must be a whole number`},
		{"unknown privacy field", `{"privacy":{"ipMode":"drop"}}`, `environments.dev.privacy.ipMode: unknown field, allowed fields are ip, rawRetentionDays, quarantineRetentionDays, curatedRetentionDays`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseOne(t, c.json)
			assertError(t, err, c.want)
		})
	}
}
