package quicksight

import (
	"fmt"

	ds "github.com/clickstream-analytics/datalake/constructs/quicksight/dashboardspec"
)

// Names of the dataset SQL files (sql/quicksight/<name>.sql) the dashboard uses.
const (
	SessionsDataset        = "sessions"
	CampaignsDataset       = "campaigns"
	FunnelDataset          = "funnel"
	PagePerformanceDataset = "page_performance"
	EventsDataset          = "events"
)

// Sheet IDs of the dashboard and the analysis.
const (
	OverviewSheet    = "overview"
	AcquisitionSheet = "acquisition"
	BehaviourSheet   = "behaviour"
	PerformanceSheet = "performance"
	TechnologySheet  = "technology"
)

// Date-range parameters shared by every sheet.
const (
	StartDateParameter = "StartDate"
	EndDateParameter   = "EndDate"
)

// Dashboard describes the clickstream dashboard over the datasets (LoadDatasets). The analysis
// reuses the same description. dateRangeDays is the default date range ending today.
func Dashboard(datasets []*Dataset, dateRangeDays int) (ds.Definition, error) {
	byName := map[string]*ds.Dataset{}
	specs := make([]*ds.Dataset, 0, len(datasets))
	for _, d := range datasets {
		// A copy: calculated fields are the dashboard's, not the parsed dataset's.
		spec := *d.Spec
		byName[d.Name] = &spec
		specs = append(specs, &spec)
	}
	for _, name := range []string{SessionsDataset, CampaignsDataset, FunnelDataset, PagePerformanceDataset, EventsDataset} {
		if byName[name] == nil {
			return ds.Definition{}, fmt.Errorf("quicksight: dashboard: dataset %q is missing: add sql/quicksight/%s.sql", name, name)
		}
	}
	sessions, campaigns, funnel := byName[SessionsDataset], byName[CampaignsDataset], byName[FunnelDataset]
	perf, events := byName[PagePerformanceDataset], byName[EventsDataset]

	sessions.Calculated = []ds.CalculatedField{
		{Name: "conversion_rate", Expression: "sum({conversions}) / count({session_id})"},
		{Name: "bounce_rate", Expression: "sum({bounces}) / count({session_id})"},
	}
	campaigns.Calculated = []ds.CalculatedField{
		{Name: "conversion_rate", Expression: "sum({conversions}) / sum({sessions})"},
	}

	visitors := sessions.DistinctCount("anonymous_id").As("Visitors")
	sessionCount := sessions.Count("session_id").As("Sessions")
	day := sessions.Day("session_date")
	p50, p95 := perf.Percentile("page_load_ms", 50).As("p50 load (ms)"), perf.Percentile("page_load_ms", 95).As("p95 load (ms)")

	def := ds.Definition{
		Datasets:  specs,
		DateRange: ds.DateRange{StartParameter: StartDateParameter, EndParameter: EndDateParameter, DefaultDays: dateRangeDays},
		Sheets: []ds.Sheet{
			{ID: OverviewSheet, Name: "Overview", Description: "Visitors, sessions, page views, conversion rate and revenue, with daily trends.", Rows: []ds.Row{
				{
					ds.KPI("Visitors", visitors),
					ds.KPI("Sessions", sessionCount),
					ds.KPI("Page views", sessions.Sum("page_views")),
					ds.KPI("Conversion rate", sessions.Calc("conversion_rate")),
					ds.KPI("Revenue", sessions.Sum("revenue")),
				},
				{
					ds.Line("Daily visitors and sessions", day, visitors, sessionCount),
					ds.Line("Daily page views", day, sessions.Sum("page_views")),
				},
				{
					ds.Line("Daily conversion rate", day, sessions.Calc("conversion_rate")),
					ds.Line("Daily revenue", day, sessions.Sum("revenue")),
				},
				{ds.Bar("Events by type", events.Category("event_type"), events.Sum("events"))},
			}},
			{ID: AcquisitionSheet, Name: "Acquisition", Description: "Sessions and conversions by channel and by campaign.", Rows: []ds.Row{
				{
					ds.Bar("Sessions and conversions by channel", campaigns.Category("channel"), campaigns.Sum("sessions"), campaigns.Sum("conversions")),
					ds.Donut("Revenue by channel", campaigns.Category("channel"), campaigns.Sum("revenue")),
				},
				{ds.Table("Campaigns",
					[]ds.Dimension{
						campaigns.Category("utm_source").As("Source"),
						campaigns.Category("utm_medium").As("Medium"),
						campaigns.Category("utm_campaign").As("Campaign"),
					},
					campaigns.Sum("sessions").As("Sessions"),
					campaigns.Sum("conversions").As("Conversions"),
					campaigns.Calc("conversion_rate").As("Conversion rate"),
					campaigns.Sum("revenue").As("Revenue"),
				)},
			}},
			{ID: BehaviourSheet, Name: "Behaviour", Description: "Conversion funnel, top landing and exit pages.", Rows: []ds.Row{
				{ds.Funnel("Conversion funnel", funnel.Category("step"), funnel.Sum("sessions"), funnel.Min("step_order"))},
				{
					ds.Table("Top landing pages", []ds.Dimension{sessions.Category("landing_page_path").As("Landing page")},
						sessionCount, sessions.Calc("bounce_rate").As("Bounce rate"), sessions.Calc("conversion_rate").As("Conversion rate")),
					ds.Table("Top exit pages", []ds.Dimension{sessions.Category("exit_page_path").As("Exit page")}, sessionCount),
				},
			}},
			{ID: PerformanceSheet, Name: "Performance", Description: "Median (p50) and p95 page load time by page and by device.", Rows: []ds.Row{
				{
					ds.KPI("Page load p50 (ms)", p50),
					ds.KPI("Page load p95 (ms)", p95),
					ds.KPI("Time to first byte p50 (ms)", perf.Percentile("ttfb_ms", 50)),
				},
				{
					ds.Table("Page load by page", []ds.Dimension{perf.Category("page_path").As("Page")},
						perf.Count("page_path").As("Page views"), p50, p95),
					ds.Bar("Page load by device", perf.Category("device_type"), p50, p95),
				},
				{ds.Line("Daily page load p50 and p95", perf.Day("event_date"), p50, p95)},
			}},
			{ID: TechnologySheet, Name: "Technology", Description: "Sessions by device type, browser and operating system.", Rows: []ds.Row{
				{
					ds.Donut("Sessions by device type", sessions.Category("device_type"), sessionCount),
					ds.Bar("Sessions by browser", sessions.Category("browser"), sessionCount).Top(10),
					ds.Bar("Sessions by operating system", sessions.Category("os"), sessionCount).Top(10),
				},
			}},
		},
	}
	return def, def.Validate()
}
