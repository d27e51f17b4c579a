package main

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"
)

var start = time.Date(2024, 5, 1, 10, 59, 58, 0, time.UTC)

func put(t *testing.T, s *firehoseSink, records ...string) {
	t.Helper()
	in := &firehose.PutRecordBatchInput{}
	for _, r := range records {
		in.Records = append(in.Records, types.Record{Data: []byte(r)})
	}
	out, err := s.PutRecordBatch(context.Background(), in)
	if err != nil || *out.FailedPutCount != 0 || len(out.RequestResponses) != len(records) {
		t.Fatalf("%v %+v", err, out)
	}
}

// files maps each written file (relative, slash-separated) to its decompressed content.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		z, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, _ := io.ReadAll(z)
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return out
}

func newTestSink(t *testing.T, maxBytes int) (*firehoseSink, *time.Time) {
	now := start
	s := newSink(t.TempDir(), Stream, time.Minute, maxBytes)
	s.now = func() time.Time { return now }
	return s, &now
}

var fileName = regexp.MustCompile(`^events/year=2024/month=05/day=01/hour=10/collect-local-1-2024-05-01-10-59-58-[0-9a-f]{16}\.json\.gz$`)

func TestSink(t *testing.T) {
	t.Run("writes records as they are into one gzip file in the hour folder of the oldest", func(t *testing.T) {
		s, now := newTestSink(t, 1<<20)
		put(t, s, "{\"event_id\":\"a\"}\n", "{\"event_id\":\"b\"}\n")
		*now = now.Add(5 * time.Second) // the next hour: the file stays in the oldest record's
		put(t, s, "{\"event_id\":\"c\"}\n")
		if got := files(t, s.dir); len(got) != 0 {
			t.Fatalf("written before the interval: %v", got)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		got := files(t, s.dir)
		if len(got) != 1 {
			t.Fatalf("files %v", got)
		}
		for name, content := range got {
			if !fileName.MatchString(name) || content != "{\"event_id\":\"a\"}\n{\"event_id\":\"b\"}\n{\"event_id\":\"c\"}\n" {
				t.Fatalf("%s: %q", name, content)
			}
		}
		if s.files != 1 || s.records != 3 {
			t.Fatalf("%d files, %d records", s.files, s.records)
		}
	})
	t.Run("writes when the buffer is full", func(t *testing.T) {
		s, _ := newTestSink(t, 10)
		put(t, s, "0123456789\n")
		if got := files(t, s.dir); len(got) != 1 {
			t.Fatalf("files %v", got)
		}
	})
	t.Run("writes when the oldest record is older than the interval", func(t *testing.T) {
		s, now := newTestSink(t, 1<<20)
		put(t, s, "x\n")
		*now = start.Add(59 * time.Second)
		s.tick()
		if got := files(t, s.dir); len(got) != 0 {
			t.Fatalf("files %v", got)
		}
		*now = start.Add(time.Minute)
		s.tick()
		if got := files(t, s.dir); len(got) != 1 {
			t.Fatalf("files %v", got)
		}
	})
	t.Run("an empty buffer writes nothing", func(t *testing.T) {
		s, _ := newTestSink(t, 1<<20)
		s.tick()
		if err := s.Close(); err != nil || len(files(t, s.dir)) != 0 {
			t.Fatalf("%v %v", err, files(t, s.dir))
		}
	})
	t.Run("a failed write fails the next puts", func(t *testing.T) {
		s, _ := newTestSink(t, 1)
		s.dir = "/dev/null/cannot"
		if _, err := s.PutRecordBatch(context.Background(), &firehose.PutRecordBatchInput{Records: []types.Record{{Data: []byte("x\n")}}}); err == nil {
			t.Fatal("no error")
		}
		if _, err := s.PutRecordBatch(context.Background(), &firehose.PutRecordBatchInput{}); err == nil {
			t.Fatal("no error on the next put")
		}
	})
}

func TestRenderLayout(t *testing.T) {
	got := renderLayout("year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	if got != "year=2024/month=01/day=02/hour=03/" {
		t.Fatal(got)
	}
}

func TestFlaky(t *testing.T) {
	var stored []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "http://127.0.0.1:1")
		if r.Method == http.MethodOptions {
			w.WriteHeader(204)
			return
		}
		b, _ := io.ReadAll(r.Body)
		stored = append(stored, string(b))
		w.WriteHeader(200)
	})
	f := newFlaky(next, 1<<16)
	send := func(body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, httptest.NewRequest("POST", "/collect", strings.NewReader(body)))
		return rec
	}
	steps := []struct {
		body   string
		status int
		stored int
	}{
		{`[{"event_id":"a"}]`, 503, 0},                  // fresh: refused, nothing stored
		{`[{"event_id":"a"}]`, 200, 1},                  // retry: passes
		{`{"event_id":"b"}`, 503, 2},                    // fresh: stored, still 503
		{`{"event_id":"b"}`, 200, 3},                    // retry: a duplicate
		{`[{"event_id":"a"},{"event_id":"c"}]`, 503, 3}, // one fresh id fails the request
	}
	for i, s := range steps {
		rec := send(s.body)
		if rec.Code != s.status || len(stored) != s.stored {
			t.Fatalf("step %d: %d, %d stored; want %d, %d", i, rec.Code, len(stored), s.status, s.stored)
		}
		if rec.Header().Get("Access-Control-Allow-Origin") == "" {
			t.Fatalf("step %d: no CORS header, a browser could not read the status", i)
		}
	}
	if f.refused != 2 || f.storedFailed != 1 || f.passed != 2 {
		t.Fatalf("refused %d, stored-failed %d, passed %d", f.refused, f.storedFailed, f.passed)
	}
	if ids := eventIDs([]byte(`not json`)); ids != nil {
		t.Fatalf("ids %v", ids)
	}
}

func TestSite(t *testing.T) {
	server := httptest.NewServer(site())
	defer server.Close()
	for path, want := range map[string]string{
		"/":                      "Trailhead Outfitters",
		"/products/trail-shoes":  `id="add-to-cart"`,
		"/checkout":              `id="place-order"`,
		"/checkout/confirmation": "'purchase'",
		"/tracker.js":            "window.clickstream = api",
	} {
		resp, err := http.Get(server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d, lacks %q", path, resp.StatusCode, want)
		}
		if path != "/tracker.js" && !strings.Contains(string(b), `<script src="/tracker.js" data-endpoint="/collect"`) {
			t.Errorf("%s does not embed the tracker", path)
		}
	}
	if resp, _ := http.Get(server.URL + "/missing"); resp.StatusCode != 404 {
		t.Fatalf("missing page: %d", resp.StatusCode)
	}
}

func TestRefusesAddressesOffTheMachine(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8765", "192.0.2.1:8765", "8765"} {
		if err := run([]string{"-addr", addr}); err == nil || !strings.Contains(err.Error(), "-addr") {
			t.Errorf("%s: %v", addr, err)
		}
	}
}
