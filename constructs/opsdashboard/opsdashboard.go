// Package opsdashboard is the pipeline's operations dashboard in CloudWatch, as code: the
// alarms' states, runs and their durations, records in and out, quarantine by reason,
// shares against their alarm thresholds, freshness, partitions rewritten, Data Quality rule
// failures, the Athena bytes the workgroup scans and, where QuickSight is on, the SPICE
// ingestions. Every run metric comes from the data alarms' Metric (the contract's names);
// per-reason and per-table series are found by SEARCH, so a new reason or table needs no
// change here.
package opsdashboard

import (
	"errors"
	"fmt"
	"regexp"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/dataalarms"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Props configures the dashboard.
type Props struct {
	// DashboardName names the dashboard. Required: 1-255 letters, digits, - and _.
	DashboardName *string
	// DataAlarms provide the run metrics, their namespace and the data alarms. Required.
	DataAlarms dataalarms.DataAlarms
	// Alarms are further alarms whose state the dashboard shows (the job duration alarm).
	// Default: - the data alarms only.
	Alarms []awscloudwatch.IAlarm
	// WorkGroupName is the Athena workgroup whose scanned bytes are charted. Required.
	WorkGroupName *string
	// QuickSightDataSetIDs are the SPICE datasets whose ingestions are charted.
	// Default: - no SPICE row (QuickSight off or in direct-query mode).
	QuickSightDataSetIDs map[string]*string
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

func (p Props) validate() error {
	var errs []error
	if err := props.Name("opsdashboard", "DashboardName", p.DashboardName, namePattern, "be 1-255 letters, digits, - or _"); err != nil {
		errs = append(errs, err)
	}
	if p.DataAlarms == nil {
		errs = append(errs, errors.New("opsdashboard: DataAlarms: required"))
	}
	if p.WorkGroupName == nil {
		errs = append(errs, errors.New("opsdashboard: WorkGroupName: required"))
	}
	return errors.Join(errs...)
}

// Dashboard is the operations dashboard.
type Dashboard interface {
	constructs.Construct
	// DashboardName is the dashboard's name.
	DashboardName() *string
}

type dashboard struct {
	constructs.Construct
	resource awscloudwatch.Dashboard
}

// Widget sizes: the grid is 24 columns wide.
const (
	fullWidth = 24
	halfWidth = 12
	graphRows = 6
)

// New creates the dashboard. It panics on invalid props, which fails synth.
func New(scope constructs.Construct, id *string, props *Props) Dashboard {
	if props == nil {
		props = &Props{}
	}
	if err := props.validate(); err != nil {
		panic(err)
	}
	p := *props
	d := &dashboard{Construct: constructs.NewConstruct(scope, id)}
	data := p.DataAlarms
	metric := func(name, statistic, label string) awscloudwatch.IMetric {
		return data.Metric(name, nil, &awscloudwatch.MetricOptions{Statistic: jsii.String(statistic), Label: jsii.String(label)})
	}
	namespace := *data.Metric(contract.MetricSuccessfulRuns, nil, nil).Namespace()
	// One series per dimension value, whatever values the job publishes.
	search := func(name, dimension string) awscloudwatch.IMetric {
		return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression: jsii.String(fmt.Sprintf(`SEARCH('{%s,%s} MetricName="%s"', 'Sum', %d)`, namespace, dimension, name, dataalarms.PeriodMinutes*60)),
			Period:     awscdk.Duration_Minutes(jsii.Number(dataalarms.PeriodMinutes)),
		})
	}
	graph := func(title string, width float64, left, right []awscloudwatch.IMetric, annotations []*awscloudwatch.HorizontalAnnotation, stacked bool) awscloudwatch.IWidget {
		g := &awscloudwatch.GraphWidgetProps{
			Title: jsii.String(title), Width: jsii.Number(width), Height: jsii.Number(graphRows),
			Left: &left, Stacked: jsii.Bool(stacked),
		}
		if len(right) > 0 {
			g.Right = &right
		}
		if len(annotations) > 0 {
			g.LeftAnnotations = &annotations
		}
		return awscloudwatch.NewGraphWidget(g)
	}
	// The alarms' thresholds as horizontal lines on the graphs of their metrics.
	line := func(value int, label string) *awscloudwatch.HorizontalAnnotation {
		return &awscloudwatch.HorizontalAnnotation{Value: jsii.Number(float64(value)), Label: jsii.String(label)}
	}
	t := data.Thresholds()
	shareLines := []*awscloudwatch.HorizontalAnnotation{line(t.QuarantineSharePercent, "quarantine alarm"), line(t.BotSharePercent, "bot alarm")}
	trendLine := []*awscloudwatch.HorizontalAnnotation{line(t.VolumeDropPercent, "volume drop alarm")}

	alarms := make([]interfacesawscloudwatch.IAlarmRef, 0, len(p.Alarms)+6)
	for _, a := range data.Alarms() {
		alarms = append(alarms, a)
	}
	for _, a := range p.Alarms {
		alarms = append(alarms, a)
	}
	rows := [][]awscloudwatch.IWidget{
		{awscloudwatch.NewTextWidget(&awscloudwatch.TextWidgetProps{
			Markdown: jsii.String("# " + *p.DashboardName + "\nRun metrics of the ETL job in `" + namespace + "` (one value per run, " +
				"summed per hour). What each alarm means and what to look at: README, *Operations*."),
			Width: jsii.Number(fullWidth), Height: jsii.Number(2),
		})},
		{awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
			Title: jsii.String("Alarms"), Alarms: &alarms, Width: jsii.Number(fullWidth), Height: jsii.Number(4),
		})},
		{
			graph("Runs and duration", halfWidth,
				[]awscloudwatch.IMetric{metric(contract.MetricSuccessfulRuns, "Sum", "successful runs")},
				[]awscloudwatch.IMetric{metric(contract.MetricRunDuration, "Maximum", "run duration (s)")}, nil, false),
			graph("Freshness", halfWidth,
				[]awscloudwatch.IMetric{metric(contract.MetricCuratedVsTrailingAverage, "Minimum", "curated vs trailing average (%)")},
				[]awscloudwatch.IMetric{metric(contract.MetricNewestEventAge, "Maximum", "newest event age (s)")}, trendLine, false),
		},
		{
			graph("Records in and out", halfWidth, []awscloudwatch.IMetric{
				metric(contract.MetricInputRecords, "Sum", "input"),
				metric(contract.MetricCuratedRecords, "Sum", "curated"),
				metric(contract.MetricDuplicateRecords, "Sum", "duplicates"),
				metric(contract.MetricQuarantinedRecords, "Sum", "quarantined"),
			}, nil, nil, false),
			graph("Quarantine by reason", halfWidth,
				[]awscloudwatch.IMetric{search(contract.MetricQuarantinedRecords, contract.DimensionReason)}, nil, nil, true),
		},
		{
			graph("Quarantine and bot shares (%)", halfWidth, []awscloudwatch.IMetric{
				metric(contract.MetricQuarantineShare, "Maximum", "quarantine share"),
				metric(contract.MetricBotShare, "Maximum", "bot share"),
			}, nil, shareLines, false),
			graph("Bots, sessions and late events", halfWidth, []awscloudwatch.IMetric{
				metric(contract.MetricBotRecords, "Sum", "bot events"),
				metric(contract.MetricSessionsWritten, "Sum", "sessions written"),
				metric(contract.MetricLateRecords, "Sum", "late events"),
			}, nil, nil, false),
		},
		{
			graph("Partitions rewritten per table", halfWidth,
				[]awscloudwatch.IMetric{search(contract.MetricPartitionsRewritten, contract.DimensionTable)}, nil, nil, true),
			graph("Data Quality rules failed", halfWidth, []awscloudwatch.IMetric{
				metric(contract.MetricDataQualityRulesFailed, "Maximum", "all tables"),
				search(contract.MetricDataQualityRulesFailed, contract.DimensionTable),
			}, nil, nil, false),
		},
		{graph("Athena bytes scanned by the workgroup", fullWidth, []awscloudwatch.IMetric{awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression: jsii.String(fmt.Sprintf(`SUM(SEARCH('{%s,QueryState,QueryType,WorkGroup} MetricName="ProcessedBytes" WorkGroup="%s"', 'Sum', %d))`,
				AthenaNamespace, *p.WorkGroupName, dataalarms.PeriodMinutes*60)),
			Label:  jsii.String("bytes scanned"),
			Period: awscdk.Duration_Minutes(jsii.Number(dataalarms.PeriodMinutes)),
		})}, nil, nil, false)},
	}
	if len(p.QuickSightDataSetIDs) > 0 {
		names := make([]string, 0, len(p.QuickSightDataSetIDs))
		for name := range p.QuickSightDataSetIDs {
			names = append(names, name)
		}
		sort.Strings(names)
		var invocations, errs []awscloudwatch.IMetric
		for _, name := range names {
			for _, m := range []struct {
				metric string
				into   *[]awscloudwatch.IMetric
			}{{SpiceIngestionsMetric, &invocations}, {SpiceIngestionErrorsMetric, &errs}} {
				*m.into = append(*m.into, awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
					Namespace: jsii.String(QuickSightNamespace), MetricName: jsii.String(m.metric),
					DimensionsMap: &map[string]*string{QuickSightDataSetDimension: p.QuickSightDataSetIDs[name]},
					Statistic:     jsii.String("Sum"), Period: awscdk.Duration_Days(jsii.Number(1)), Label: jsii.String(name),
				}))
			}
		}
		rows = append(rows, []awscloudwatch.IWidget{
			graph("SPICE ingestions per dataset (daily)", halfWidth, invocations, nil, nil, true),
			graph("SPICE ingestion errors per dataset (daily)", halfWidth, errs, nil, nil, true),
		})
	}
	widgets := make([]*[]awscloudwatch.IWidget, len(rows))
	for i := range rows {
		widgets[i] = &rows[i]
	}
	d.resource = awscloudwatch.NewDashboard(d.Construct, jsii.String(ResourceID), &awscloudwatch.DashboardProps{
		DashboardName:   p.DashboardName,
		DefaultInterval: awscdk.Duration_Days(jsii.Number(DefaultIntervalDays)),
		Widgets:         &widgets,
	})
	return d
}

func (d *dashboard) DashboardName() *string { return d.resource.DashboardName() }
