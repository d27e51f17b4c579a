package opsdashboard

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/dataalarms"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

const namespace = "shop-prod/DataQuality"

var (
	withSpice, withoutSpice body
	defaultDashboard        Dashboard
)

func newStack(app awscdk.App, name string, spice map[string]*string) (awscdk.Stack, Dashboard) {
	stack := awscdk.NewStack(app, jsii.String(name), nil)
	topic := awssns.NewTopic(stack, jsii.String("Topic"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	data := dataalarms.New(stack, jsii.String("DataAlarms"), &dataalarms.Props{Topic: topic, MetricsNamespace: jsii.String(namespace)})
	extra := awscloudwatch.NewAlarm(stack, jsii.String("Duration"), &awscloudwatch.AlarmProps{
		Metric:    awscloudwatch.NewMetric(&awscloudwatch.MetricProps{Namespace: jsii.String("Glue"), MetricName: jsii.String("x")}),
		Threshold: jsii.Number(1), EvaluationPeriods: jsii.Number(1),
	})
	return stack, New(stack, jsii.String("Dashboard"), &Props{
		DashboardName: jsii.String("shop-prod-operations"), DataAlarms: data, WorkGroupName: jsii.String("shop-prod"),
		Alarms: []awscloudwatch.IAlarm{extra}, QuickSightDataSetIDs: spice,
	})
}

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	stack, d := newStack(app, "Spice", map[string]*string{"sessions": jsii.String("shop-prod-sessions"), "events": jsii.String("shop-prod-events")})
	defaultDashboard = d
	awscdk.Aspects_Of(stack).Add(nag.Checks(), nil)
	plain, _ := newStack(app, "NoSpice", nil)
	withSpice = dashboardBody(assertions.Template_FromStack(stack, nil))
	withoutSpice = dashboardBody(assertions.Template_FromStack(plain, nil))
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

type widget struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
}

type body struct {
	Widgets []widget `json:"widgets"`
}

// dashboardBody renders the DashboardBody (a Fn::Join with the region and alarm ARNs) with
// every intrinsic as <...>, and decodes it.
func dashboardBody(tpl assertions.Template) body {
	for _, res := range *tpl.FindResources(jsii.String("AWS::CloudWatch::Dashboard"), nil) {
		var text strings.Builder
		switch b := (*res)["Properties"].(map[string]any)["DashboardBody"].(type) {
		case string:
			text.WriteString(b)
		case map[string]any:
			for _, part := range b["Fn::Join"].([]any)[1].([]any) {
				if s, ok := part.(string); ok {
					text.WriteString(s)
				} else {
					data, _ := json.Marshal(part)
					text.WriteString(strings.ReplaceAll(string(data), `"`, "'"))
				}
			}
		}
		var out body
		if err := json.Unmarshal([]byte(text.String()), &out); err != nil {
			panic(fmt.Sprintf("dashboard body: %v\n%s", err, text.String()))
		}
		return out
	}
	panic("no dashboard")
}

var searchExpr = regexp.MustCompile(`\{([^,}]+),([^}]+)\} MetricName="(\w+)"`)

// series are the (metric, dimension names) a dashboard charts in a namespace: from plain
// metric rows [namespace, name, dim, value, ...] and from SEARCH expressions.
func (b body) series(ns string) map[string]bool {
	out := map[string]bool{}
	for _, w := range b.Widgets {
		rows, _ := w.Properties["metrics"].([]any)
		for _, r := range rows {
			row := r.([]any)
			if first, ok := row[0].(string); ok && first == ns {
				var dims []string
				for i := 2; i+1 < len(row); i += 2 {
					if d, ok := row[i].(string); ok {
						dims = append(dims, d)
					}
				}
				out[row[1].(string)+"|"+strings.Join(dims, ",")] = true
				continue
			}
			if opts, ok := row[0].(map[string]any); ok {
				expr, _ := opts["expression"].(string)
				for _, m := range searchExpr.FindAllStringSubmatch(expr, -1) {
					if m[1] == ns {
						out[m[3]+"|"+m[2]] = true
					}
				}
			}
		}
	}
	return out
}

func (b body) titles() []string {
	var out []string
	for _, w := range b.Widgets {
		if t, ok := w.Properties["title"].(string); ok {
			out = append(out, t)
		}
	}
	return out
}

// The dashboard charts exactly what the ETL emits: every series the job publishes (the
// contract's totals and per-dimension series, which the Python tests prove metric_data emits)
// and nothing else in the namespace.
func TestChartsExactlyTheEmittedMetrics(t *testing.T) {
	want := map[string]bool{}
	for _, m := range contract.Metrics() {
		if m.Total {
			want[m.Name+"|"] = true
		}
		if m.Dimension != "" {
			want[m.Name+"|"+m.Dimension] = true
		}
	}
	got := withSpice.series(namespace)
	var missing, unknown []string
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(unknown)
	if len(missing)+len(unknown) > 0 {
		t.Fatalf("not charted: %v; charted but never emitted: %v", missing, unknown)
	}
}

func TestLayout(t *testing.T) {
	t.Run("the alarm states of every data alarm and the given ones come first", func(t *testing.T) {
		w := withSpice.Widgets[1]
		alarms, _ := w.Properties["alarms"].([]any)
		if w.Type != "alarm" || len(alarms) != 7 {
			t.Fatalf("widget %s with %d alarms", w.Type, len(alarms))
		}
	})
	t.Run("Athena bytes scanned by the workgroup", func(t *testing.T) {
		data, _ := json.Marshal(withSpice)
		if !strings.Contains(string(data), `{AWS/Athena,QueryState,QueryType,WorkGroup} MetricName=\"ProcessedBytes\" WorkGroup=\"shop-prod\"`) {
			t.Fatal("no ProcessedBytes of the workgroup")
		}
	})
	t.Run("SPICE ingestions per dataset only where QuickSight datasets are given", func(t *testing.T) {
		for metric := range map[string]bool{SpiceIngestionsMetric: true, SpiceIngestionErrorsMetric: true} {
			if got := withSpice.series(QuickSightNamespace)[metric+"|"+QuickSightDataSetDimension]; !got {
				t.Errorf("no %s per dataset", metric)
			}
		}
		if len(withoutSpice.series(QuickSightNamespace)) != 0 || len(withoutSpice.Widgets) != len(withSpice.Widgets)-2 {
			t.Fatalf("SPICE widgets without QuickSight: %v", withoutSpice.titles())
		}
	})
	t.Run("the share and trend graphs draw the alarm thresholds (config defaults here)", func(t *testing.T) {
		data, _ := json.Marshal(withSpice)
		for _, want := range []string{
			fmt.Sprintf(`"label":"quarantine alarm","value":%d`, config.DefaultQuarantineSharePercent),
			fmt.Sprintf(`"label":"bot alarm","value":%d`, config.DefaultBotSharePercent),
			fmt.Sprintf(`"label":"volume drop alarm","value":%d`, config.DefaultVolumeDropPercent),
		} {
			if !strings.Contains(string(data), want) {
				t.Errorf("no %s", want)
			}
		}
	})
	t.Run("rows in the README's order", func(t *testing.T) {
		want := []string{"Alarms", "Runs and duration", "Freshness", "Records in and out", "Quarantine by reason",
			"Quarantine and bot shares (%)", "Bots, sessions and late events", "Partitions rewritten per table",
			"Data Quality rules failed", "Athena bytes scanned by the workgroup",
			"SPICE ingestions per dataset (daily)", "SPICE ingestion errors per dataset (daily)"}
		if got := withSpice.titles(); !slices.Equal(got, want) {
			t.Fatalf("titles %v", got)
		}
	})
}

func TestValidate(t *testing.T) {
	t.Run("missing props are named", func(t *testing.T) {
		err := Props{DashboardName: jsii.String("bad name")}.validate()
		for _, want := range []string{`opsdashboard: DashboardName: got "bad name"`, "opsdashboard: DataAlarms: required", "opsdashboard: WorkGroupName: required"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("got %v, want %q", err, want)
			}
		}
	})
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "opsdashboard: DashboardName: required", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("D"), nil)
		})
	})
}

func TestNag(t *testing.T) {
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, defaultDashboard)
	})
}
