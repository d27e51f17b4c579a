package contract

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	identifier = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	hiveType   = regexp.MustCompile(`^(string|int|bigint|boolean|timestamp|date|double|decimal\(\d+,\d+\))$`)
)

func TestTables(t *testing.T) {
	for _, table := range Tables() {
		t.Run(table.Name+" columns are unique Athena identifiers with Hive types", func(t *testing.T) {
			seen := map[string]bool{}
			for _, c := range append(table.Columns, table.PartitionKey) {
				if !identifier.MatchString(c.Name) || seen[c.Name] {
					t.Errorf("column %q is not a unique lower-case identifier", c.Name)
				}
				if !hiveType.MatchString(c.Type) {
					t.Errorf("column %s has type %q, not one the catalog maps", c.Name, c.Type)
				}
				if c.Comment == "" {
					t.Errorf("column %s has no comment", c.Name)
				}
				seen[c.Name] = true
			}
		})
		t.Run(table.Name+" lives in its own folder and is partitioned by date", func(t *testing.T) {
			if table.Prefix != table.Name+"/" || table.PartitionKey.Type != TypeDate {
				t.Fatalf("prefix %q, partition %+v", table.Prefix, table.PartitionKey)
			}
		})
	}
}

func TestJobArguments(t *testing.T) {
	seen := map[string]bool{}
	for _, name := range append(JobArgumentNames(), OptionalJobArgumentNames()...) {
		if !identifier.MatchString(name) || seen[name] {
			t.Errorf("argument %q is not a unique lower-case identifier", name)
		}
		seen[name] = true
	}
}

func TestExport(t *testing.T) {
	var got Export
	if err := json.Unmarshal(JSON(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Tables) != len(Tables()) || got.Tables[0].Name != EventsTable || got.Tables[0].PartitionKey.Name != "event_date" {
		t.Fatalf("tables: %+v", got.Tables)
	}
	if !slices.Equal(got.JobArguments, JobArgumentNames()) || !slices.Equal(got.OptionalJobArguments, OptionalJobArgumentNames()) {
		t.Fatalf("arguments: %v %v", got.JobArguments, got.OptionalJobArguments)
	}
	if got.PartitionDateFormat != PartitionDateFormat || got.NewVisitorLookbackDays != NewVisitorLookbackDays ||
		got.ParquetCompression != ParquetCompression {
		t.Fatalf("constants: %+v", got)
	}
}

func TestRawEvent(t *testing.T) {
	types := regexp.MustCompile(`^(string|integer|number|object)(\|(string|integer|number|object))*$`)
	var check func(prefix string, fields []RawField)
	check = func(prefix string, fields []RawField) {
		seen := map[string]bool{}
		for _, f := range fields {
			name := prefix + f.Name
			if !identifier.MatchString(f.Name) || seen[f.Name] {
				t.Errorf("raw field %q is not a unique lower-case identifier", name)
			}
			seen[f.Name] = true
			if !types.MatchString(f.Type) || f.Comment == "" || (f.SetBy != RawSetByClient && f.SetBy != RawSetByCollector) {
				t.Errorf("raw field %s: type %q, set by %q, comment %q", name, f.Type, f.SetBy, f.Comment)
			}
			if len(f.Fields) > 0 && f.Type != "object" {
				t.Errorf("raw field %s has fields but type %q", name, f.Type)
			}
			check(name+".", f.Fields)
		}
	}
	check("", RawEvent())

	t.Run("the collector stamps received_at, context.ip and context.user_agent", func(t *testing.T) {
		var stamped []string
		var walk func(prefix string, fields []RawField)
		walk = func(prefix string, fields []RawField) {
			for _, f := range fields {
				if f.SetBy == RawSetByCollector {
					stamped = append(stamped, prefix+f.Name)
				}
				walk(prefix+f.Name+".", f.Fields)
			}
		}
		walk("", RawEvent())
		want := RawReceivedAt + " " + RawContext + "." + RawUserAgent + " " + RawContext + "." + RawIP
		if got := strings.Join(stamped, " "); got != want {
			t.Fatalf("collector fields %q, want %q", got, want)
		}
	})
	t.Run("required fields are the ETL's", func(t *testing.T) {
		var required []string
		for _, f := range RawEvent() {
			if f.Required {
				required = append(required, f.Name)
			}
		}
		if got := strings.Join(required, ","); got != "event_id,event_type,event_time,anonymous_id" {
			t.Fatalf("required %s", got)
		}
	})
}
