package test

import (
	"encoding/json"
	"os"
	"sort"
	"testing"

	"github.com/clickstream-analytics/datalake/constructs/analytics"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/contract"
)

// pinnedTypes are the resources whose logical ID must never change silently: a new logical
// ID makes CloudFormation create a new resource and delete (or orphan) the old one with its
// data, queries or key material.
var pinnedTypes = []string{"AWS::S3::Bucket", "AWS::KMS::Key", "AWS::Glue::Database", "AWS::Glue::Table", "AWS::Athena::WorkGroup"}

// snapshotFile holds, per environment, logical ID -> type of every pinned resource.
const snapshotFile = "testdata/stateful-logical-ids.json"

// updateEnv, when set to 1, rewrites snapshotFile from the templates (make snapshot-update).
const updateEnv = "UPDATE_SNAPSHOTS"

type snapshot map[string]map[string]string

func currentSnapshot() snapshot {
	s := snapshot{}
	for _, env := range envs {
		ids := map[string]string{}
		for _, r := range env.resources(pinnedTypes...) {
			ids[r.LogicalID] = r.Type
		}
		s[env.config.Name] = ids
	}
	return s
}

func TestStatefulLogicalIDs(t *testing.T) {
	got := currentSnapshot()
	if os.Getenv(updateEnv) == "1" {
		data, err := json.MarshalIndent(got, "", "  ")
		if err == nil {
			err = os.WriteFile(snapshotFile, append(data, '\n'), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", snapshotFile)
		return
	}
	data, err := os.ReadFile(snapshotFile)
	if err != nil {
		t.Fatalf("%v: run `make snapshot-update` to create it", err)
	}
	var want snapshot
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("%s: %v", snapshotFile, err)
	}
	for _, name := range sortedKeys(want) {
		if _, ok := got[name]; !ok {
			t.Errorf("environment %s is pinned in %s but no longer built", name, snapshotFile)
		}
	}
	forEachEnvironment(t, func(t *testing.T, env environment) {
		pinned, ok := want[env.config.Name]
		if !ok {
			t.Fatalf("environment %s is not pinned in %s: run `make snapshot-update`", env.config.Name, snapshotFile)
		}
		current := got[env.config.Name]
		for _, id := range sortedKeys(pinned) {
			switch typ, ok := current[id]; {
			case !ok:
				t.Errorf("%s (%s) is gone or its logical ID changed: a deploy would replace it and lose its data. "+
					"Restore its construct ID and path; if deleting it is intended, run `make snapshot-update` and say so in review", id, pinned[id])
			case typ != pinned[id]:
				t.Errorf("%s changed type from %s to %s: a deploy would replace it", id, pinned[id], typ)
			}
		}
		for _, id := range sortedKeys(current) {
			if _, ok := pinned[id]; !ok && !newContractTable(id, current[id]) {
				t.Errorf("%s (%s) is a new stateful resource: pin its logical ID with `make snapshot-update` and commit %s", id, current[id], snapshotFile)
			}
		}
	})
}

// newContractTable reports a curated table added to the contract: its logical ID is derived
// from its name (catalog.TableID) under the catalog, whose path the pinned tables already hold
// fixed, so a new contract table needs no snapshot update.
func newContractTable(logicalID, typ string) bool {
	if typ != "AWS::Glue::Table" {
		return false
	}
	for _, t := range contract.Tables() {
		// The logical ID is the path's IDs joined, then an 8-character hash.
		if logicalID[:max(len(logicalID)-8, 0)] == analytics.CatalogID+catalog.TableID(t.Name) {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestNewContractTable(t *testing.T) {
	cases := []struct {
		id, typ string
		want    bool
	}{
		{"CatalogDailyPagesTableC7F67DB1", "AWS::Glue::Table", true},
		{"CatalogNotInTheContractTable12345678", "AWS::Glue::Table", false},
		{"CatalogDailyPagesTableC7F67DB1", "AWS::S3::Bucket", false},
		{"StorageRawBucketBBD9BDC5", "AWS::Glue::Table", false},
	}
	for _, c := range cases {
		if got := newContractTable(c.id, c.typ); got != c.want {
			t.Errorf("newContractTable(%s, %s) = %v, want %v", c.id, c.typ, got, c.want)
		}
	}
}
