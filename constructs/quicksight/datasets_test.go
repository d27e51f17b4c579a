package quicksight

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/quicksight/dashboardspec"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/sql"
)

var botFilter = regexp.MustCompile(`WHERE NOT [a-z]+\.is_bot\b`)

func TestDatasets(t *testing.T) {
	datasets, err := LoadDatasets()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range datasets {
		t.Run(d.Name+" excludes bots", func(t *testing.T) {
			if !botFilter.MatchString(d.Query.SQL) {
				t.Fatalf("no %s in %s", botFilter, d.Query.Path)
			}
		})
		t.Run(d.Name+" declares its columns and a date column for the date range", func(t *testing.T) {
			if len(d.Spec.Columns) == 0 || d.Spec.DateColumn == "" {
				t.Fatalf("columns %v, date column %q", d.Spec.Columns, d.Spec.DateColumn)
			}
			if c, ok := d.Spec.Column(d.Spec.DateColumn); !ok || c.Type != dashboardspec.DateTime {
				t.Fatalf("date column %q is not a DATETIME column", d.Spec.DateColumn)
			}
		})
		t.Run(d.Name+" selects its declared columns in order", func(t *testing.T) {
			// The last SELECT list names each output column, by alias or by qualified column.
			body := d.Query.SQL[strings.LastIndex(d.Query.SQL, "SELECT"):]
			pos := 0
			for _, c := range d.Spec.Columns {
				i := regexp.MustCompile(`(\.| AS |\s)` + c.Name + `\b`).FindStringIndex(body[pos:])
				if i == nil {
					t.Fatalf("column %s not selected (in order) by %s", c.Name, d.Query.Path)
				}
				pos += i[1]
			}
		})
	}
	t.Run("the dashboard's every field exists in its dataset with a compatible type", func(t *testing.T) {
		if _, err := Dashboard(datasets, DefaultDateRangeDays, config.DefaultReportingTimeZone); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("every dataset is used by the dashboard", func(t *testing.T) {
		def, _ := Dashboard(datasets, DefaultDateRangeDays, config.DefaultReportingTimeZone)
		arns := map[string]*string{}
		for _, d := range datasets {
			arn := "arn:aws:quicksight:eu-west-1:123456789012:dataset/" + d.Name
			arns[d.Name] = &arn
		}
		out, err := def.Dashboard(arns)
		if err != nil {
			t.Fatal(err)
		}
		sheets, _ := json.Marshal(out.Sheets)
		for _, d := range datasets {
			if !strings.Contains(string(sheets), `"dataSetIdentifier":"`+d.Name+`"`) {
				t.Errorf("no visual uses dataset %s", d.Name)
			}
		}
	})
	t.Run("a missing dataset fails with the file to add", func(t *testing.T) {
		if _, err := Dashboard(datasets[1:], DefaultDateRangeDays, config.DefaultReportingTimeZone); err == nil || !strings.Contains(err.Error(), "add sql/quicksight/") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestParseDataset(t *testing.T) {
	t.Run("reads columns and the date column from the header", func(t *testing.T) {
		d, err := parseDataset(sql.Query{Name: "x", Path: "quicksight/x.sql", SQL: "-- about x\n-- quicksight-date: day\n-- quicksight-column: day DATETIME\n-- quicksight-column: n INTEGER\nSELECT day, n FROM events AS e WHERE NOT e.is_bot\n"})
		if err != nil {
			t.Fatal(err)
		}
		want := []dashboardspec.Column{{Name: "day", Type: dashboardspec.DateTime}, {Name: "n", Type: dashboardspec.Integer}}
		if d.Spec.Identifier != "x" || d.Spec.DateColumn != "day" || len(d.Spec.Columns) != 2 || d.Spec.Columns[0] != want[0] || d.Spec.Columns[1] != want[1] {
			t.Fatalf("got %+v", d.Spec)
		}
	})
	t.Run("refuses an unknown type", func(t *testing.T) {
		_, err := parseDataset(sql.Query{Name: "x", Path: "quicksight/x.sql", SQL: "-- quicksight-date: day\n-- quicksight-column: b BOOLEAN\nSELECT true AS b\n"})
		if err == nil || !strings.Contains(err.Error(), "quicksight/x.sql: column b: got type BOOLEAN") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("refuses a file without date header", func(t *testing.T) {
		_, err := parseDataset(sql.Query{Name: "x", Path: "quicksight/x.sql", SQL: "-- quicksight-column: n INTEGER\nSELECT 1 AS n\n"})
		if err == nil || !strings.Contains(err.Error(), "quicksight/x.sql: no '-- quicksight-date: <column>' header line") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("refuses a file without column header", func(t *testing.T) {
		_, err := parseDataset(sql.Query{Name: "x", Path: "quicksight/x.sql", SQL: "-- quicksight-date: day\nSELECT 1\n"})
		if err == nil || !strings.Contains(err.Error(), "must declare its columns") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestRenderSQL(t *testing.T) {
	in := "-- header\n-- quicksight-column: n INTEGER\nWITH s AS (SELECT * FROM events AS e JOIN sessions s2 ON true)\nSELECT count(*) AS n FROM s -- from events\n"
	got := RenderSQL(in, "clickstream_prod")
	t.Run("qualifies every curated table with the database", func(t *testing.T) {
		for _, want := range []string{`FROM "clickstream_prod"."events" AS e`, `JOIN "clickstream_prod"."sessions" s2`} {
			if !strings.Contains(got, want) {
				t.Errorf("%q lacks %q", got, want)
			}
		}
		if strings.Contains(got, `"."s"`) {
			t.Errorf("qualified a CTE: %q", got)
		}
	})
	t.Run("qualifies each table of the contract", func(t *testing.T) {
		for _, table := range contract.Tables() {
			if got, want := RenderSQL("SELECT 1 FROM "+table.Name+" t", "db"), `SELECT 1 FROM "db"."`+table.Name+`" t`; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		}
	})
	t.Run("drops the header comment lines", func(t *testing.T) {
		if !strings.HasPrefix(got, "WITH s AS") {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("keeps a token's dollar sign literally", func(t *testing.T) {
		if got := RenderSQL("SELECT 1 FROM events AS e", "${Token[TOKEN.42]}"); got != `SELECT 1 FROM "${Token[TOKEN.42]}"."events" AS e` {
			t.Fatalf("got %q", got)
		}
	})
}
