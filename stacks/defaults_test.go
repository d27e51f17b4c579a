package stacks

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/analytics"
)

// defaultEnvironment is an environment that sets nothing but QuickSight owners.
func defaultEnvironment(t *testing.T) config.Environment {
	t.Helper()
	envs, err := config.Parse([]byte(`{"dev":{"quicksight":{"enabled":true,"owners":["arn:aws:quicksight:us-east-1:123456789012:group/default/bi"]},
		"ingestion":{"enabled":true,"allowedOrigins":["https://shop.example.com"]}}}`), "")
	if err != nil {
		t.Fatal(err)
	}
	return envs[0]
}

// Each default has one home (config.Default*): a pipeline given the configuration's defaults
// explicitly synthesizes exactly like one left at the constructs' own defaults. A construct
// that kept a default of its own with another value fails this.
func TestConstructDefaultsAreTheConfigDefaults(t *testing.T) {
	env := defaultEnvironment(t)
	build := func(props *analytics.Props) string {
		app := awscdk.NewApp(nil)
		stack := awscdk.NewStack(app, jsii.String("Lake"), nil)
		analytics.New(stack, jsii.String(AnalyticsID), props)
		data, err := json.Marshal(app.Synth(nil).GetStackArtifact(jsii.String("Lake")).Template())
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	explicit := build(AnalyticsProps(env))
	unset := build(&analytics.Props{
		NamePrefix: jsii.String(env.NamePrefix()),
		QuickSight: &analytics.QuickSightProps{Owners: env.QuickSight.Owners},
		Ingestion:  &analytics.IngestionProps{AllowedOrigins: env.Ingestion.AllowedOrigins, Production: jsii.Bool(false)},
	})
	if explicit != unset {
		t.Fatalf("a construct default differs from its config default:\n%s", firstDifference(explicit, unset))
	}
}

// Each range has one home (config.Range): a value just outside it is refused by the
// configuration and by the construct with the same words.
func TestConstructBoundsAreTheConfigBounds(t *testing.T) {
	cases := []struct {
		field string
		rng   config.Range
		set   func(p *analytics.Props, v int64)
		json  func(v int64) string
	}{
		{"glue.maxWorkers", config.GlueWorkers, func(p *analytics.Props, v int64) { p.Glue.MaxWorkers = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"glue":{"maxWorkers":%d}}`, v) }},
		{"glue.timeoutMinutes", config.GlueTimeoutMinutes, func(p *analytics.Props, v int64) { p.Glue.TimeoutMinutes = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"glue":{"timeoutMinutes":%d,"durationAlarmMinutes":1}}`, v) }},
		{"glue.maxRetries", config.GlueRetries, func(p *analytics.Props, v int64) { p.Glue.MaxRetries = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"glue":{"maxRetries":%d}}`, v) }},
		{"glue.sessionTimeoutMinutes", config.SessionTimeoutMinutes, func(p *analytics.Props, v int64) { p.Glue.SessionTimeoutMinutes = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"glue":{"sessionTimeoutMinutes":%d}}`, v) }},
		{"storage.rawInfrequentAccessDays", config.RawInfrequentAccessDays, func(p *analytics.Props, v int64) { p.Storage.RawInfrequentAccessDays = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"storage":{"rawInfrequentAccessDays":%d}}`, v) }},
		{"storage.athenaResultsRetentionDays", config.RetentionDays, func(p *analytics.Props, v int64) { p.Storage.AthenaResultsRetentionDays = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"storage":{"athenaResultsRetentionDays":%d}}`, v) }},
		{"ingestion.reservedConcurrency", config.IngestionReservedConcurrency, func(p *analytics.Props, v int64) { p.Ingestion.ReservedConcurrency = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"ingestion":{"reservedConcurrency":%d}}`, v) }},
		{"ingestion.maxRequestBytes", config.IngestionMaxRequestBytes, func(p *analytics.Props, v int64) { p.Ingestion.MaxRequestBytes = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"ingestion":{"maxRequestBytes":%d}}`, v) }},
		{"ingestion.maxEventsPerRequest", config.IngestionMaxEventsPerRequest, func(p *analytics.Props, v int64) { p.Ingestion.MaxEventsPerRequest = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"ingestion":{"maxEventsPerRequest":%d}}`, v) }},
		{"ingestion.bufferingIntervalSeconds", config.IngestionBufferingIntervalSeconds, func(p *analytics.Props, v int64) { p.Ingestion.BufferingIntervalSeconds = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"ingestion":{"bufferingIntervalSeconds":%d}}`, v) }},
		{"ingestion.bufferingSizeMiB", config.IngestionBufferingSizeMiB, func(p *analytics.Props, v int64) { p.Ingestion.BufferingSizeMiB = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"ingestion":{"bufferingSizeMiB":%d}}`, v) }},
		{"privacy.rawRetentionDays", config.RawRetentionDays, func(p *analytics.Props, v int64) { p.Privacy.RawRetentionDays = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"privacy":{"rawRetentionDays":%d}}`, v) }},
		{"privacy.quarantineRetentionDays", config.RetentionDays, func(p *analytics.Props, v int64) { p.Privacy.QuarantineRetentionDays = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"privacy":{"quarantineRetentionDays":%d}}`, v) }},
		{"privacy.curatedRetentionDays", config.CuratedRetentionDays, func(p *analytics.Props, v int64) { p.Privacy.CuratedRetentionDays = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"privacy":{"curatedRetentionDays":%d}}`, v) }},
		{"athena.bytesScannedCutoff", config.BytesScannedCutoff, func(p *analytics.Props, v int64) { p.Athena.BytesScannedCutoff = &v },
			func(v int64) string { return fmt.Sprintf(`{"athena":{"bytesScannedCutoff":%d}}`, v) }},
		{"alarms.quarantineSharePercent", config.SharePercent, func(p *analytics.Props, v int64) { p.Alarms.QuarantineSharePercent = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"alarms":{"quarantineSharePercent":%d}}`, v) }},
		{"alarms.botSharePercent", config.SharePercent, func(p *analytics.Props, v int64) { p.Alarms.BotSharePercent = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"alarms":{"botSharePercent":%d}}`, v) }},
		{"alarms.freshnessHours", config.FreshnessHours, func(p *analytics.Props, v int64) { p.Alarms.FreshnessHours = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"alarms":{"freshnessHours":%d}}`, v) }},
		{"alarms.volumeDropPercent", config.SharePercent, func(p *analytics.Props, v int64) { p.Alarms.VolumeDropPercent = intp(v) },
			func(v int64) string { return fmt.Sprintf(`{"alarms":{"volumeDropPercent":%d}}`, v) }},
	}
	for _, c := range cases {
		for _, v := range []int64{c.rng.Min - 1, c.rng.Max + 1} {
			if v > 1<<62 {
				continue // no upper bound
			}
			t.Run(fmt.Sprintf("%s=%d", c.field, v), func(t *testing.T) {
				want := c.rng.Check(v)
				_, err := config.Parse([]byte(`{"dev":`+c.json(v)+`}`), "")
				if err == nil || !strings.Contains(err.Error(), "environments.dev."+c.field+": "+want) {
					t.Fatalf("config: got %v, want %q", err, want)
				}
				p := &analytics.Props{NamePrefix: jsii.String("lake-dev"),
					Ingestion: &analytics.IngestionProps{AllowedOrigins: []string{"https://shop.example.com"}}}
				c.set(p, v)
				defer func() {
					if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), want) {
						t.Fatalf("construct: recovered %v, want a panic containing %q", r, want)
					}
				}()
				analytics.New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bounds"), nil), jsii.String(AnalyticsID), p)
			})
		}
	}
}

func intp(v int64) *int {
	i := int(v)
	return &i
}

// firstDifference shows where two template texts start to differ.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(i-200, 0)
	return "explicit: …" + a[from:min(i+200, len(a))] + "\nunset:    …" + b[from:min(i+200, len(b))]
}
