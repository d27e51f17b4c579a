// Package dashboardspec is a small typed builder for QuickSight dashboards: datasets and their
// columns, fields (dimensions and measures), visuals and sheets. A Definition reads like a
// description of the dashboard; Dashboard() emits the typed awsquicksight.CfnDashboard_*
// structs, so the compiler checks every shape, and AnalysisDefinition() reuses the very same
// output for the analysis. Validate() proves that every field a visual uses exists in its
// dataset with a compatible type before anything is synthesized.
//
// The package is pure Go: building and validating a Definition needs no jsii runtime.
package dashboardspec

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// ColumnType is a QuickSight dataset column type (CustomSql InputColumn.Type).
type ColumnType string

// The column types the builder supports.
const (
	String   ColumnType = "STRING"
	Integer  ColumnType = "INTEGER"
	Decimal  ColumnType = "DECIMAL"
	DateTime ColumnType = "DATETIME"
)

func (t ColumnType) numeric() bool { return t == Integer || t == Decimal }

// Column is one column of a dataset.
type Column struct {
	Name string
	Type ColumnType
}

// Dataset is a dataset as the definition sees it: the identifier visuals use and its columns.
type Dataset struct {
	// Identifier names the dataset inside the definition (DataSetIdentifierDeclarations).
	Identifier string
	// Columns are the dataset's output columns.
	Columns []Column
	// DateColumn is filtered by the dashboard's date range. Default: "" (not filtered).
	DateColumn string
	// Calculated are the dataset's aggregated calculated fields, usable as measures by name.
	Calculated []CalculatedField
}

// CalculatedField is an aggregated QuickSight expression over a dataset's columns, for example
// `sum({conversions}) / count({session_id})`.
type CalculatedField struct {
	Name       string
	Expression string
}

