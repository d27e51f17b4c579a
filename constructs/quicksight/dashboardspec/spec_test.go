package dashboardspec

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// fixture is a small two-dataset definition exercising every visual kind.
func fixture() (Definition, *Dataset, *Dataset) {
	sessions := &Dataset{
		Identifier: "sessions",
		DateColumn: "session_date",
		Columns: []Column{
			{"session_date", DateTime}, {"session_id", String}, {"anonymous_id", String},
			{"channel", String}, {"page_views", Integer}, {"conversions", Integer}, {"revenue", Decimal},
		},
		Calculated: []CalculatedField{{"conversion_rate", "sum({conversions}) / count({session_id})"}},
	}
	funnel := &Dataset{
		Identifier: "funnel",
		DateColumn: "session_date",
		Columns:    []Column{{"session_date", DateTime}, {"step", String}, {"step_order", Integer}, {"sessions", Integer}},
	}
	def := Definition{
		Datasets:  []*Dataset{sessions, funnel},
		DateRange: DateRange{StartParameter: "StartDate", EndParameter: "EndDate", DefaultDays: 30},
		Sheets: []Sheet{
			{ID: "overview", Name: "Overview", Rows: []Row{
				{KPI("Visitors", sessions.DistinctCount("anonymous_id")), KPI("Conversion rate", sessions.Calc("conversion_rate")), KPI("Revenue", sessions.Sum("revenue"))},
				{Line("Daily sessions", sessions.Day("session_date"), sessions.Count("session_id"))},
			}},
			{ID: "detail", Name: "Detail", Rows: []Row{
				{Bar("By channel", sessions.Category("channel"), sessions.Sum("page_views")).Top(5), Donut("Share", sessions.Category("channel"), sessions.Sum("revenue"))},
				{Table("Channels", []Dimension{sessions.Category("channel").As("Channel")}, sessions.Count("session_id").As("Sessions"), sessions.Average("page_views"))},
				{Funnel("Funnel", funnel.Category("step"), funnel.Sum("sessions"), funnel.Min("step_order"))},
				{Line("p95 page views", sessions.Day("session_date"), sessions.Percentile("page_views", 95))},
			}},
		},
	}
	return def, sessions, funnel
}

func arns(def Definition) map[string]*string {
	out := map[string]*string{}
	for _, ds := range def.Datasets {
		out[ds.Identifier] = jsii.String("arn:aws:quicksight:eu-west-1:123456789012:dataset/" + ds.Identifier)
	}
	return out
}

// generic renders v as jsii sends it to CDK: JSON with jsii's camelCase names, without unset
// (null) fields.
func generic(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return dropNulls(out)
}

func emitted(t *testing.T) map[string]any {
	t.Helper()
	def, _, _ := fixture()
	out, err := def.Dashboard(arns(def))
	if err != nil {
		t.Fatal(err)
	}
	return generic(t, out).(map[string]any)
}

