package etljob

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clickstream-analytics/datalake/contract"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func entries(t *testing.T, data []byte) []*zip.File {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return r.File
}

func TestZipModules(t *testing.T) {
	pkg := filepath.Join(t.TempDir(), "mypkg")
	writeFiles(t, pkg, map[string]string{
		"__init__.py": "", "b.py": "B = 1\n", "a.py": "A = 1\n", "rules/channels.csv": "source,channel\n",
		"__pycache__/a.cpython-311.pyc": "x", "a.pyc": "x", "tests/test_a.py": "x", "test_b.py": "x", ".hidden": "x",
		"contract.json": "stale local copy",
	})
	generated := map[string][]byte{"contract.json": []byte(`{"tables":[]}`)}
	data, err := zipModules(pkg, generated)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ships the package's files under its name, sorted", func(t *testing.T) {
		var names []string
		for _, f := range entries(t, data) {
			names = append(names, f.Name)
		}
		want := "mypkg/__init__.py mypkg/a.py mypkg/b.py mypkg/contract.json mypkg/rules/channels.csv"
		if strings.Join(names, " ") != want {
			t.Fatalf("entries %v, want %s", names, want)
		}
	})
	t.Run("a generated file replaces the package's file of that name", func(t *testing.T) {
		for _, f := range entries(t, data) {
			if f.Name != "mypkg/contract.json" {
				continue
			}
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var buf bytes.Buffer
			if _, err := buf.ReadFrom(r); err != nil || buf.String() != `{"tables":[]}` {
				t.Fatalf("contract.json = %q (%v)", buf.String(), err)
			}
		}
	})
	t.Run("entries have a fixed time and mode", func(t *testing.T) {
		for _, f := range entries(t, data) {
			if !f.Modified.Equal(zipEpoch) || f.Mode().Perm() != 0o644 {
				t.Errorf("%s: %v %v", f.Name, f.Modified, f.Mode())
			}
		}
	})
	t.Run("is byte-identical when only file times change", func(t *testing.T) {
		later := time.Now().Add(time.Hour)
		if err := os.Chtimes(filepath.Join(pkg, "a.py"), later, later); err != nil {
			t.Fatal(err)
		}
		again, err := zipModules(pkg, generated)
		if err != nil || !bytes.Equal(data, again) {
			t.Fatalf("archive changed (err %v)", err)
		}
	})
	t.Run("is cached by content hash and changes with the code", func(t *testing.T) {
		cache := t.TempDir()
		first, err := writeModulesZip(pkg, cache, generated)
		if err != nil {
			t.Fatal(err)
		}
		same, _ := writeModulesZip(pkg, cache, generated)
		writeFiles(t, pkg, map[string]string{"b.py": "B = 2\n"})
		changed, _ := writeModulesZip(pkg, cache, generated)
		if first != same || first == changed || filepath.Base(first) != "mypkg.zip" {
			t.Fatalf("paths %s %s %s", first, same, changed)
		}
	})
	t.Run("fails on an empty package", func(t *testing.T) {
		if _, err := zipModules(t.TempDir(), nil); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("the repository's package zips with its modules", func(t *testing.T) {
		data, err := zipModules(filepath.Join(DefaultScriptsDir(), ModulesPackage), map[string][]byte{contract.ExportFile: contract.JSON()})
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, f := range entries(t, data) {
			names[f.Name] = true
			if strings.Contains(f.Name, "__pycache__") || strings.Contains(f.Name, "/tests/") {
				t.Errorf("shipped %s", f.Name)
			}
		}
		if !names[ModulesPackage+"/__init__.py"] || !names[ModulesPackage+"/"+contract.ExportFile] {
			t.Fatalf("no %s/__init__.py in %v", ModulesPackage, names)
		}
	})
}
