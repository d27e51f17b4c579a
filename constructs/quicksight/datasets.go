package quicksight

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/clickstream-analytics/datalake/constructs/quicksight/dashboardspec"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/sql"
)

// Dataset is one QuickSight dataset: its custom SQL (sql/quicksight/<Name>.sql) and the
// columns and date column its header declares.
type Dataset struct {
	// Name is the SQL file's name without .sql, e.g. "page_performance".
	Name string
	// Query is the embedded SQL, as the SQL harness runs it (tables unqualified).
	Query sql.Query
	// Spec is what the dashboard builder knows of the dataset.
	Spec *dashboardspec.Dataset
}

// Header lines of a dataset SQL file; see sql/quicksight/README.md.
var (
	columnLine = regexp.MustCompile(`^--\s*quicksight-column:\s*([a-z_][a-z0-9_]*)\s+([A-Z]+)\s*$`)
	dateLine   = regexp.MustCompile(`^--\s*quicksight-date:\s*([a-z_][a-z0-9_]*)\s*$`)
	// tableRef matches an unqualified reference to a curated table after FROM or JOIN.
	tableRef = regexp.MustCompile(`(?i)\b(FROM|JOIN)(\s+)(` + curatedTableNames() + `)\b`)
)

// curatedTableNames is the regexp alternation of the contract's table names.
func curatedTableNames() string {
	var names []string
	for _, t := range contract.Tables() {
		names = append(names, regexp.QuoteMeta(t.Name))
	}
	return strings.Join(names, "|")
}

// parseDataset reads a dataset's columns and date column from its SQL header.
func parseDataset(q sql.Query) (*Dataset, error) {
	ds := &dashboardspec.Dataset{Identifier: q.Name}
	for _, line := range strings.Split(q.SQL, "\n") {
		line = strings.TrimSpace(line)
		if m := columnLine.FindStringSubmatch(line); m != nil {
			t := dashboardspec.ColumnType(m[2])
			switch t {
			case dashboardspec.String, dashboardspec.Integer, dashboardspec.Decimal, dashboardspec.DateTime:
			default:
				return nil, fmt.Errorf("quicksight: %s: column %s: got type %s, must be STRING, INTEGER, DECIMAL or DATETIME", q.Path, m[1], m[2])
			}
			ds.Columns = append(ds.Columns, dashboardspec.Column{Name: m[1], Type: t})
		}
		if m := dateLine.FindStringSubmatch(line); m != nil {
			ds.DateColumn = m[1]
		}
	}
	if ds.DateColumn == "" {
		return nil, fmt.Errorf("quicksight: %s: no '-- quicksight-date: <column>' header line, every dataset SQL must name the date column the dashboard's date range and the incremental SPICE refresh filter", q.Path)
	}
	if len(ds.Columns) == 0 {
		return nil, fmt.Errorf("quicksight: %s: no '-- quicksight-column: <name> <TYPE>' header lines, every dataset SQL must declare its columns", q.Path)
	}
	return &Dataset{Name: q.Name, Query: q, Spec: ds}, nil
}

// LoadDatasets parses every dataset SQL file in sql/quicksight, sorted by name.
func LoadDatasets() ([]*Dataset, error) {
	var out []*Dataset
	for _, q := range sql.Dir(sql.QuickSightDir) {
		ds, err := parseDataset(q)
		if err != nil {
			return nil, err
		}
		out = append(out, ds)
	}
	return out, nil
}

// RenderSQL is a dataset query as QuickSight runs it: without the leading comment lines (the
// header is for the constructs and the harness; QuickSight wraps the query in a subquery) and
// with the curated tables qualified by the Glue database, since a QuickSight custom-SQL query
// runs without a default database. database may be a token.
func RenderSQL(query, database string) string {
	lines := strings.Split(query, "\n")
	for len(lines) > 0 && strings.HasPrefix(strings.TrimSpace(lines[0]), "--") {
		lines = lines[1:]
	}
	query = strings.Join(lines, "\n")
	// "$" of a token's text must not expand as a regexp group in the replacement.
	return tableRef.ReplaceAllString(query, `$1$2"`+strings.ReplaceAll(database, "$", "$$")+`"."$3"`)
}

// physicalTableID turns a dataset name into an ID QuickSight accepts ([0-9a-zA-Z-]).
func physicalTableID(name string) string { return strings.ReplaceAll(name, "_", "-") }
