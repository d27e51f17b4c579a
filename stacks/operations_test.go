package stacks

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/analytics"
	"github.com/clickstream-analytics/datalake/constructs/dataalarms"
	"github.com/clickstream-analytics/datalake/contract"
)

// alarmOn is the one alarm of the template on a metric of the namespace.
func alarmOn(t *testing.T, tpl assertions.Template, namespace, metric string) map[string]any {
	t.Helper()
	m := map[string]any{"Namespace": namespace, "MetricName": metric}
	found := *tpl.FindResources(jsii.String("AWS::CloudWatch::Alarm"), assertions.Match_ObjectLike(&map[string]any{"Properties": assertions.Match_ObjectLike(&m)}))
	if len(found) != 1 {
		t.Fatalf("%d alarms on %s %s", len(found), namespace, metric)
	}
	for _, res := range found {
		return (*res)["Properties"].(map[string]any)
	}
	return nil
}

func TestDataAlarmsPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		env := envs[name]
		namespace := contract.MetricsNamespace(env.NamePrefix())
		t.Run(name+" job publishes its run metrics to <prefix>-<env>/DataQuality", func(t *testing.T) {
			m := map[string]any{"DefaultArguments": assertions.Match_ObjectLike(&map[string]any{"--" + contract.ArgMetricsNamespace: namespace})}
			tpl.HasResourceProperties(jsii.String("AWS::Glue::Job"), assertions.Match_ObjectLike(&m))
		})
		hours := float64(env.Alarms.FreshnessHours)
		a := env.Alarms
		for _, c := range []struct {
			metric, operator, missing string
			threshold, periods        float64
		}{
			{contract.MetricQuarantineShare, "GreaterThanThreshold", "ignore", float64(a.QuarantineSharePercent), 1},
			{contract.MetricBotShare, "GreaterThanThreshold", "ignore", float64(a.BotSharePercent), 1},
			{contract.MetricSuccessfulRuns, "LessThanThreshold", "breaching", dataalarms.FreshnessThreshold, hours},
			{contract.MetricCuratedRecords, "LessThanThreshold", "breaching", dataalarms.FreshnessThreshold, hours},
			{contract.MetricCuratedVsTrailingAverage, "LessThanThreshold", "ignore", float64(a.VolumeDropPercent), 1},
			{contract.MetricDataQualityRulesFailed, "GreaterThanThreshold", "ignore", 0, 1},
		} {
			t.Run(name+" alarms on "+c.metric+" with its configured threshold, hourly period, evaluation and missing data", func(t *testing.T) {
				alarm := alarmOn(t, tpl, namespace, c.metric)
				if alarm["Threshold"] != c.threshold || alarm["ComparisonOperator"] != c.operator {
					t.Errorf("threshold %v %v", alarm["ComparisonOperator"], alarm["Threshold"])
				}
				if alarm["Period"] != float64(dataalarms.PeriodMinutes*60) || alarm["EvaluationPeriods"] != c.periods || alarm["DatapointsToAlarm"] != c.periods {
					t.Errorf("period %v, %v of %v periods", alarm["Period"], alarm["DatapointsToAlarm"], alarm["EvaluationPeriods"])
				}
				if alarm["TreatMissingData"] != c.missing {
					t.Errorf("missing data %v", alarm["TreatMissingData"])
				}
				if actions := asJSON(alarm["AlarmActions"]); !strings.HasPrefix(actions, `[{"Ref":"AlarmsTopic`) {
					t.Errorf("actions %s: not the failure topic", actions)
				}
			})
		}
	}
}

func TestDashboardPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		env := envs[name]
		found := *tpl.FindResources(jsii.String("AWS::CloudWatch::Dashboard"), nil)
		t.Run(name+" has one operations dashboard named <prefix>-<env>-operations", func(t *testing.T) {
			if len(found) != 1 {
				t.Fatalf("%d dashboards", len(found))
			}
			tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Dashboard"), assertions.Match_ObjectLike(&map[string]any{
				"DashboardName": env.NamePrefix() + "-" + analytics.DashboardSuffix,
			}))
		})
		t.Run(name+" charts SPICE ingestions exactly when QuickSight imports into SPICE", func(t *testing.T) {
			for _, res := range found {
				spice := strings.Contains(asJSON((*res)["Properties"]), "AWS/QuickSight")
				if want := env.QuickSight.Enabled && env.QuickSight.ImportMode == config.ImportModeSpice; spice != want {
					t.Fatalf("SPICE widgets %v, want %v", spice, want)
				}
			}
		})
	}
}
