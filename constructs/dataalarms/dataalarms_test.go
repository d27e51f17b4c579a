package dataalarms

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

var (
	defaultTemplate, optionsTemplate assertions.Template
	defaultAlarms                    DataAlarms
)

func newStack(app awscdk.App, name string, props func(*Props)) (awscdk.Stack, DataAlarms) {
	stack := awscdk.NewStack(app, jsii.String(name), nil)
	topic := awssns.NewTopic(stack, jsii.String("Topic"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	p := &Props{Topic: topic, MetricsNamespace: jsii.String("shop-prod/DataQuality")}
	if props != nil {
		props(p)
	}
	return stack, New(stack, jsii.String("DataAlarms"), p)
}

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	stack, a := newStack(app, "Defaults", nil)
	defaultAlarms = a
	awscdk.Aspects_Of(stack).Add(nag.Checks(), nil)
	options, _ := newStack(app, "Options", func(p *Props) {
		q, b, f, v := 10, 40, 50, 25
		p.QuarantineSharePercent, p.BotSharePercent, p.FreshnessHours, p.VolumeDropPercent = &q, &b, &f, &v
		p.WorkflowName, p.RawLocation = jsii.String("shop-prod-batch"), jsii.String("s3://raw/events/")
	})
	defaultTemplate = assertions.Template_FromStack(stack, nil)
	optionsTemplate = assertions.Template_FromStack(options, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func alarm(t *testing.T, tpl assertions.Template, metric string) map[string]any {
	t.Helper()
	m := map[string]any{"MetricName": metric}
	found := *tpl.FindResources(jsii.String("AWS::CloudWatch::Alarm"), assertions.Match_ObjectLike(&map[string]any{"Properties": assertions.Match_ObjectLike(&m)}))
	if len(found) != 1 {
		t.Fatalf("%d alarms on %s", len(found), metric)
	}
	for _, res := range found {
		return (*res)["Properties"].(map[string]any)
	}
	return nil
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Spec is what each alarm must be: metric, statistic, comparison, threshold, evaluation and
// the treatment of missing data.
type spec struct {
	metric, statistic, operator string
	threshold                   float64
	periods                     float64
	missing                     string
}

func specs(quarantine, bots, hours, volume int) []spec {
	return []spec{
		{contract.MetricQuarantineShare, "Maximum", "GreaterThanThreshold", float64(quarantine), 1, "ignore"},
		{contract.MetricBotShare, "Maximum", "GreaterThanThreshold", float64(bots), 1, "ignore"},
		{contract.MetricSuccessfulRuns, "Sum", "LessThanThreshold", 1, float64(hours), "breaching"},
		{contract.MetricCuratedRecords, "Sum", "LessThanThreshold", 1, float64(hours), "breaching"},
		{contract.MetricCuratedVsTrailingAverage, "Minimum", "LessThanThreshold", float64(volume), 1, "ignore"},
		{contract.MetricDataQualityRulesFailed, "Maximum", "GreaterThanThreshold", 0, 1, "ignore"},
	}
}

func checkSpecs(t *testing.T, tpl assertions.Template, want []spec) {
	for _, s := range want {
		t.Run(s.metric, func(t *testing.T) {
			a := alarm(t, tpl, s.metric)
			if a["Namespace"] != "shop-prod/DataQuality" || a["Statistic"] != s.statistic || a["Period"] != float64(PeriodMinutes*60) {
				t.Errorf("metric %s %s %v", a["Namespace"], a["Statistic"], a["Period"])
			}
			if a["Dimensions"] != nil {
				t.Errorf("the alarm watches a per-dimension series: %v", a["Dimensions"])
			}
			if a["ComparisonOperator"] != s.operator || a["Threshold"] != s.threshold {
				t.Errorf("threshold %v %v", a["ComparisonOperator"], a["Threshold"])
			}
			if a["EvaluationPeriods"] != s.periods || a["DatapointsToAlarm"] != s.periods {
				t.Errorf("evaluation %v of %v", a["DatapointsToAlarm"], a["EvaluationPeriods"])
			}
			if a["TreatMissingData"] != s.missing {
				t.Errorf("missing data %v", a["TreatMissingData"])
			}
			if !strings.HasPrefix(toJSON(a["AlarmActions"]), `[{"Ref":"Topic`) {
				t.Errorf("actions %v", a["AlarmActions"])
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	checkSpecs(t, defaultTemplate, specs(config.DefaultQuarantineSharePercent, config.DefaultBotSharePercent,
		config.DefaultFreshnessHours, config.DefaultVolumeDropPercent))
	t.Run("six alarms, exposed in order", func(t *testing.T) {
		defaultTemplate.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(6))
		if len(defaultAlarms.Alarms()) != 6 || defaultAlarms.Alarms()[0] != defaultAlarms.QuarantineShareAlarm() ||
			defaultAlarms.Alarms()[5] != defaultAlarms.RulesFailedAlarm() {
			t.Fatal("accessors")
		}
	})
	t.Run("Thresholds are the config defaults", func(t *testing.T) {
		want := Thresholds{config.DefaultQuarantineSharePercent, config.DefaultBotSharePercent, config.DefaultFreshnessHours, config.DefaultVolumeDropPercent}
		if got := defaultAlarms.Thresholds(); got != want {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("freshness over hours: a stopped schedule breaches by missing data", func(t *testing.T) {
		a := alarm(t, defaultTemplate, contract.MetricSuccessfulRuns)
		if float64(PeriodMinutes)*a["EvaluationPeriods"].(float64) != float64(config.DefaultFreshnessHours*60) {
			t.Fatalf("window %v periods", a["EvaluationPeriods"])
		}
	})
}

func TestOptions(t *testing.T) {
	checkSpecs(t, optionsTemplate, specs(10, 40, 50, 25))
	t.Run("descriptions say what to look at, with the thresholds and names", func(t *testing.T) {
		for metric, words := range map[string][]string{
			contract.MetricQuarantineShare:          {"more than 10 %", "quarantine table", "data_quality"},
			contract.MetricBotShare:                 {"more than 40 %", "raw_user_agent_families"},
			contract.MetricSuccessfulRuns:           {"50 hours", "shop-prod-batch"},
			contract.MetricCuratedRecords:           {"50 hours", "s3://raw/events/"},
			contract.MetricCuratedVsTrailingAverage: {"less than 25 %", "previous 7 runs", "raw_feature_coverage"},
			contract.MetricDataQualityRulesFailed:   {"Data Quality", "data_quality line"},
		} {
			d := alarm(t, optionsTemplate, metric)["AlarmDescription"].(string)
			for _, w := range words {
				if !strings.Contains(d, w) {
					t.Errorf("%s: no %q in %q", metric, w, d)
				}
			}
			if len(d) > 1024 {
				t.Errorf("%s: %d characters, CloudWatch allows 1024", metric, len(d))
			}
		}
	})
}

func TestMetric(t *testing.T) {
	t.Run("a contract metric in the namespace, summed per hour, with its dimension", func(t *testing.T) {
		m := defaultAlarms.Metric(contract.MetricQuarantinedRecords, map[string]*string{contract.DimensionReason: jsii.String("malformed_json")}, nil)
		if *m.Namespace() != "shop-prod/DataQuality" || *m.Statistic() != "Sum" || *m.Period().ToMinutes(nil) != PeriodMinutes ||
			(*m.Dimensions())[contract.DimensionReason] != "malformed_json" {
			t.Fatalf("metric %s %s", *m.Namespace(), *m.Statistic())
		}
	})
	t.Run("a name outside the contract panics", func(t *testing.T) {
		constructtest.Panics(t, `dataalarms: Metric: got "Records", must be a metric of the contract`, func() {
			defaultAlarms.Metric("Records", nil, nil)
		})
	})
}

func TestValidate(t *testing.T) {
	n := func(v int) *int { return &v }
	base := func() Props {
		return Props{Topic: awssns.Topic_FromTopicArn(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("S"), nil), jsii.String("T"),
			jsii.String("arn:aws:sns:eu-west-1:123456789012:t")), MetricsNamespace: jsii.String("a/DataQuality")}
	}
	cases := []struct {
		name string
		set  func(*Props)
		want string
	}{
		{"missing topic and namespace", func(p *Props) { p.Topic, p.MetricsNamespace = nil, nil }, "dataalarms: Topic: required\ndataalarms: MetricsNamespace: required"},
		{"share of 100", func(p *Props) { p.QuarantineSharePercent = n(100) }, "dataalarms: QuarantineSharePercent: got 100, must be between 1 and 99 percent"},
		{"bot share of 0", func(p *Props) { p.BotSharePercent = n(0) }, "dataalarms: BotSharePercent: got 0"},
		{"freshness beyond a week", func(p *Props) { p.FreshnessHours = n(169) }, "dataalarms: FreshnessHours: got 169, must be between 2 and 168 hours (CloudWatch evaluates an alarm over at most 7 days)"},
		{"volume drop of 100", func(p *Props) { p.VolumeDropPercent = n(100) }, "dataalarms: VolumeDropPercent: got 100"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base()
			c.set(&p)
			if err := p.withDefaults().validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("withDefaults does not modify the caller's props", func(t *testing.T) {
		p := Props{}
		_ = p.withDefaults()
		if p.QuarantineSharePercent != nil || p.FreshnessHours != nil || p.WorkflowName != nil {
			t.Fatalf("caller's props changed: %+v", p)
		}
	})
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "dataalarms: Topic: required", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("A"), nil)
		})
	})
}

func TestNag(t *testing.T) {
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, defaultAlarms)
	})
}
