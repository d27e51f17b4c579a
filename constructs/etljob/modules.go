package etljob

// The modules are zipped here rather than shipped as a CDK directory asset: the zip must
// carry the contract's JSON export (contract.json), which is generated from Go and is no file
// of the source tree, and its hash must depend only on what is shipped (not on __pycache__,
// tests or file times), which modules_test.go pins.

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

// zipEpoch is the modification time of every zip entry, so the archive (and the CDK asset
// hash) changes only when a file's content or name does.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// DefaultScriptsDir is the repository's glue-scripts/ folder, found from this source file so
// synth and tests work from any working directory.
func DefaultScriptsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "glue-scripts")
}

// skipped reports whether a path inside the package is not shipped: caches, tests and
// hidden files.
func skipped(d fs.DirEntry) bool {
	name := d.Name()
	if strings.HasPrefix(name, ".") || name == "__pycache__" || name == "tests" {
		return true
	}
	return !d.IsDir() && (strings.HasSuffix(name, ".pyc") || strings.HasPrefix(name, "test_") || strings.HasSuffix(name, "_test.py"))
}

// zipModules zips the Python package dir (its folder name becomes the archive's top-level
// package) deterministically: sorted entries, fixed times and modes. generated files (name
// relative to the package -> content) are added, replacing a file of the same name in dir.
// It returns the archive's bytes.
func zipModules(dir string, generated map[string][]byte) ([]byte, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		if skipped(d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if _, ok := generated[filepath.ToSlash(rel)]; !ok && !d.IsDir() {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no files in %s", dir)
	}
	for name := range generated {
		files = append(files, name)
	}
	sort.Strings(files)
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	top := filepath.Base(dir)
	for _, rel := range files {
		data, ok := generated[rel]
		if !ok {
			var err error
			if data, err = os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
				return nil, err
			}
		}
		h := &zip.FileHeader{Name: path.Join(top, rel), Method: zip.Deflate, Modified: zipEpoch}
		h.SetMode(0o644)
		f, err := w.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(data); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeModulesZip zips dir with the generated files into cacheDir/<content hash>/<package>.zip
// (written once per content) and returns the archive's path.
func writeModulesZip(dir, cacheDir string, generated map[string][]byte) (string, error) {
	data, err := zipModules(dir, generated)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	out := filepath.Join(cacheDir, hex.EncodeToString(sum[:16]), filepath.Base(dir)+".zip")
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", err
	}
	// Write then rename, so a concurrent synth never sees a partial archive.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".tmp-*.zip")
	if err != nil {
		return "", err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return out, os.Rename(tmp.Name(), out)
}
