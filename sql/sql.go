// Package sql embeds every SQL file the stack ships: the Athena named queries (athena/*.sql)
// and the QuickSight dataset SQL (quicksight/*.sql). The files are the single source of
// truth: the constructs embed them, and sql/tests executes each one on the ETL's real output,
// on a local Trino as AWS sends it and on DuckDB (translated from Athena's dialect by sqlglot).
//
// Date-range convention: a query bounds each partition column with date literals followed
// by a marker comment, DATE '2024-05-01' /* start_date */ and DATE '2024-05-07' /* end_date */.
// The text stays valid Athena SQL as shipped (users edit the literals); the harness, the demo
// and the scan-cost report substitute the literals next to the markers.
package sql

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Every SQL file one folder deep; the Go test checks no .sql file on disk is missed.
//
//go:embed */*.sql
var files embed.FS

// Folders of the embedded SQL.
const (
	AthenaDir     = "athena"
	QuickSightDir = "quicksight"
)

// Query is one embedded SQL file.
type Query struct {
	// Name is the file name without .sql, e.g. "daily_traffic".
	Name string
	// Path is the path below sql/, e.g. "athena/daily_traffic.sql".
	Path string
	// Description is the text of the file's leading "-- " comment lines, joined by spaces.
	Description string
	// SQL is the file's text.
	SQL string
}

// Paths lists every embedded SQL file (paths below sql/), sorted.
func Paths() []string {
	paths, err := fs.Glob(files, "*/*.sql")
	if err != nil {
		panic(err) // the pattern is a constant: unreachable
	}
	sort.Strings(paths)
	return paths
}

// Dir returns the queries of one folder (AthenaDir, QuickSightDir), sorted by name; none
// when the folder is absent.
func Dir(dir string) []Query {
	var out []Query
	for _, p := range Paths() {
		if path.Dir(p) == dir {
			out = append(out, MustRead(p))
		}
	}
	return out
}

// Athena returns the Athena named queries, sorted by name.
func Athena() []Query { return Dir(AthenaDir) }

// MustRead returns one embedded file; it panics when the path is not embedded, which fails
// synth (a construct asked for SQL that does not exist).
func MustRead(p string) Query {
	data, err := files.ReadFile(p)
	if err != nil {
		panic("sql: " + p + " is not an embedded SQL file: " + err.Error())
	}
	text := string(data)
	return Query{
		Name:        strings.TrimSuffix(path.Base(p), ".sql"),
		Path:        p,
		Description: description(text),
		SQL:         text,
	}
}

// description joins the leading "-- " comment lines.
func description(text string) string {
	var parts []string
	for _, line := range strings.Split(text, "\n") {
		comment, ok := strings.CutPrefix(strings.TrimSpace(line), "--")
		if !ok {
			break
		}
		if c := strings.TrimSpace(comment); c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, " ")
}
