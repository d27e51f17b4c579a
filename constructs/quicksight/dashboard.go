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
	TimingSheet      = "timing"
)

// Date-range parameters shared by every sheet.
const (
	StartDateParameter = "StartDate"
	EndDateParameter   = "EndDate"
)

// Dashboard describes the clickstream dashboard over the datasets (LoadDatasets). The analysis
// reuses the same description. dateRangeDays is the default date range ending today; timeZone is
// the reporting time zone of the datasets' dates, local hours and weekdays (named in the labels).
func Dashboard(datasets []*Dataset, dateRangeDays int, timeZone string) (ds.Definition, error) {
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

	perf.Calculated = bandShares()

	visitors := sessions.DistinctCount("anonymous_id").As("Visitors")
	sessionCount := sessions.Count("session_id").As("Sessions")
	day := sessions.Day("session_date")

	def := ds.Definition{
		Datasets:  specs,
		DateRange: ds.DateRange{StartParameter: StartDateParameter, EndParameter: EndDateParameter, DefaultDays: dateRangeDays, TimeZone: timeZone},
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
			{ID: PerformanceSheet, Name: "Performance", Description: "Core Web Vitals and page timings by device: good / needs-improvement / poor shares over the range and each day's p75.", Rows: []ds.Row{
				{
					ds.KPI("LCP good", perf.Calc("lcp_good_share")),
					ds.KPI("INP good", perf.Calc("inp_good_share")),
					ds.KPI("CLS good", perf.Calc("cls_good_share")),
				},
				{ds.Table("p75 by device (median of the days' p75)", []ds.Dimension{perf.Category("device_type").As("Device")},
					perf.Sum("page_views").As("Page views"),
					perf.Percentile("lcp_p75_ms", 50).As("LCP (ms)"),
					perf.Percentile("inp_p75_ms", 50).As("INP (ms)"),
					perf.Percentile("cls_p75", 50).As("CLS"),
					perf.Percentile("fcp_p75_ms", 50).As("FCP (ms)"),
					perf.Percentile("ttfb_p75_ms", 50).As("TTFB (ms)"),
					perf.Percentile("page_load_p75_ms", 50).As("Page load (ms)"),
				)},
				{
					bandsByDevice(perf, "lcp", "LCP"),
					bandsByDevice(perf, "inp", "INP"),
					bandsByDevice(perf, "cls", "CLS"),
				},
				{ds.Line("Daily good share", perf.Day("event_date"),
					perf.Calc("lcp_good_share").As("LCP"), perf.Calc("inp_good_share").As("INP"), perf.Calc("cls_good_share").As("CLS"))},
			}},
			{ID: TimingSheet, Name: "Timing", Description: "Sessions and conversions by hour of day and day of week (1 = Monday) of the sessions' start, in " + timeZone + ".", Rows: []ds.Row{
				{
					ds.Bar("Sessions and conversions by hour ("+timeZone+")", sessions.Category("local_hour").As("Hour"), sessionCount, sessions.Sum("conversions").As("Conversions")).WithID("by-hour"),
					ds.Bar("Sessions and conversions by weekday ("+timeZone+")", sessions.Category("local_day_of_week").As("Weekday"), sessionCount, sessions.Sum("conversions").As("Conversions")).WithID("by-weekday"),
				},
				{ds.Table("Weekday and hour ("+timeZone+")",
					[]ds.Dimension{sessions.Category("local_day_of_week").As("Weekday"), sessions.Category("local_hour").As("Hour")},
					sessionCount, sessions.Sum("conversions").As("Conversions"), sessions.Calc("conversion_rate").As("Conversion rate"), sessions.Sum("revenue").As("Revenue"),
				).WithID("weekday-and-hour")},
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

// WebVitals are the Core Web Vitals of the page_performance dataset (column prefixes) and Bands
// their good / needs-improvement / poor columns' suffixes.
var (
	WebVitals = []string{"lcp", "inp", "cls"}
	Bands     = []string{"good", "needs_improvement", "poor"}
)

// bandShares are the page_performance dataset's calculated fields <vital>_<band>_share: the
// band's page views over the vital's, summed over whatever days and devices a visual shows.
func bandShares() []ds.CalculatedField {
	var out []ds.CalculatedField
	for _, v := range WebVitals {
		total := fmt.Sprintf("(sum({%[1]s_good}) + sum({%[1]s_needs_improvement}) + sum({%[1]s_poor}))", v)
		for _, b := range Bands {
			out = append(out, ds.CalculatedField{Name: v + "_" + b + "_share", Expression: fmt.Sprintf("sum({%s_%s}) / %s", v, b, total)})
		}
	}
	return out
}

// bandsByDevice is a bar chart of one vital's band shares per device type.
func bandsByDevice(perf *ds.Dataset, vital, label string) ds.Visual {
	return ds.Bar(label+" by device", perf.Category("device_type"),
		perf.Calc(vital+"_good_share").As("Good"),
		perf.Calc(vital+"_needs_improvement_share").As("Needs improvement"),
		perf.Calc(vital+"_poor_share").As("Poor"))
}
