// Command quicksightsql prints every QuickSight dataset as the construct ships it: the custom
// SQL QuickSight runs (RenderSQL: tables qualified with the Glue database) and the columns the
// construct declares from the file's header, so the SQL tests run and type-check exactly that.
//
//	go run ./cmd/quicksightsql -database clickstream
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/clickstream-analytics/datalake/constructs/quicksight"
)

// dataset is one QuickSight dataset in the JSON output.
type dataset struct {
	Name       string   `json:"name"`
	Path       string   `json:"path"`
	SQL        string   `json:"sql"`
	Columns    []column `json:"columns"`
	DateColumn string   `json:"dateColumn"`
}

type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func main() {
	database := flag.String("database", "", "Glue database (Athena schema) the dataset SQL is qualified with")
	flag.Parse()
	if err := write(os.Stdout, *database); err != nil {
		fmt.Fprintln(os.Stderr, "quicksightsql:", err)
		os.Exit(2)
	}
}

func write(w io.Writer, database string) error {
	out, err := datasets(database)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"database": database, "datasets": out})
}

func datasets(database string) ([]dataset, error) {
	if database == "" {
		return nil, fmt.Errorf("-database: got %q, must name the Glue database the SQL reads, e.g. clickstream", database)
	}
	loaded, err := quicksight.LoadDatasets()
	if err != nil {
		return nil, err
	}
	out := make([]dataset, 0, len(loaded))
	for _, d := range loaded {
		cols := make([]column, 0, len(d.Spec.Columns))
		for _, c := range d.Spec.Columns {
			cols = append(cols, column{Name: c.Name, Type: string(c.Type)})
		}
		out = append(out, dataset{
			Name:       d.Name,
			Path:       d.Query.Path,
			SQL:        quicksight.RenderSQL(d.Query.SQL, database),
			Columns:    cols,
			DateColumn: d.Spec.DateColumn,
		})
	}
	return out, nil
}
