package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
)

// flakyCollector makes the collector fail about half the time, deterministically: a request
// carrying an event_id never seen before fails, one that carries only seen ids passes. The
// failures alternate between the two ways a real collector fails: refused before anything is
// stored (Firehose throttled every attempt), and stored but answered 503 (the function timed
// out after Firehose took the record). A tracker retrying with the same event ids gets
// through on its second attempt; the second kind leaves duplicates for the ETL to remove.
type flakyCollector struct {
	next     http.Handler
	maxBytes int

	mu                            sync.Mutex
	seen                          map[string]bool
	failures                      int
	refused, storedFailed, passed int
}

func newFlaky(next http.Handler, maxBytes int) *flakyCollector {
	return &flakyCollector{next: next, maxBytes: maxBytes, seen: map[string]bool{}}
}

func (f *flakyCollector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		f.next.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(f.maxBytes)+1))
	if err != nil {
		http.Error(w, "reading the body failed", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.mu.Lock()
	fresh := false
	for _, id := range eventIDs(body) {
		fresh = fresh || !f.seen[id]
		f.seen[id] = true
	}
	refuse := false
	switch {
	case !fresh:
		f.passed++
	case f.failures%2 == 0:
		f.refused++
		refuse = true
	default:
		f.storedFailed++
	}
	if fresh {
		f.failures++
	}
	f.mu.Unlock()

	if !fresh {
		f.next.ServeHTTP(w, r)
		return
	}
	// The collector's own answer supplies the CORS headers; only its status and body change.
	rec := httptest.NewRecorder()
	if refuse {
		// A preflight of the same request yields the CORS headers and delivers nothing.
		r = r.Clone(r.Context())
		r.Method, r.Body = http.MethodOptions, http.NoBody
	}
	f.next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = io.WriteString(w, `{"error":"delivery_failed","message":"collect-local -flaky: failed on purpose, send the events again"}`)
}

// eventIDs lists the event_id values of a body holding one event or an array of them.
func eventIDs(body []byte) []string {
	var events []struct {
		EventID any `json:"event_id"`
	}
	if json.Unmarshal(body, &events) != nil {
		var one struct {
			EventID any `json:"event_id"`
		}
		if json.Unmarshal(body, &one) != nil {
			return nil
		}
		events = append(events, one)
	}
	var ids []string
	for _, e := range events {
		if s, ok := e.EventID.(string); ok {
			ids = append(ids, s)
		}
	}
	return ids
}
