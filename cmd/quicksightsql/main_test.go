package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/clickstream-analytics/datalake/sql"
)

func TestQuickSightSQL(t *testing.T) {
	t.Run("prints every dataset file, rendered for the database, with its declared columns", func(t *testing.T) {
		var buf bytes.Buffer
		if err := write(&buf, "clickstream_dev"); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Database string    `json:"database"`
			Datasets []dataset `json:"datasets"`
		}
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		files := sql.Dir(sql.QuickSightDir)
		if got.Database != "clickstream_dev" || len(got.Datasets) != len(files) {
			t.Fatalf("got database %q and %d datasets, want clickstream_dev and %d", got.Database, len(got.Datasets), len(files))
		}
		for i, d := range got.Datasets {
			if d.Path != files[i].Path || d.Name != files[i].Name {
				t.Errorf("dataset %d: got %s (%s), want %s", i, d.Name, d.Path, files[i].Path)
			}
			if !strings.Contains(d.SQL, `"clickstream_dev".`) || strings.HasPrefix(d.SQL, "--") {
				t.Errorf("%s: SQL not as QuickSight runs it (qualified, header stripped): %.80q", d.Name, d.SQL)
			}
			if len(d.Columns) == 0 || d.Columns[0].Name == "" || d.Columns[0].Type == "" {
				t.Errorf("%s: no declared columns: %+v", d.Name, d.Columns)
			}
		}
	})
	t.Run("a missing database is an error naming the flag", func(t *testing.T) {
		err := write(&bytes.Buffer{}, "")
		if err == nil || !strings.Contains(err.Error(), "-database") {
			t.Fatalf("got %v, want an error naming -database", err)
		}
	})
}
