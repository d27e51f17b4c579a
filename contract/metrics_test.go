package contract

import (
	"encoding/json"
	"regexp"
	"testing"
)

var metricName = regexp.MustCompile(`^[A-Z][A-Za-z]+$`)

func TestMetrics(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range Metrics() {
		t.Run(m.Name+" is a unique name with a CloudWatch unit and at most one known dimension", func(t *testing.T) {
			if !metricName.MatchString(m.Name) || seen[m.Name] {
				t.Errorf("name %q is not a unique CamelCase name", m.Name)
			}
			seen[m.Name] = true
			if m.Unit != UnitCount && m.Unit != UnitPercent && m.Unit != UnitSeconds {
				t.Errorf("unit %q", m.Unit)
			}
			if m.Dimension != "" && m.Dimension != DimensionReason && m.Dimension != DimensionTable {
				t.Errorf("dimension %q", m.Dimension)
			}
			if m.Dimension == "" && !m.Total {
				t.Errorf("a metric without dimension must be published as a total")
			}
			if m.Description == "" {
				t.Error("no description")
			}
		})
	}
	t.Run("the namespace is per environment", func(t *testing.T) {
		if got := MetricsNamespace("shop-prod"); got != "shop-prod/DataQuality" {
			t.Fatal(got)
		}
	})
	t.Run("the export carries the metrics and the alarm defaults", func(t *testing.T) {
		var got Export
		if err := json.Unmarshal(JSON(), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Metrics.Metrics) != len(Metrics()) || got.Metrics.NamespaceSuffix != MetricsNamespaceSuffix ||
			got.Metrics.LateEventDays != LateEventDays || got.Metrics.TrailingRuns != TrailingRuns {
			t.Fatalf("metrics: %+v", got.Metrics)
		}
		if got.Defaults.Alarms.FreshnessHours == 0 || got.Defaults.Alarms.QuarantineSharePercent == 0 {
			t.Fatalf("alarm defaults: %+v", got.Defaults.Alarms)
		}
	})
}