// Column returns the column named name.
func (d *Dataset) Column(name string) (Column, bool) {
	for _, c := range d.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

func (d *Dataset) calculated(name string) (CalculatedField, bool) {
	for _, c := range d.Calculated {
		if c.Name == name {
			return c, true
		}
	}
	return CalculatedField{}, false
}

// Dimension groups or slices a visual: a category, or a date at a granularity.
type Dimension struct {
	dataset     *Dataset
	column      string
	granularity string // "" for a categorical dimension
	label       string
}

// Category is a categorical (string) dimension.
func (d *Dataset) Category(column string) Dimension { return Dimension{dataset: d, column: column} }

// Day is a date dimension at day granularity.
func (d *Dataset) Day(column string) Dimension {
	return Dimension{dataset: d, column: column, granularity: "DAY"}
}

// As sets the label shown for the dimension in tables.
func (f Dimension) As(label string) Dimension { f.label = label; return f }

// aggregation of a measure.
type aggregation string

const (
	aggSum           aggregation = "SUM"
	aggAverage       aggregation = "AVERAGE"
	aggCount         aggregation = "COUNT"
	aggDistinctCount aggregation = "DISTINCT_COUNT"
	aggPercentile    aggregation = "PERCENTILE"
	aggMin           aggregation = "MIN"
	aggNone          aggregation = "" // an aggregated calculated field
)

// Measure is an aggregated value: a sum, count, distinct count, percentile or an aggregated
// calculated field.
type Measure struct {
	dataset    *Dataset
	column     string
	agg        aggregation
	percentile float64
	label      string
}

// Sum adds up a numeric column.
func (d *Dataset) Sum(column string) Measure { return Measure{dataset: d, column: column, agg: aggSum} }

// Average averages a numeric column.
func (d *Dataset) Average(column string) Measure {
	return Measure{dataset: d, column: column, agg: aggAverage}
}

// Count counts the non-null values of a column.
func (d *Dataset) Count(column string) Measure {
	return Measure{dataset: d, column: column, agg: aggCount}
}

// DistinctCount counts the distinct values of a column.
func (d *Dataset) DistinctCount(column string) Measure {
	return Measure{dataset: d, column: column, agg: aggDistinctCount}
}

// Min is the smallest value of a numeric column (used to order funnel stages).
func (d *Dataset) Min(column string) Measure { return Measure{dataset: d, column: column, agg: aggMin} }

// Percentile is the p-th percentile (0-100) of a numeric column.
func (d *Dataset) Percentile(column string, p float64) Measure {
	return Measure{dataset: d, column: column, agg: aggPercentile, percentile: p}
}

// Calc uses one of the dataset's aggregated calculated fields as a measure.
func (d *Dataset) Calc(name string) Measure { return Measure{dataset: d, column: name, agg: aggNone} }

// As sets the label shown for the measure in tables.
func (m Measure) As(label string) Measure { m.label = label; return m }

// VisualKind is the kind of a visual.
type VisualKind string

// The visual kinds the builder supports.
const (
	KindKPI    VisualKind = "KPI"
	KindLine   VisualKind = "LINE"
	KindBar    VisualKind = "BAR"
	KindDonut  VisualKind = "DONUT"
	KindTable  VisualKind = "TABLE"
	KindFunnel VisualKind = "FUNNEL"
)

// Visual is one visual of a sheet. Build it with KPI, Line, Bar, Donut, Table or Funnel.
type Visual struct {
	Kind   VisualKind
	ID     string // derived from the title unless set with WithID
	Title  string
	dims   []Dimension
	values []Measure
	order  *Measure // category order (ascending) instead of the first value (descending)
	limit  int
}

// KPI shows one measure as a big number.
func KPI(title string, value Measure) Visual {
	return Visual{Kind: KindKPI, Title: title, values: []Measure{value}}
}

// Line plots measures over a date dimension.
func Line(title string, x Dimension, values ...Measure) Visual {
	return Visual{Kind: KindLine, Title: title, dims: []Dimension{x}, values: values}
}

// Bar compares measures across the categories of a dimension, largest first.
func Bar(title string, category Dimension, values ...Measure) Visual {
	return Visual{Kind: KindBar, Title: title, dims: []Dimension{category}, values: values}
}

// Donut shows the share of each category in one measure.
func Donut(title string, category Dimension, value Measure) Visual {
	return Visual{Kind: KindDonut, Title: title, dims: []Dimension{category}, values: []Measure{value}}
}

// Table lists measures grouped by one or more dimensions, largest first value first.
func Table(title string, groupBy []Dimension, values ...Measure) Visual {
	return Visual{Kind: KindTable, Title: title, dims: groupBy, values: values}
}

// Funnel shows one measure across ordered stages; order sorts the stages ascending.
func Funnel(title string, stage Dimension, value, order Measure) Visual {
	return Visual{Kind: KindFunnel, Title: title, dims: []Dimension{stage}, values: []Measure{value}, order: &order}
}

// Top keeps the n largest categories of a bar chart or donut.
func (v Visual) Top(n int) Visual { v.limit = n; return v }

// WithID sets the visual's ID instead of deriving it from the title.
func (v Visual) WithID(id string) Visual { v.ID = id; return v }

// Row is a row of visuals sharing the sheet's width equally.
type Row []Visual

// Sheet is one tab of the dashboard.
type Sheet struct {
	ID          string
	Name        string
	Description string
	Rows        []Row
}

// DateRange is the dashboard-wide date range: two date parameters, a start and an end picker
// on every sheet, and one filter per dataset on its DateColumn, scoped to every sheet.
type DateRange struct {
	// StartParameter and EndParameter name the parameters (letters and digits).
	StartParameter, EndParameter string
	// DefaultDays is the default range ending today. Must be positive.
	DefaultDays int
	// TimeZone names the zone of the dates in the pickers' titles ("Start date (Asia/Seoul)").
	// Default: "" (no zone in the titles).
	TimeZone string
}

// Definition describes a dashboard: its datasets, date range and sheets.
type Definition struct {
	Datasets  []*Dataset
	DateRange DateRange
	Sheets    []Sheet
}

// Layout constants: QuickSight's grid is 36 columns wide.
const (
	GridColumns       = 36
	kpiRowSpan        = 6
	chartRowSpan      = 12
	tableRowSpan      = 14
	controlColumnSpan = 6
	controlRowSpan    = 1
)

var (
	idPattern        = regexp.MustCompile(`^[\w-]+$`)
	parameterPattern = regexp.MustCompile(`^[a-zA-Z0-9]+$`)
	fieldRefPattern  = regexp.MustCompile(`\{([^}]+)\}`)
	slugPattern      = regexp.MustCompile(`[^a-z0-9]+`)
)

func slug(s string) string {
	return strings.Trim(slugPattern.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// visualID is the sheet-qualified ID of v, unique across the definition.
func visualID(sheet Sheet, v Visual) string {
	id := v.ID
	if id == "" {
		id = slug(v.Title)
	}
	return sheet.ID + "-" + id
}

func (f Dimension) describe() string {
	return fmt.Sprintf("dimension %s.%s", f.dataset.Identifier, f.column)
}
func (m Measure) describe() string {
	return fmt.Sprintf("measure %s(%s.%s)", strings.ToLower(string(m.agg)), m.dataset.Identifier, m.column)
}

// Validate reports every problem of the definition at once: unknown datasets and columns,
// incompatible column types, duplicate or malformed IDs, and visuals with the wrong number of
// fields.
func (d Definition) Validate() error {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	declared := map[*Dataset]bool{}
	ids := map[string]bool{}
	for i, ds := range d.Datasets {
		if ds == nil || ds.Identifier == "" {
			fail("datasets[%d]: identifier is empty, must name the dataset", i)
			continue
		}
		if ids[ds.Identifier] {
			fail("datasets[%d]: identifier %q is declared twice", i, ds.Identifier)
		}
		ids[ds.Identifier] = true
		declared[ds] = true
		if ds.DateColumn != "" {
			if c, ok := ds.Column(ds.DateColumn); !ok || c.Type != DateTime {
				fail("dataset %s: date column %q must be a DATETIME column of the dataset", ds.Identifier, ds.DateColumn)
			}
		}
		for _, cf := range ds.Calculated {
			if _, clash := ds.Column(cf.Name); clash {
				fail("dataset %s: calculated field %q has the name of a column", ds.Identifier, cf.Name)
			}
			for _, ref := range fieldRefPattern.FindAllStringSubmatch(cf.Expression, -1) {
				if _, ok := ds.Column(ref[1]); !ok {
					fail("dataset %s: calculated field %q uses {%s}, which is not a column of the dataset", ds.Identifier, cf.Name, ref[1])
				}
			}
		}
	}

	r := d.DateRange
	if !parameterPattern.MatchString(r.StartParameter) || !parameterPattern.MatchString(r.EndParameter) || r.StartParameter == r.EndParameter {
		fail("date range: parameters %q and %q must be two different names of letters and digits", r.StartParameter, r.EndParameter)
	}
	if r.DefaultDays <= 0 {
		fail("date range: default days: got %d, must be positive", r.DefaultDays)
	}

	if len(d.Sheets) == 0 || len(d.Sheets) > 20 {
		fail("sheets: got %d, must be between 1 and 20", len(d.Sheets))
	}
	sheetIDs, visualIDs := map[string]bool{}, map[string]bool{}
	for _, sh := range d.Sheets {
		if !idPattern.MatchString(sh.ID) || sheetIDs[sh.ID] {
			fail("sheet %q: ID must be unique and match %s", sh.ID, idPattern)
		}
		sheetIDs[sh.ID] = true
		if sh.Name == "" {
			fail("sheet %s: name is empty", sh.ID)
		}
		count := 0
		for _, row := range sh.Rows {
			if len(row) == 0 || len(row) > GridColumns/6 {
				fail("sheet %s: a row has %d visuals, must have 1 to %d", sh.ID, len(row), GridColumns/6)
			}
			for _, v := range row {
				count++
				vid := visualID(sh, v)
				if !idPattern.MatchString(vid) || visualIDs[vid] {
					fail("visual %q: ID must be unique and match %s", vid, idPattern)
				}
				visualIDs[vid] = true
				for _, e := range v.validate(declared) {
					fail("visual %s: %s", vid, e)
				}
			}
		}
		if count == 0 || count > 50 {
			fail("sheet %s: got %d visuals, must have 1 to 50", sh.ID, count)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	sort.Strings(errs)
	return fmt.Errorf("dashboardspec: %s", strings.Join(errs, "; "))
}

func (v Visual) validate(declared map[*Dataset]bool) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if v.Title == "" {
		fail("title is empty")
	}
	dims, vals := len(v.dims), len(v.values)
	switch v.Kind {
	case KindKPI:
		if dims != 0 || vals != 1 {
			fail("a KPI takes one measure and no dimension, got %d and %d", vals, dims)
		}
	case KindLine:
		if dims != 1 || vals == 0 || v.dims[0].granularity == "" {
			fail("a line chart takes one date dimension and at least one measure")
		}
	case KindBar, KindDonut, KindFunnel:
		if dims != 1 || vals == 0 || (v.Kind != KindBar && vals != 1) {
			fail("a %s takes one dimension and %s", strings.ToLower(string(v.Kind)), map[bool]string{true: "at least one measure", false: "one measure"}[v.Kind == KindBar])
		}
	case KindTable:
		if dims == 0 || vals == 0 {
			fail("a table takes at least one dimension and one measure")
		}
	default:
		fail("unknown kind %q", v.Kind)
	}
	if v.limit < 0 || (v.limit > 0 && v.Kind != KindBar && v.Kind != KindDonut) {
		fail("top: got %d, must be positive and only on a bar chart or donut", v.limit)
	}
	for _, f := range v.dims {
		if f.dataset == nil || !declared[f.dataset] {
			fail("%s: dataset is not declared in the definition", f.column)
			continue
		}
		c, ok := f.dataset.Column(f.column)
		switch {
		case !ok:
			fail("%s: no such column", f.describe())
		case f.granularity != "" && c.Type != DateTime:
			fail("%s: a date dimension needs a DATETIME column, got %s", f.describe(), c.Type)
		case f.granularity == "" && c.Type == DateTime:
			fail("%s: a DATETIME column must be used as a date dimension (Day)", f.describe())
		}
	}
	measures := v.values
	if v.order != nil {
		measures = append(append([]Measure{}, measures...), *v.order)
	}
	for _, m := range measures {
		if m.dataset == nil || !declared[m.dataset] {
			fail("%s: dataset is not declared in the definition", m.column)
			continue
		}
		if m.agg == aggNone {
			if _, ok := m.dataset.calculated(m.column); !ok {
				fail("%s: no such calculated field", m.describe())
			}
			continue
		}
		c, ok := m.dataset.Column(m.column)
		switch {
		case !ok:
			fail("%s: no such column", m.describe())
		case (m.agg == aggSum || m.agg == aggAverage || m.agg == aggPercentile || m.agg == aggMin) && !c.Type.numeric():
			fail("%s: needs an INTEGER or DECIMAL column, got %s", m.describe(), c.Type)
		case m.agg == aggPercentile && (m.percentile <= 0 || m.percentile >= 100):
			fail("%s: percentile %v must be between 0 and 100", m.describe(), m.percentile)
		}
	}
	// Every field of a visual comes from one dataset: QuickSight cannot join at visual level.
	used := map[string]bool{}
	for _, f := range v.dims {
		if f.dataset != nil {
			used[f.dataset.Identifier] = true
		}
	}
	for _, m := range measures {
		if m.dataset != nil {
			used[m.dataset.Identifier] = true
		}
	}
	if len(used) > 1 {
		names := make([]string, 0, len(used))
		for n := range used {
			names = append(names, n)
		}
		sort.Strings(names)
		fail("mixes datasets %s: every field of a visual must come from one dataset", strings.Join(names, ", "))
	}
	return errs
}
