package config

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// configRow is a row of the README's configuration table: | `field` | default | allowed |.
var configRow = regexp.MustCompile("(?m)^\\| `([a-zA-Z.]+)` \\| ([^|]+) \\|")

// The README's configuration table documents every field, and each default it states in
// backticks is the value the code applies: documentation cannot drift from config.Default*.
func TestReadmeDocumentsEveryFieldAndItsDefault(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]string{}
	for _, m := range configRow.FindAllStringSubmatch(string(data), -1) {
		documented[m[1]] = strings.TrimSpace(m[2])
	}
	var defaultsJSON map[string]any
	raw, _ := json.Marshal(defaults("dev"))
	if err := json.Unmarshal(raw, &defaultsJSON); err != nil {
		t.Fatal(err)
	}
	for _, field := range leafFields("", defaultsJSON) {
		t.Run(field, func(t *testing.T) {
			cell, ok := documented[field]
			if !ok {
				t.Fatalf("README's configuration table has no row for %s", field)
			}
			if !strings.HasPrefix(cell, "`") {
				return // a described default ("none", "derived from the name")
			}
			stated := strings.SplitN(cell, "`", 3)[1]
			if got := valueText(lookup(defaultsJSON, field)); got != stated {
				t.Fatalf("README states default %q, the code applies %q", stated, got)
			}
		})
	}
}

// leafFields lists the dotted paths of every non-object value (tags and lists count as one field).
func leafFields(prefix string, m map[string]any) []string {
	var out []string
	for k, v := range m {
		path := strings.TrimPrefix(prefix+"."+k, ".")
		if sub, ok := v.(map[string]any); ok && k != "tags" {
			out = append(out, leafFields(path, sub)...)
			continue
		}
		out = append(out, path)
	}
	return out
}

func lookup(m map[string]any, path string) any {
	var v any = m
	for _, part := range strings.Split(path, ".") {
		v = v.(map[string]any)[part]
	}
	return v
}

func valueText(v any) string {
	if f, ok := v.(float64); ok {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprint(v)
}