func TestValidate(t *testing.T) {
	other := &Dataset{Identifier: "other", Columns: []Column{{"x", String}}}
	cases := []struct {
		name   string
		change func(d *Definition, s, f *Dataset)
		want   string
	}{
		{"the fixture is valid", func(*Definition, *Dataset, *Dataset) {}, ""},
		{"a column must exist in its dataset", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[0][0] = KPI("Visitors", s.DistinctCount("visitor_id"))
		}, "measure distinct_count(sessions.visitor_id): no such column"},
		{"a sum needs a numeric column", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[0][0] = KPI("Channels", s.Sum("channel"))
		}, "measure sum(sessions.channel): needs an INTEGER or DECIMAL column, got STRING"},
		{"a percentile needs a numeric column", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[0][0] = KPI("p50", s.Percentile("session_id", 50))
		}, "needs an INTEGER or DECIMAL column"},
		{"a percentile is between 0 and 100", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[0][0] = KPI("p", s.Percentile("page_views", 100))
		}, "percentile 100 must be between 0 and 100"},
		{"a date dimension needs a DATETIME column", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[1][0] = Line("Daily", s.Day("channel"), s.Count("session_id"))
		}, "a date dimension needs a DATETIME column, got STRING"},
		{"a DATETIME column is not a category", func(d *Definition, s, _ *Dataset) {
			d.Sheets[1].Rows[0][0] = Bar("By day", s.Category("session_date"), s.Count("session_id"))
		}, "a DATETIME column must be used as a date dimension"},
		{"a calculated field must be declared", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[0][1] = KPI("Bounce rate", s.Calc("bounce_rate"))
		}, "measure (sessions.bounce_rate): no such calculated field"},
		{"a calculated field uses existing columns", func(_ *Definition, s, _ *Dataset) {
			s.Calculated = append(s.Calculated, CalculatedField{"aov", "sum({revenue}) / sum({orders})"})
		}, `calculated field "aov" uses {orders}`},
		{"a visual uses one dataset", func(d *Definition, s, f *Dataset) {
			d.Sheets[1].Rows[0][0] = Bar("Mixed", f.Category("step"), s.Count("session_id"))
		}, "mixes datasets funnel, sessions"},
		{"a dataset must be declared", func(d *Definition, _, _ *Dataset) {
			d.Sheets[0].Rows[0][0] = KPI("Other", other.Count("x"))
		}, "x: dataset is not declared"},
		{"visual IDs are unique", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[0][1] = KPI("Visitors", s.Count("session_id"))
		}, `visual "overview-visitors": ID must be unique`},
		{"WithID resolves a title clash", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[0][1] = KPI("Visitors", s.Count("session_id")).WithID("visitors-2")
		}, ""},
		{"a KPI has exactly one measure", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[0][0] = Visual{Kind: KindKPI, Title: "Two", values: []Measure{s.Count("session_id"), s.Sum("revenue")}}
		}, "a KPI takes one measure"},
		{"a line chart needs a date dimension", func(d *Definition, s, _ *Dataset) {
			d.Sheets[0].Rows[1][0] = Line("By channel", s.Category("channel"), s.Count("session_id"))
		}, "a line chart takes one date dimension"},
		{"Top is for bars and donuts", func(d *Definition, s, _ *Dataset) {
			d.Sheets[1].Rows[1][0] = Table("T", []Dimension{s.Category("channel")}, s.Count("session_id")).Top(3)
		}, "top: got 3"},
		{"sheet IDs are unique", func(d *Definition, _, _ *Dataset) { d.Sheets[1].ID = "overview" }, `sheet "overview": ID must be unique`},
		{"a row has at most six visuals", func(d *Definition, s, _ *Dataset) {
			var row Row
			for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
				row = append(row, KPI(n, s.Count("session_id")))
			}
			d.Sheets[0].Rows = append(d.Sheets[0].Rows, row)
		}, "a row has 7 visuals"},
		{"the date column is a DATETIME column", func(_ *Definition, s, _ *Dataset) { s.DateColumn = "channel" }, `date column "channel" must be a DATETIME column`},
		{"parameters are alphanumeric and distinct", func(d *Definition, _, _ *Dataset) { d.DateRange.EndParameter = "StartDate" }, "must be two different names"},
		{"the default range is positive", func(d *Definition, _, _ *Dataset) { d.DateRange.DefaultDays = 0 }, "default days: got 0"},
		{"dataset identifiers are unique", func(d *Definition, s, _ *Dataset) { d.Datasets = append(d.Datasets, s) }, `identifier "sessions" is declared twice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			def, s, f := fixture()
			c.change(&def, s, f)
			err := def.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
	t.Run("Dashboard refuses an invalid definition", func(t *testing.T) {
		def, _, _ := fixture()
		def.Sheets = nil
		if _, err := def.Dashboard(arns(def)); err == nil || !strings.Contains(err.Error(), "sheets: got 0") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("Dashboard needs every dataset's ARN", func(t *testing.T) {
		def, _, _ := fixture()
		a := arns(def)
		delete(a, "funnel")
		if _, err := def.Dashboard(a); err == nil || !strings.Contains(err.Error(), "dataset funnel: no dataset ARN") {
			t.Fatalf("got %v", err)
		}
	})
}

// visuals returns the emitted visuals of a sheet by visual ID, unwrapped from their kind.
func visuals(t *testing.T, out map[string]any, sheet int) map[string]map[string]any {
	t.Helper()
	res := map[string]map[string]any{}
	for _, v := range out["sheets"].([]any)[sheet].(map[string]any)["visuals"].([]any) {
		for kind, body := range v.(map[string]any) {
			b := body.(map[string]any)
			b["kind"] = kind
			res[b["visualId"].(string)] = b
		}
	}
	return res
}

func path(v any, keys ...any) any {
	for _, k := range keys {
		switch key := k.(type) {
		case string:
			v = v.(map[string]any)[key]
		case int:
			v = v.([]any)[key]
		}
	}
	return v
}

func TestEmit(t *testing.T) {
	out := emitted(t)
	overview, detail := visuals(t, out, 0), visuals(t, out, 1)

	t.Run("declares every dataset with its ARN", func(t *testing.T) {
		decl := out["dataSetIdentifierDeclarations"].([]any)
		if len(decl) != 2 || path(decl, 1, "identifier") != "funnel" || !strings.HasSuffix(path(decl, 1, "dataSetArn").(string), "dataset/funnel") {
			t.Fatalf("got %v", decl)
		}
	})
	t.Run("a distinct count of a string column is a categorical measure", func(t *testing.T) {
		m := path(overview["overview-visitors"], "chartConfiguration", "fieldWells", "values", 0, "categoricalMeasureField")
		want := map[string]any{"fieldId": "overview-visitors.m0", "aggregationFunction": "DISTINCT_COUNT",
			"column": map[string]any{"dataSetIdentifier": "sessions", "columnName": "anonymous_id"}}
		if !reflect.DeepEqual(m, want) || overview["overview-visitors"]["kind"] != "kpiVisual" {
			t.Fatalf("got %v", overview["overview-visitors"])
		}
	})
	t.Run("a calculated field is declared once and used without a second aggregation", func(t *testing.T) {
		calc := out["calculatedFields"].([]any)
		if len(calc) != 1 || path(calc, 0, "name") != "conversion_rate" || path(calc, 0, "dataSetIdentifier") != "sessions" {
			t.Fatalf("calculated fields %v", calc)
		}
		m := path(overview["overview-conversion-rate"], "chartConfiguration", "fieldWells", "values", 0, "numericalMeasureField").(map[string]any)
		if _, agg := m["aggregationFunction"]; agg || path(m, "column", "columnName") != "conversion_rate" {
			t.Fatalf("got %v", m)
		}
	})
	t.Run("a sum is a numerical measure", func(t *testing.T) {
		m := path(overview["overview-revenue"], "chartConfiguration", "fieldWells", "values", 0, "numericalMeasureField", "aggregationFunction")
		if !reflect.DeepEqual(m, map[string]any{"simpleNumericalAggregation": "SUM"}) {
			t.Fatalf("got %v", m)
		}
	})
	t.Run("a percentile is a percentile aggregation", func(t *testing.T) {
		m := path(detail["detail-p95-page-views"], "chartConfiguration", "fieldWells", "lineChartAggregatedFieldWells", "values", 0, "numericalMeasureField", "aggregationFunction")
		if !reflect.DeepEqual(m, map[string]any{"percentileAggregation": map[string]any{"percentileValue": 95.0}}) {
			t.Fatalf("got %v", m)
		}
	})
	t.Run("a line chart plots a daily date dimension in date order", func(t *testing.T) {
		cfg := path(overview["overview-daily-sessions"], "chartConfiguration").(map[string]any)
		dim := path(cfg, "fieldWells", "lineChartAggregatedFieldWells", "category", 0, "dateDimensionField")
		if path(dim, "dateGranularity") != "DAY" || path(cfg, "sortConfiguration", "categorySort", 0, "fieldSort", "direction") != "ASC" {
			t.Fatalf("got %v", cfg)
		}
	})
	t.Run("a bar chart is sorted by its first value and limited by Top", func(t *testing.T) {
		sortCfg := path(detail["detail-by-channel"], "chartConfiguration", "sortConfiguration")
		want := map[string]any{
			"categorySort":       []any{map[string]any{"fieldSort": map[string]any{"fieldId": "detail-by-channel.m0", "direction": "DESC"}}},
			"categoryItemsLimit": map[string]any{"itemsLimit": 5.0, "otherCategories": "INCLUDE"},
		}
		if !reflect.DeepEqual(sortCfg, want) {
			t.Fatalf("got %v", sortCfg)
		}
	})
	t.Run("a donut is a pie chart with an arc", func(t *testing.T) {
		if detail["detail-share"]["kind"] != "pieChartVisual" || path(detail["detail-share"], "chartConfiguration", "donutOptions", "arcOptions", "arcThickness") != "MEDIUM" {
			t.Fatalf("got %v", detail["detail-share"])
		}
	})
	t.Run("a table labels the fields given a label", func(t *testing.T) {
		opts := path(detail["detail-channels"], "chartConfiguration", "fieldOptions", "selectedFieldOptions").([]any)
		if len(opts) != 2 || path(opts, 0, "customLabel") != "Channel" || path(opts, 1, "fieldId") != "detail-channels.m0" {
			t.Fatalf("got %v", opts)
		}
	})
	t.Run("a funnel orders its stages by the order column", func(t *testing.T) {
		sortBy := path(detail["detail-funnel"], "chartConfiguration", "sortConfiguration", "categorySort", 0, "columnSort")
		want := map[string]any{
			"sortBy":              map[string]any{"dataSetIdentifier": "funnel", "columnName": "step_order"},
			"direction":           "ASC",
			"aggregationFunction": map[string]any{"numericalAggregationFunction": map[string]any{"simpleNumericalAggregation": "MIN"}},
		}
		if !reflect.DeepEqual(sortBy, want) {
			t.Fatalf("got %v", sortBy)
		}
	})
	t.Run("each row fills the 36-column grid below the previous row", func(t *testing.T) {
		for _, sheet := range out["sheets"].([]any) {
			elements := path(sheet, "layouts", 0, "configuration", "gridLayout", "elements").([]any)
			widths, top := map[float64]float64{}, map[float64]bool{}
			for _, e := range elements {
				m := e.(map[string]any)
				widths[m["rowIndex"].(float64)] += m["columnSpan"].(float64)
				top[m["rowIndex"].(float64)] = true
			}
			for row, w := range widths {
				if w != GridColumns {
					t.Errorf("sheet %v row at %v spans %v columns", path(sheet, "sheetId"), row, w)
				}
			}
		}
		elements := path(out, "sheets", 0, "layouts", 0, "configuration", "gridLayout", "elements").([]any)
		if path(elements, 3, "rowIndex") != float64(kpiRowSpan) || path(elements, 0, "columnSpan") != 12.0 {
			t.Fatalf("KPI row then line row: %v", elements)
		}
	})
	t.Run("the date range filters every dataset with a date column on every sheet", func(t *testing.T) {
		groups := out["filterGroups"].([]any)
		if len(groups) != 2 {
			t.Fatalf("got %d filter groups, want one per dataset", len(groups))
		}
		for i, ds := range []string{"sessions", "funnel"} {
			g := groups[i].(map[string]any)
			f := path(g, "filters", 0, "timeRangeFilter")
			if g["crossDataset"] != "SINGLE_DATASET" || path(f, "column", "dataSetIdentifier") != ds ||
				path(f, "rangeMinimumValue", "parameter") != "StartDate" || path(f, "rangeMaximumValue", "parameter") != "EndDate" ||
				path(f, "includeMinimum") != true || path(f, "includeMaximum") != true {
				t.Errorf("group %v", g)
			}
			scopes := path(g, "scopeConfiguration", "selectedSheets", "sheetVisualScopingConfigurations").([]any)
			if len(scopes) != 2 || path(scopes, 0, "scope") != "ALL_VISUALS" || path(scopes, 1, "sheetId") != "detail" {
				t.Errorf("scopes %v", scopes)
			}
		}
	})
	t.Run("every sheet shows start and end date pickers", func(t *testing.T) {
		for _, sheet := range out["sheets"].([]any) {
			controls := path(sheet, "parameterControls").([]any)
			layout := path(sheet, "sheetControlLayouts", 0, "configuration", "gridLayout", "elements").([]any)
			if len(controls) != 2 || path(controls, 0, "dateTimePicker", "sourceParameterName") != "StartDate" ||
				path(controls, 1, "dateTimePicker", "sourceParameterName") != "EndDate" || len(layout) != 2 {
				t.Errorf("sheet %v controls %v layout %v", path(sheet, "sheetId"), controls, layout)
			}
		}
	})
	t.Run("the range defaults to the last DefaultDays days", func(t *testing.T) {
		params := out["parameterDeclarations"].([]any)
		start := path(params, 0, "dateTimeParameterDeclaration", "defaultValues", "rollingDate", "expression")
		end := path(params, 1, "dateTimeParameterDeclaration", "defaultValues", "rollingDate", "expression")
		if start != "addDateTime(-30, 'DD', truncDate('DD', now()))" || end != "truncDate('DD', now())" {
			t.Fatalf("got %v and %v", start, end)
		}
	})
}

func TestAnalysisDefinition(t *testing.T) {
	def, _, _ := fixture()
	dashboard, err := def.Dashboard(arns(def))
	if err != nil {
		t.Fatal(err)
	}
	analysis, err := AnalysisDefinition(dashboard)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("serializes exactly like the dashboard definition", func(t *testing.T) {
		if a, d := generic(t, analysis), generic(t, dashboard); !reflect.DeepEqual(a, d) {
			t.Fatalf("analysis %v\ndashboard %v", a, d)
		}
	})
	t.Run("carries no null for unset fields", func(t *testing.T) {
		raw, _ := json.Marshal(analysis.Sheets)
		if strings.Contains(string(raw), "null") {
			t.Fatalf("nulls in %s", raw)
		}
	})
	t.Run("does not modify the dashboard definition", func(t *testing.T) {
		again, _ := def.Dashboard(arns(def))
		if !reflect.DeepEqual(generic(t, again), generic(t, dashboard)) {
			t.Fatal("the dashboard definition changed")
		}
	})
}
