package sql

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The set of files the stack embeds must be every .sql file in this folder: sql/tests runs
// the files it finds on disk, so together the two tests prove every shipped SQL is executed.
func TestEmbedsEverySQLFile(t *testing.T) {
	var onDisk []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".sql") {
			onDisk = append(onDisk, filepath.ToSlash(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(onDisk)
	if got := Paths(); !slices.Equal(got, onDisk) {
		t.Fatalf("embedded %v, on disk %v: keep SQL files exactly one folder below sql/", got, onDisk)
	}
}

var marker = regexp.MustCompile(`DATE '\d{4}-\d{2}-\d{2}' /\* (start_date|end_date) \*/`)

func TestAthenaQueries(t *testing.T) {
	queries := Athena()
	if len(queries) < 8 {
		t.Fatalf("got %d Athena queries, want the 8 analyses of the issue or more", len(queries))
	}
	for _, q := range queries {
		t.Run(q.Name+" has a description for the console", func(t *testing.T) {
			if q.Description == "" || len(q.Description) > 1024 {
				t.Fatalf("description %q: must be 1-1024 characters (CfnNamedQuery limit)", q.Description)
			}
		})
		t.Run(q.Name+" is date-bounded with both markers", func(t *testing.T) {
			found := map[string]bool{}
			for _, m := range marker.FindAllStringSubmatch(q.SQL, -1) {
				found[m[1]] = true
			}
			if !found["start_date"] || !found["end_date"] {
				t.Fatalf("markers %v: want DATE 'yyyy-mm-dd' /* start_date */ and /* end_date */", found)
			}
		})
		t.Run(q.Name+" fits a named query", func(t *testing.T) {
			if len(q.SQL) > 262144 || strings.TrimSpace(q.SQL) == "" {
				t.Fatalf("%d bytes", len(q.SQL))
			}
		})
	}
}

func TestMustReadPanicsOnUnknownFile(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	MustRead("athena/no_such_query.sql")
}

func TestDescription(t *testing.T) {
	if got := description("-- One.\n--\n-- Two.\nSELECT 1 -- not this\n-- nor this"); got != "One. Two." {
		t.Fatalf("got %q", got)
	}
}

func TestDirOfMissingFolderIsEmpty(t *testing.T) {
	if got := Dir("no_such_folder"); len(got) != 0 {
		t.Fatalf("got %v", got)
	}
	if _, err := os.Stat(AthenaDir); err != nil {
		t.Fatal(err)
	}
}
