package gluecron

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	valid := []string{
		"cron(0 2 * * ? *)",
		"cron(15 12 * * ? *)",
		"cron(0/15 * * * ? *)",
		"cron(0 18 ? * MON-FRI *)",
		"cron(0 8 1 * ? *)",
		"cron(5,35 14 * * ? *)",
		"cron(0 10 ? * 6L 2026-2030)",
		"cron(0 0 L * ? *)",
		"cron(0 3 ? * 2#1 *)",
	}
	for _, expr := range valid {
		t.Run("accepts "+expr, func(t *testing.T) {
			if err := Validate(expr); err != nil {
				t.Fatalf("Validate(%q) = %v, want nil", expr, err)
			}
		})
	}
	invalid := map[string]string{
		"0 2 * * ? *":          "must be a Glue cron expression",
		"rate(1 day)":          "must be a Glue cron expression",
		"cron(0 2 * * *)":      "must have 6",
		"cron(60 2 * * ? *)":   "minutes field \"60\"",
		"cron(0 24 * * ? *)":   "hours field \"24\"",
		"cron(0 2 32 * ? *)":   "day-of-month field \"32\"",
		"cron(0 2 * 13 ? *)":   "month field \"13\"",
		"cron(0 2 ? * FUN *)":  "day-of-week field \"FUN\"",
		"cron(0 2 * * * *)":    "exactly one of day-of-month",
		"cron(0 2 ? * ? *)":    "exactly one of day-of-month",
		"cron(0 2 * * ? 1800)": "year field \"1800\"",
	}
	for expr, want := range invalid {
		t.Run("rejects "+expr, func(t *testing.T) {
			err := Validate(expr)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("Validate(%q) = %v, want error containing %q", expr, err, want)
			}
		})
	}
}
