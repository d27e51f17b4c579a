package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clickstream-analytics/datalake/config"
)

func write(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cdk.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	path := write(t, `{"context": {"environments": {
		"dev": {"glue": {"flexExecution": true}},
		"prod": {"storage": {"rawGlacierDays": 180}}}}}`)

	t.Run("prints every environment with its defaults applied", func(t *testing.T) {
		var out bytes.Buffer
		if err := run([]string{"-cdk-json", path}, &out); err != nil {
			t.Fatal(err)
		}
		var got map[string]config.Environment
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("got %d environments, want 2", len(got))
		}
		prod := got["prod"]
		if prod.Storage.RawGlacierDays != 180 || prod.Storage.RawInfrequentAccessDays != config.DefaultRawInfrequentAccessDays {
			t.Errorf("prod storage = %+v", prod.Storage)
		}
		if prod.Glue.Schedule != config.DefaultGlueSchedule || prod.Glue.MaxWorkers != config.DefaultGlueMaxWorkers {
			t.Errorf("prod glue = %+v", prod.Glue)
		}
		if !got["dev"].Glue.FlexExecution {
			t.Error("dev lost flexExecution")
		}
	})

	t.Run("selects one environment", func(t *testing.T) {
		var out bytes.Buffer
		if err := run([]string{"-cdk-json", path, "-env", "dev"}, &out); err != nil {
			t.Fatal(err)
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if _, ok := got["dev"]; !ok || len(got) != 1 {
			t.Fatalf("got %v, want only dev", got)
		}
	})

	t.Run("lists the names in order", func(t *testing.T) {
		var out bytes.Buffer
		if err := run([]string{"-cdk-json", path, "-names"}, &out); err != nil {
			t.Fatal(err)
		}
		if out.String() != "dev\nprod\n" {
			t.Fatalf("got %q", out.String())
		}
	})

	t.Run("reports what config.Parse rejects", func(t *testing.T) {
		bad := write(t, `{"context": {"environments": {"dev": {"glue": {"maxWorkers": 1}}}}}`)
		err := run([]string{"-cdk-json", bad}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "environments.dev.glue.maxWorkers") {
			t.Fatalf("err = %v, want the field named", err)
		}
	})

	t.Run("an unknown environment names the allowed ones", func(t *testing.T) {
		err := run([]string{"-cdk-json", path, "-env", "qa"}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "dev, prod") {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("a file without environments says so", func(t *testing.T) {
		err := run([]string{"-cdk-json", write(t, `{"context": {}}`)}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "no context.environments") {
			t.Fatalf("err = %v", err)
		}
	})
}
