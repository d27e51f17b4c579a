// Package dataalarms watches the data, not only the jobs: CloudWatch alarms on the run
// metrics the ETL job publishes (contract.Metrics) for a quarantine share or a bot share
// above a threshold, runs or curated events that stopped (missing data breaching, so a
// stopped schedule alarms), curated volume falling below a share of the previous runs'
// average, and failed Glue Data Quality rules. Every alarm notifies the given topic (the
// failure topic of the alarms construct) and says in its description what to look at.
package dataalarms

import (
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Props configures the data alarms.
type Props struct {
	// Topic receives every alarm (the failure topic: alarms.Alarms.Topic()). Required.
	Topic awssns.ITopic
	// MetricsNamespace is where the ETL job publishes its run metrics
	// (contract.MetricsNamespace of the pipeline's name prefix). Required.
	MetricsNamespace *string
	// QuarantineSharePercent alarms when a run quarantines more of its input.
	// Default: config.DefaultQuarantineSharePercent (5).
	QuarantineSharePercent *int
	// BotSharePercent alarms when bots make more of a run's curated events.
	// Default: config.DefaultBotSharePercent (20).
	BotSharePercent *int
	// FreshnessHours alarms when no run succeeded, or none curated an event, for this long.
	// Default: config.DefaultFreshnessHours (26).
	FreshnessHours *int
	// VolumeDropPercent alarms when a run curates less than this share of the previous runs'
	// average (contract.TrailingRuns). Default: config.DefaultVolumeDropPercent (50).
	VolumeDropPercent *int
	// WorkflowName names, in the stale-runs alarm's description, the Glue workflow that
	// schedules the runs. Default: - "of the pipeline".
	WorkflowName *string
	// RawLocation names, in descriptions, where raw events land (s3://<raw bucket>/events/).
	// Default: - "the raw bucket's events/ folder".
	RawLocation *string
}

func (p Props) withDefaults() Props {
	p.QuarantineSharePercent = props.IntOr(p.QuarantineSharePercent, config.DefaultQuarantineSharePercent)
	p.BotSharePercent = props.IntOr(p.BotSharePercent, config.DefaultBotSharePercent)
	p.FreshnessHours = props.IntOr(p.FreshnessHours, config.DefaultFreshnessHours)
	p.VolumeDropPercent = props.IntOr(p.VolumeDropPercent, config.DefaultVolumeDropPercent)
	if p.WorkflowName == nil {
		p.WorkflowName = jsii.String("of the pipeline")
	}
	if p.RawLocation == nil {
		p.RawLocation = jsii.String("the raw bucket's events/ folder")
	}
	return p
}

func (p Props) validate() error {
	var errs []error
	if p.Topic == nil {
		errs = append(errs, errors.New("dataalarms: Topic: required"))
	}
	if p.MetricsNamespace == nil || *p.MetricsNamespace == "" {
		errs = append(errs, errors.New("dataalarms: MetricsNamespace: required, the namespace the ETL job publishes to"))
	}
	for _, r := range []struct {
		name  string
		rng   config.Range
		value int
	}{
		{"QuarantineSharePercent", config.SharePercent, *p.QuarantineSharePercent},
		{"BotSharePercent", config.SharePercent, *p.BotSharePercent},
		{"FreshnessHours", config.FreshnessHours, *p.FreshnessHours},
		{"VolumeDropPercent", config.SharePercent, *p.VolumeDropPercent},
	} {
		if msg := r.rng.CheckInt(r.value); msg != "" {
			errs = append(errs, fmt.Errorf("dataalarms: %s: %s", r.name, msg))
		}
	}
	return errors.Join(errs...)
}

// DataAlarms are the alarms on the data of the pipeline's runs.
type DataAlarms interface {
	constructs.Construct
	// Metric is one of the job's run metrics (a contract.Metric* name), summed per hour unless
	// options say otherwise; dimensions select a per-reason or per-table series.
	Metric(name string, dimensions map[string]*string, options *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// Thresholds are the alarms' effective thresholds (props or config defaults).
	Thresholds() Thresholds
	// Alarms are every data alarm, in the order of the README's Operations section.
	Alarms() []awscloudwatch.Alarm
	QuarantineShareAlarm() awscloudwatch.Alarm
	BotShareAlarm() awscloudwatch.Alarm
	StaleRunsAlarm() awscloudwatch.Alarm
	StaleDataAlarm() awscloudwatch.Alarm
	VolumeDropAlarm() awscloudwatch.Alarm
	RulesFailedAlarm() awscloudwatch.Alarm
}

// Thresholds are the thresholds the alarms use.
type Thresholds struct {
	QuarantineSharePercent, BotSharePercent, FreshnessHours, VolumeDropPercent int
}

type dataAlarms struct {
	constructs.Construct
	namespace  string
	thresholds Thresholds
	alarms     map[string]awscloudwatch.Alarm
}

// New creates the alarms. It panics on invalid props, which fails synth.
func New(scope constructs.Construct, id *string, props *Props) DataAlarms {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	d := &dataAlarms{Construct: constructs.NewConstruct(scope, id), namespace: *p.MetricsNamespace, alarms: map[string]awscloudwatch.Alarm{},
		thresholds: Thresholds{*p.QuarantineSharePercent, *p.BotSharePercent, *p.FreshnessHours, *p.VolumeDropPercent}}
	hours := *p.FreshnessHours
	for _, a := range []struct {
		id, metric, statistic string
		threshold             float64
		operator              awscloudwatch.ComparisonOperator
		periods               int
		missing               awscloudwatch.TreatMissingData
		description           string
	}{
		{QuarantineShareAlarmID, contract.MetricQuarantineShare, "Maximum", float64(*p.QuarantineSharePercent),
			awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, 1, awscloudwatch.TreatMissingData_IGNORE, fmt.Sprintf(
				"An ETL run quarantined more than %d %% of its raw records. Look at the quarantine table (named query data_quality: "+
					"records per reason and source file) and the run's report under reports/: one reason or one source file "+
					"usually points at a tracker release or a collector change. The alarm stays until a run is below the threshold.", *p.QuarantineSharePercent)},
		{BotShareAlarmID, contract.MetricBotShare, "Maximum", float64(*p.BotSharePercent),
			awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, 1, awscloudwatch.TreatMissingData_IGNORE, fmt.Sprintf(
				"Bots made more than %d %% of an ETL run's curated events. Look at the user-agent families of the raw data "+
					"(named query raw_user_agent_families) and events.browser of is_bot rows: a crawler storm, an uptime monitor, "+
					"or load tests; dashboards exclude bots, so human traffic is unaffected.", *p.BotSharePercent)},
		{StaleRunsAlarmID, contract.MetricSuccessfulRuns, "Sum", FreshnessThreshold,
			awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD, hours, awscloudwatch.TreatMissingData_BREACHING, fmt.Sprintf(
				"No ETL run has succeeded for %d hours. Check that the Glue workflow %s is scheduled (its trigger enabled), "+
					"its last runs and the crawler; failed and timed-out runs also notify this topic.", hours, *p.WorkflowName)},
		{StaleDataAlarmID, contract.MetricCuratedRecords, "Sum", FreshnessThreshold,
			awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD, hours, awscloudwatch.TreatMissingData_BREACHING, fmt.Sprintf(
				"No ETL run has curated a new event for %d hours: runs found no new raw files, or none ran. Check that raw "+
					"files still arrive in %s (tracker, collector, delivery stream) and the runs' reports under reports/.", hours, *p.RawLocation)},
		{VolumeDropAlarmID, contract.MetricCuratedVsTrailingAverage, "Minimum", float64(*p.VolumeDropPercent),
			awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD, 1, awscloudwatch.TreatMissingData_IGNORE, fmt.Sprintf(
				"An ETL run curated less than %d %% of the mean of the previous %d runs. Look at the raw arrivals "+
					"(named query raw_feature_coverage per day), the quarantine share and recent tracker deployments: a broken "+
					"tracker or collector loses events before they reach %s.", *p.VolumeDropPercent, contract.TrailingRuns, *p.RawLocation)},
		{RulesFailedAlarmID, contract.MetricDataQualityRulesFailed, "Maximum", 0,
			awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, 1, awscloudwatch.TreatMissingData_IGNORE,
			"A Glue Data Quality rule failed on the partitions an ETL run rewrote. The job's log has a data_quality line per " +
				"table with every rule's outcome; Glue's Data Quality results show the failing rule. Curated rows that break " +
				"a rule are a defect of the ETL, not of the raw data."},
	} {
		alarm := awscloudwatch.NewAlarm(d.Construct, jsii.String(a.id), &awscloudwatch.AlarmProps{
			AlarmDescription:   jsii.String(a.description),
			Metric:             d.Metric(a.metric, nil, &awscloudwatch.MetricOptions{Statistic: jsii.String(a.statistic)}),
			Threshold:          jsii.Number(a.threshold),
			ComparisonOperator: a.operator,
			EvaluationPeriods:  jsii.Number(float64(a.periods)),
			DatapointsToAlarm:  jsii.Number(float64(a.periods)),
			TreatMissingData:   a.missing,
		})
		alarm.AddAlarmAction(awscloudwatchactions.NewSnsAction(p.Topic))
		d.alarms[a.id] = alarm
	}
	return d
}

func (d *dataAlarms) Metric(name string, dimensions map[string]*string, options *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if !slices.ContainsFunc(contract.Metrics(), func(m contract.Metric) bool { return m.Name == name }) {
		panic(fmt.Sprintf("dataalarms: Metric: got %q, must be a metric of the contract (contract.Metrics)", name))
	}
	props := &awscloudwatch.MetricProps{
		Namespace:  jsii.String(d.namespace),
		MetricName: jsii.String(name),
		Statistic:  jsii.String("Sum"),
		Period:     awscdk.Duration_Minutes(jsii.Number(PeriodMinutes)),
	}
	if len(dimensions) > 0 {
		props.DimensionsMap = &dimensions
	}
	if options != nil {
		if options.Statistic != nil {
			props.Statistic = options.Statistic
		}
		if options.Period != nil {
			props.Period = options.Period
		}
		props.Label, props.Color = options.Label, options.Color
	}
	return awscloudwatch.NewMetric(props)
}

func (d *dataAlarms) Thresholds() Thresholds { return d.thresholds }

func (d *dataAlarms) Alarms() []awscloudwatch.Alarm {
	var out []awscloudwatch.Alarm
	for _, id := range []string{QuarantineShareAlarmID, BotShareAlarmID, StaleRunsAlarmID, StaleDataAlarmID, VolumeDropAlarmID, RulesFailedAlarmID} {
		out = append(out, d.alarms[id])
	}
	return out
}

func (d *dataAlarms) QuarantineShareAlarm() awscloudwatch.Alarm {
	return d.alarms[QuarantineShareAlarmID]
}
func (d *dataAlarms) BotShareAlarm() awscloudwatch.Alarm    { return d.alarms[BotShareAlarmID] }
func (d *dataAlarms) StaleRunsAlarm() awscloudwatch.Alarm   { return d.alarms[StaleRunsAlarmID] }
func (d *dataAlarms) StaleDataAlarm() awscloudwatch.Alarm   { return d.alarms[StaleDataAlarmID] }
func (d *dataAlarms) VolumeDropAlarm() awscloudwatch.Alarm  { return d.alarms[VolumeDropAlarmID] }
func (d *dataAlarms) RulesFailedAlarm() awscloudwatch.Alarm { return d.alarms[RulesFailedAlarmID] }
