package collector

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/smithy-go"

	"github.com/clickstream-analytics/datalake/config"
)

const (
	site      = "https://shop.example.com"
	stream    = "clickstream-dev-events"
	browserUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)

var received = time.Date(2024, 5, 1, 10, 0, 0, 123_000_000, time.UTC)

// fakeFirehose answers calls with results in order; the last one repeats.
type fakeFirehose struct {
	results []result
	records [][]byte
	streams []string
}

type result struct {
	out *firehose.PutRecordBatchOutput
	err error
}

func (f *fakeFirehose) PutRecordBatch(_ context.Context, in *firehose.PutRecordBatchInput, _ ...func(*firehose.Options)) (*firehose.PutRecordBatchOutput, error) {
	for _, r := range in.Records {
		f.records = append(f.records, r.Data)
	}
	f.streams = append(f.streams, *in.DeliveryStreamName)
	r := result{out: &firehose.PutRecordBatchOutput{FailedPutCount: new(int32)}}
	if n := len(f.records); len(f.results) > 0 {
		r = f.results[min(n, len(f.results))-1]
	}
	return r.out, r.err
}

var (
	ok        = result{out: &firehose.PutRecordBatchOutput{FailedPutCount: new(int32)}}
	throttled = result{out: failedPut("ServiceUnavailableException", "Slow down.")}
	internal  = result{err: errors.New("connection reset by peer")}
	notFound  = result{err: &smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "stream not found"}}
	typed     = result{err: &types.ServiceUnavailableException{Message: new(string)}}
)

func failedPut(code, message string) *firehose.PutRecordBatchOutput {
	one := int32(1)
	return &firehose.PutRecordBatchOutput{FailedPutCount: &one, RequestResponses: []types.PutRecordBatchResponseEntry{{ErrorCode: &code, ErrorMessage: &message}}}
}

type harness struct {
	c       *Collector
	fh      *fakeFirehose
	metrics bytes.Buffer
	sleeps  []time.Duration
}

func newHarness(t *testing.T, cfg func(*Config), results ...result) *harness {
	t.Helper()
	h := &harness{fh: &fakeFirehose{results: results}}
	// IPKeep: the stamps are checked as received; TestIPModes checks the other modes.
	c := Config{DeliveryStreamName: stream, AllowedOrigins: []string{site}, MetricsName: "clickstream-dev-collector", IPMode: config.IPKeep}
	if cfg != nil {
		cfg(&c)
	}
	var err error
	if h.c, err = New(c, h.fh); err != nil {
		t.Fatal(err)
	}
	h.c.Now = func() time.Time { return received }
	h.c.Jitter = func(d time.Duration) time.Duration { return d }
	h.c.Sleep = func(ctx context.Context, d time.Duration) error { h.sleeps = append(h.sleeps, d); return ctx.Err() }
	h.c.Metrics = &h.metrics
	return h
}

func post(body string) Request {
	return Request{
		Method: "POST", Path: Path, Body: []byte(body), SourceIP: "198.51.100.7",
		Headers: map[string]string{"origin": site, "user-agent": browserUA, "content-type": "text/plain;charset=UTF-8"},
	}
}

// lines splits the one record delivered into its events.
func (h *harness) lines(t *testing.T) []map[string]any {
	t.Helper()
	if len(h.fh.records) == 0 {
		t.Fatal("nothing delivered")
	}
	record := string(h.fh.records[len(h.fh.records)-1])
	if !strings.HasSuffix(record, "\n") {
		t.Fatalf("record does not end with a newline: %q", record)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(record, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// count is a metric of an EMF line; a metric left out is zero.
func count(m map[string]any, name string) float64 {
	v, _ := m[name].(float64)
	return v
}

// metric returns the request's EMF line.
func (h *harness) metric(t *testing.T) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(h.metrics.String()), "\n")
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil {
		t.Fatalf("metrics line %q: %v", h.metrics.String(), err)
	}
	return m
}

func event(id string) string {
	return `{"event_id":"` + id + `","event_type":"page_view","event_time":"2024-05-01T09:59:59.000Z","anonymous_id":"a-1","page":{"url":"https://shop.example.com/?utm_source=x"}}`
}

func batch(n int) string {
	events := make([]string, n)
	for i := range events {
		events[i] = event(fmt.Sprintf("e%d", i))
	}
	return "[" + strings.Join(events, ",") + "]"
}

func TestAccepts(t *testing.T) {
	t.Run("one event object", func(t *testing.T) {
		h := newHarness(t, nil)
		resp := h.c.Handle(context.Background(), post(event("e1")))
		if resp.Status != 200 || resp.Body != `{"accepted":1}` {
			t.Fatalf("%d %s", resp.Status, resp.Body)
		}
		if got := h.lines(t); len(got) != 1 || got[0]["event_id"] != "e1" || h.fh.streams[0] != stream {
			t.Fatalf("lines %v, streams %v", got, h.fh.streams)
		}
	})
	t.Run("a batch packed into one record, one line per event, each ending in a newline", func(t *testing.T) {
		h := newHarness(t, nil)
		// Pretty-printed input: no newline of it may survive inside a line.
		body := "[\n  " + event("e1") + ",\n  {\n \"event_id\": \"e2\",\n \"page\": {\"title\": \"a\\nb\"}\n}\n]"
		resp := h.c.Handle(context.Background(), post(body))
		if resp.Status != 200 || resp.Body != `{"accepted":2}` || len(h.fh.records) != 1 {
			t.Fatalf("%d %s, %d records", resp.Status, resp.Body, len(h.fh.records))
		}
		record := string(h.fh.records[0])
		if strings.Count(record, "\n") != 2 || !strings.HasSuffix(record, "}\n") {
			t.Fatalf("record %q", record)
		}
		if got := h.lines(t); got[0]["event_id"] != "e1" || got[1]["event_id"] != "e2" || got[1]["page"].(map[string]any)["title"] != "a\nb" {
			t.Fatalf("lines %v", got)
		}
	})
	t.Run("exactly the limits", func(t *testing.T) {
		h := newHarness(t, func(c *Config) {
			c.MaxEventsPerRequest = 3
			c.MaxRequestBytes = int(config.IngestionMaxRequestBytes.Min)
		})
		body := batch(3) + strings.Repeat(" ", int(config.IngestionMaxRequestBytes.Min)-len(batch(3)))
		if resp := h.c.Handle(context.Background(), post(body)); resp.Status != 200 {
			t.Fatalf("%d %s", resp.Status, resp.Body)
		}
	})
	t.Run("events with schema problems are stored as sent, for the ETL to quarantine", func(t *testing.T) {
		h := newHarness(t, nil)
		body := `[{"event_type":"page_view"},{"event_id":"e2","event_time":"yesterday"},{"event_id":"e3","page":"not an object","context":42}]`
		if resp := h.c.Handle(context.Background(), post(body)); resp.Status != 200 {
			t.Fatalf("%d %s", resp.Status, resp.Body)
		}
		got := h.lines(t)
		if _, has := got[0]["event_id"]; has || got[1]["event_time"] != "yesterday" || got[2]["page"] != "not an object" || got[2]["context"] != float64(42) {
			t.Fatalf("lines %v", got)
		}
	})
	t.Run("text is stored as sent: no HTML escaping, numbers keep their digits", func(t *testing.T) {
		h := newHarness(t, nil)
		h.c.Handle(context.Background(), post(`{"event_id":"<a&b>","properties":{"revenue":19.90,"big":12345678901234567890}}`))
		record := string(h.fh.records[0])
		for _, want := range []string{`"event_id":"<a&b>"`, `"revenue":19.90`, `"big":12345678901234567890`} {
			if !strings.Contains(record, want) {
				t.Errorf("record %q lacks %s", record, want)
			}
		}
	})
	t.Run("counts accepted events", func(t *testing.T) {
		h := newHarness(t, nil)
		h.c.Handle(context.Background(), post(batch(4)))
		m := h.metric(t)
		if count(m, MetricAcceptedEvents) != 4 || count(m, MetricRequests) != 1 || count(m, MetricRejectedRequests) != 0 || m["Status"] != float64(200) {
			t.Fatalf("metrics %v", m)
		}
	})
}

func TestStamps(t *testing.T) {
	cases := map[string]struct {
		request        func(Request) Request
		event          string
		wantIP, wantUA any
	}{
		"received_at, the source IP and the User-Agent header": {
			event: `{"event_id":"e1"}`, wantIP: "198.51.100.7", wantUA: browserUA,
		},
		"a client's ip and received_at are overwritten": {
			event: `{"event_id":"e1","received_at":"2000-01-01T00:00:00.000Z","context":{"ip":"10.0.0.1","locale":"de-DE"}}`, wantIP: "198.51.100.7", wantUA: browserUA,
		},
		"an event's own user agent is kept (server-side senders)": {
			event: `{"event_id":"e1","context":{"user_agent":"Googlebot/2.1"}}`, wantIP: "198.51.100.7", wantUA: "Googlebot/2.1",
		},
		"a null or blank user agent is replaced by the header": {
			event: `{"event_id":"e1","context":{"user_agent":"  "}}`, wantIP: "198.51.100.7", wantUA: browserUA,
		},
		"a null context becomes an object": {
			event: `{"event_id":"e1","context":null}`, wantIP: "198.51.100.7", wantUA: browserUA,
		},
		"without a known source IP a client's claim is dropped": {
			request: func(r Request) Request { r.SourceIP = ""; return r },
			event:   `{"event_id":"e1","context":{"ip":"10.0.0.1"}}`, wantIP: nil, wantUA: browserUA,
		},
		"without a User-Agent header nothing is added": {
			request: func(r Request) Request { delete(r.Headers, "user-agent"); return r },
			event:   `{"event_id":"e1"}`, wantIP: "198.51.100.7", wantUA: nil,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, nil)
			r := post(c.event)
			if c.request != nil {
				r = c.request(r)
			}
			if resp := h.c.Handle(context.Background(), r); resp.Status != 200 {
				t.Fatalf("%d %s", resp.Status, resp.Body)
			}
			got := h.lines(t)[0]
			device := got["context"].(map[string]any)
			if got["received_at"] != "2024-05-01T10:00:00.123Z" || device["ip"] != c.wantIP || device["user_agent"] != c.wantUA {
				t.Fatalf("event %v", got)
			}
			if strings.Contains(c.event, "de-DE") && device["locale"] != "de-DE" {
				t.Fatalf("context fields lost: %v", device)
			}
		})
	}
	t.Run("a context that is not an object is left for the ETL to quarantine", func(t *testing.T) {
		h := newHarness(t, nil)
		h.c.Handle(context.Background(), post(`{"event_id":"e1","context":"mobile"}`))
		if got := h.lines(t)[0]; got["context"] != "mobile" || got["received_at"] != "2024-05-01T10:00:00.123Z" {
			t.Fatalf("event %v", got)
		}
	})
}

func TestRejects(t *testing.T) {
	big := `{"event_id":"` + strings.Repeat("x", 2000) + `"}`
	cases := map[string]struct {
		cfg     func(*Config)
		request Request
		status  int
		reason  string
		message string
	}{
		"a body over the byte limit":       {cfg: func(c *Config) { c.MaxRequestBytes = 1024 }, request: post(big), status: 413, reason: ReasonTooLarge, message: "larger than 1024 bytes"},
		"more events than the limit":       {cfg: func(c *Config) { c.MaxEventsPerRequest = 3 }, request: post(batch(4)), status: 400, reason: ReasonTooMany, message: "got 4 events, must be at most 3"},
		"an empty array":                   {request: post(" [ ] "), status: 400, reason: ReasonEmptyBatch, message: "no events"},
		"an empty body":                    {request: post(""), status: 400, reason: ReasonInvalidJSON, message: "body is empty"},
		"not JSON":                         {request: post("event_id=e1"), status: 400, reason: ReasonInvalidJSON, message: "not valid JSON"},
		"truncated JSON":                   {request: post(`[{"event_id":"e1"`), status: 400, reason: ReasonInvalidJSON, message: "not valid JSON"},
		"two values":                       {request: post(`{"event_id":"e1"}{"event_id":"e2"}`), status: 400, reason: ReasonInvalidJSON, message: "not valid JSON"},
		"newline-delimited JSON":           {request: post(event("e1") + "\n" + event("e2")), status: 400, reason: ReasonInvalidJSON, message: "an event object or an array of them"},
		"a JSON string":                    {request: post(`"hello"`), status: 400, reason: ReasonNotObject, message: "body is a JSON string"},
		"a number":                         {request: post(`42`), status: 400, reason: ReasonNotObject, message: "body is a JSON number"},
		"an array holding a string":        {request: post(`[` + event("e1") + `,"e2"]`), status: 400, reason: ReasonNotObject, message: "event 1 is a JSON string"},
		"an array holding null":            {request: post(`[null]`), status: 400, reason: ReasonNotObject, message: "event 0 is a JSON null"},
		"an array holding an array":        {request: post(`[[` + event("e1") + `]]`), status: 400, reason: ReasonNotObject, message: "event 0 is a JSON array"},
		"an origin not allowed":            {request: func() Request { r := post(event("e1")); r.Headers["origin"] = "https://evil.example"; return r }(), status: 403, reason: ReasonOrigin, message: `origin "https://evil.example" is not allowed`},
		"a GET":                            {request: func() Request { r := post(""); r.Method = "GET"; return r }(), status: 405, reason: ReasonMethod, message: "method GET is not allowed"},
		"another path":                     {request: func() Request { r := post(event("e1")); r.Path = "/"; return r }(), status: 404, reason: ReasonNotFound, message: "POST /collect"},
		"a base64 body that is not base64": {request: func() Request { r := post("!!!"); r.Base64Encoded = true; return r }(), status: 400, reason: ReasonInvalidJSON, message: "not valid base64"},
		"a base64 body over the limit": {cfg: func(c *Config) { c.MaxRequestBytes = 1024 },
			request: func() Request {
				r := post(base64.StdEncoding.EncodeToString([]byte(big)))
				r.Base64Encoded = true
				return r
			}(), status: 413, reason: ReasonTooLarge},
		// 500 events of 1 KiB each fit the body limit; 500 stamped 1.5 KB user agents do not fit one record.
		"events that outgrow one Firehose record once stamped": {
			cfg: func(c *Config) {
				c.MaxRequestBytes = int(config.IngestionMaxRequestBytes.Max)
				c.MaxEventsPerRequest = int(config.IngestionMaxEventsPerRequest.Max)
			},
			request: func() Request {
				events := make([]string, int(config.IngestionMaxEventsPerRequest.Max))
				for i := range events {
					events[i] = `{"event_id":"` + strings.Repeat("x", 1000) + `"}`
				}
				r := post("[" + strings.Join(events, ",") + "]")
				r.Headers["user-agent"] = strings.Repeat("u", 1500)
				return r
			}(),
			status: 413, reason: ReasonTooLarge, message: "more than one Firehose record",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, c.cfg)
			resp := h.c.Handle(context.Background(), c.request)
			var body map[string]string
			if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
				t.Fatalf("body %q: %v", resp.Body, err)
			}
			if resp.Status != c.status || body["error"] != c.reason || !strings.Contains(body["message"], c.message) {
				t.Fatalf("got %d %v, want %d %s %q", resp.Status, body, c.status, c.reason, c.message)
			}
			if resp.Headers["content-type"] != "application/json" || len(h.fh.records) != 0 {
				t.Fatalf("headers %v, %d records delivered", resp.Headers, len(h.fh.records))
			}
			if m := h.metric(t); count(m, MetricRejectedRequests) != 1 || m["Reason"] != c.reason || count(m, MetricAcceptedEvents) != 0 || m["Status"] != float64(c.status) {
				t.Fatalf("metrics %v", m)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	t.Run("an allowed origin is echoed", func(t *testing.T) {
		h := newHarness(t, func(c *Config) { c.AllowedOrigins = []string{"https://a.example", site} })
		resp := h.c.Handle(context.Background(), post(event("e1")))
		if resp.Status != 200 || resp.Headers["access-control-allow-origin"] != site || resp.Headers["vary"] != "Origin" {
			t.Fatalf("%d %v", resp.Status, resp.Headers)
		}
	})
	t.Run("a preflight is answered without delivering", func(t *testing.T) {
		h := newHarness(t, nil)
		r := post("")
		r.Method = "OPTIONS"
		resp := h.c.Handle(context.Background(), r)
		want := map[string]string{"access-control-allow-origin": site, "access-control-allow-methods": "POST, OPTIONS", "access-control-allow-headers": "content-type", "access-control-max-age": "86400"}
		for k, v := range want {
			if resp.Headers[k] != v {
				t.Errorf("%s: got %q, want %q", k, resp.Headers[k], v)
			}
		}
		if resp.Status != 204 || len(h.fh.records) != 0 {
			t.Fatalf("%d, %d records", resp.Status, len(h.fh.records))
		}
	})
	t.Run("requests without an Origin header (servers) are accepted without CORS headers", func(t *testing.T) {
		h := newHarness(t, nil)
		r := post(event("e1"))
		delete(r.Headers, "origin")
		resp := h.c.Handle(context.Background(), r)
		if _, has := resp.Headers["access-control-allow-origin"]; resp.Status != 200 || has {
			t.Fatalf("%d %v", resp.Status, resp.Headers)
		}
	})
	t.Run("* accepts any origin", func(t *testing.T) {
		h := newHarness(t, func(c *Config) { c.AllowedOrigins = []string{AnyOrigin} })
		r := post(event("e1"))
		r.Headers["origin"] = "http://localhost:3000"
		if resp := h.c.Handle(context.Background(), r); resp.Status != 200 || resp.Headers["access-control-allow-origin"] != "http://localhost:3000" {
			t.Fatalf("%d %v", resp.Status, resp.Headers)
		}
	})
}

func TestDelivery(t *testing.T) {
	cases := map[string]struct {
		results  []result
		status   int
		attempts int
		sleeps   []time.Duration
		err      string
	}{
		"a throttled record (FailedPutCount) is retried": {
			results: []result{throttled, ok}, status: 200, attempts: 2, sleeps: []time.Duration{RetryBaseDelay},
		},
		"a failed call is retried with doubling backoff": {
			results: []result{internal, typed, ok}, status: 200, attempts: 3, sleeps: []time.Duration{RetryBaseDelay, 2 * RetryBaseDelay},
		},
		"throttled on every attempt answers 503": {
			results: []result{throttled}, status: 503, attempts: DeliveryAttempts, sleeps: []time.Duration{RetryBaseDelay, 2 * RetryBaseDelay},
			err: "firehose rejected the record: ServiceUnavailableException: Slow down.",
		},
		"failing calls on every attempt answer 503": {
			results: []result{internal}, status: 503, attempts: DeliveryAttempts, sleeps: []time.Duration{RetryBaseDelay, 2 * RetryBaseDelay},
			err: "connection reset by peer",
		},
		"a permanent error is not retried": {
			results: []result{notFound}, status: 503, attempts: 1, err: "ResourceNotFoundException",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, nil, c.results...)
			resp := h.c.Handle(context.Background(), post(batch(2)))
			if resp.Status != c.status || len(h.fh.records) != c.attempts || fmt.Sprint(h.sleeps) != fmt.Sprint(c.sleeps) {
				t.Fatalf("status %d, %d attempts, sleeps %v; want %d, %d, %v", resp.Status, len(h.fh.records), h.sleeps, c.status, c.attempts, c.sleeps)
			}
			for _, r := range h.fh.records {
				if !bytes.Equal(r, h.fh.records[0]) {
					t.Fatal("a retry sent a different record")
				}
			}
			m := h.metric(t)
			if count(m, MetricDeliveryRetries) != float64(len(c.sleeps)) {
				t.Fatalf("metrics %v", m)
			}
			if c.status == 503 {
				if resp.Headers["retry-after"] != "1" || !strings.Contains(resp.Body, ReasonDelivery) || count(m, MetricDeliveryFailures) != 1 ||
					count(m, MetricAcceptedEvents) != 0 || !strings.Contains(m["Error"].(string), c.err) {
					t.Fatalf("%v %s, metrics %v", resp.Headers, resp.Body, m)
				}
			} else if count(m, MetricAcceptedEvents) != 2 || count(m, MetricDeliveryFailures) != 0 {
				t.Fatalf("metrics %v", m)
			}
		})
	}
	t.Run("stops retrying when the invocation ends", func(t *testing.T) {
		h := newHarness(t, nil, throttled)
		ctx, cancel := context.WithCancel(context.Background())
		h.c.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
		if resp := h.c.Handle(ctx, post(event("e1"))); resp.Status != 503 || len(h.fh.records) != 1 {
			t.Fatalf("%d after %d attempts", resp.Status, len(h.fh.records))
		}
	})
	t.Run("backoff jitter stays within half to all of the delay", func(t *testing.T) {
		c, err := New(Config{DeliveryStreamName: stream, AllowedOrigins: []string{site}}, &fakeFirehose{})
		if err != nil {
			t.Fatal(err)
		}
		for range 1000 {
			if d := c.Jitter(RetryBaseDelay); d < RetryBaseDelay/2 || d > RetryBaseDelay {
				t.Fatalf("jitter %v", d)
			}
		}
	})
	t.Run("which errors are retried", func(t *testing.T) {
		for err, want := range map[error]bool{
			notFound.err: false, &smithy.GenericAPIError{Code: "InvalidKMSResourceException"}: false,
			typed.err: true, internal.err: true, context.DeadlineExceeded: true, context.Canceled: false,
			&recordError{code: "InternalFailure"}: true,
		} {
			if got := retryable(err); got != want {
				t.Errorf("retryable(%v) = %v, want %v", err, got, want)
			}
		}
	})
}

func TestMetricsFormat(t *testing.T) {
	names := func(m map[string]any) string {
		var out []string
		for _, metric := range m["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)["Metrics"].([]any) {
			out = append(out, metric.(map[string]any)["Name"].(string))
		}
		return strings.Join(out, ",")
	}
	t.Run("an accepted request: the namespace, the dimension and the two counts", func(t *testing.T) {
		h := newHarness(t, nil)
		h.c.Handle(context.Background(), post(event("e1")))
		m := h.metric(t)
		aws := m["_aws"].(map[string]any)
		directive := aws["CloudWatchMetrics"].([]any)[0].(map[string]any)
		if aws["Timestamp"] != float64(received.UnixMilli()) || directive["Namespace"] != MetricNamespace ||
			fmt.Sprint(directive["Dimensions"]) != "[[Collector]]" || m[MetricDimension] != "clickstream-dev-collector" ||
			names(m) != "Requests,AcceptedEvents" {
			t.Fatalf("metrics line %v", m)
		}
		if strings.Count(h.metrics.String(), "\n") != 1 {
			t.Fatalf("want one line per request: %q", h.metrics.String())
		}
	})
	t.Run("a failed delivery: failures and retries", func(t *testing.T) {
		h := newHarness(t, nil, throttled)
		h.c.Handle(context.Background(), post(event("e1")))
		if m := h.metric(t); names(m) != "Requests,DeliveryFailures,DeliveryRetries" {
			t.Fatalf("metrics line %v", m)
		}
	})
}

func TestAdapters(t *testing.T) {
	t.Run("function URL", func(t *testing.T) {
		h := newHarness(t, nil)
		e := events.LambdaFunctionURLRequest{
			RawPath: Path, Body: base64.StdEncoding.EncodeToString([]byte(event("e1"))), IsBase64Encoded: true,
			Headers: map[string]string{"origin": site, "user-agent": browserUA},
			RequestContext: events.LambdaFunctionURLRequestContext{HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{
				Method: "POST", SourceIP: "203.0.113.50",
			}},
		}
		resp, err := h.c.HandleFunctionURL(context.Background(), e)
		if err != nil || resp.StatusCode != 200 || resp.Headers["access-control-allow-origin"] != site {
			t.Fatalf("%v %+v", err, resp)
		}
		if got := h.lines(t)[0]; got["context"].(map[string]any)["ip"] != "203.0.113.50" {
			t.Fatalf("event %v", got)
		}
	})
	t.Run("net/http", func(t *testing.T) {
		h := newHarness(t, func(c *Config) { c.MaxRequestBytes = 2048 })
		server := httptest.NewServer(h.c)
		defer server.Close()
		send := func(body string) *http.Response {
			req, _ := http.NewRequest("POST", server.URL+Path, strings.NewReader(body))
			req.Header.Set("Origin", site)
			req.Header.Set("User-Agent", browserUA)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		if resp := send(event("e1")); resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != site {
			t.Fatalf("%d %v", resp.StatusCode, resp.Header)
		}
		if got := h.lines(t)[0]; got["context"].(map[string]any)["ip"] != "127.0.0.1" || got["context"].(map[string]any)["user_agent"] != browserUA {
			t.Fatalf("event %v", got)
		}
		if resp := send(strings.Repeat(" ", 1<<20) + event("e2")); resp.StatusCode != 413 {
			t.Fatalf("a 1 MiB body: %d", resp.StatusCode)
		}
	})
}

func TestConfig(t *testing.T) {
	valid := Config{DeliveryStreamName: stream, AllowedOrigins: []string{site}}.withDefaults()
	t.Run("defaults", func(t *testing.T) {
		if valid.MaxRequestBytes != config.DefaultIngestionMaxRequestBytes || valid.MaxEventsPerRequest != config.DefaultIngestionMaxEventsPerRequest ||
			config.DefaultIngestionMaxRequestBytes != 131072 || config.DefaultIngestionMaxEventsPerRequest != 100 {
			t.Fatalf("%+v", valid)
		}
		if err := valid.Validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the largest request fits one Firehose record with room for the stamps", func(t *testing.T) {
		if room := (FirehoseMaxRecordBytes - int(config.IngestionMaxRequestBytes.Max)) / int(config.IngestionMaxEventsPerRequest.Max); room < 900 {
			t.Fatalf("%d bytes of stamps per event", room)
		}
	})
	cases := map[string]struct {
		change func(*Config)
		want   []string
	}{
		"missing stream and origins": {func(c *Config) { c.DeliveryStreamName = ""; c.AllowedOrigins = nil },
			[]string{"collector: DeliveryStreamName: required", "collector: AllowedOrigins: required, must list the sites' origins"}},
		"origins with a path, a wildcard host, upper case or another scheme": {
			func(c *Config) {
				c.AllowedOrigins = []string{"https://shop.example.com/", "https://*.example.com", "https://Shop.example.com", "ftp://x.example", "shop.example.com"}
			},
			[]string{`AllowedOrigins[0]: got "https://shop.example.com/", must be an origin such as https://shop.example.com`,
				`AllowedOrigins[1]: got "https://*.example.com"`, `AllowedOrigins[2]: got "https://Shop.example.com"`,
				`AllowedOrigins[3]: got "ftp://x.example"`, `AllowedOrigins[4]: got "shop.example.com"`}},
		"limits out of range": {func(c *Config) {
			c.MaxRequestBytes = int(config.IngestionMaxRequestBytes.Max) + 1
			c.MaxEventsPerRequest = int(config.IngestionMaxEventsPerRequest.Max) + 1
		},
			[]string{"collector: MaxRequestBytes: got 524289, must be between 1024 and 524288 bytes (512 KiB stays within one Firehose record once stamped)", "collector: MaxEventsPerRequest: got 501, must be between 1 and 500 events"}},
		"limits too small": {func(c *Config) { c.MaxRequestBytes = 1023; c.MaxEventsPerRequest = -1 },
			[]string{"MaxRequestBytes: got 1023", "MaxEventsPerRequest: got -1"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := valid
			c.change(&cfg)
			err := cfg.Validate()
			for _, want := range c.want {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("got %v, want %q", err, want)
				}
			}
		})
	}
	t.Run("ports and plain http are origins too", func(t *testing.T) {
		if err := ValidateOrigins("o", []string{"http://127.0.0.1:8765", "https://shop.example.com:8443", AnyOrigin}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("from the environment", func(t *testing.T) {
		env := map[string]string{EnvDeliveryStream: stream, EnvAllowedOrigins: site + ",https://m.example.com", EnvMaxRequestBytes: "65536", EnvFunctionName: "fn"}
		cfg, err := ConfigFromEnv(func(k string) string { return env[k] })
		if err != nil || cfg.DeliveryStreamName != stream || fmt.Sprint(cfg.AllowedOrigins) != "[https://shop.example.com https://m.example.com]" ||
			cfg.MaxRequestBytes != 65536 || cfg.MaxEventsPerRequest != config.DefaultIngestionMaxEventsPerRequest || cfg.MetricsName != "fn" ||
			cfg.IPMode != config.DefaultIPMode || config.DefaultIPMode != config.IPDrop {
			t.Fatalf("%v %+v", err, cfg)
		}
		env[EnvIPMode] = config.IPTruncate
		if cfg, err := ConfigFromEnv(func(k string) string { return env[k] }); err != nil || cfg.IPMode != config.IPTruncate {
			t.Fatalf("%v %+v", err, cfg)
		}
		env[EnvIPMode] = "anonymize"
		if _, err := ConfigFromEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), `collector: IPMode: got "anonymize", must be one of drop, truncate, keep`) {
			t.Fatalf("got %v", err)
		}
		delete(env, EnvIPMode)
		env[EnvMaxEventsPerRequest] = "many"
		if _, err := ConfigFromEnv(func(k string) string { return env[k] }); err == nil || err.Error() != `COLLECTOR_MAX_EVENTS_PER_REQUEST: got "many", must be an integer` {
			t.Fatalf("got %v", err)
		}
		if _, err := ConfigFromEnv(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "DeliveryStreamName: required") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("New refuses an invalid config and a missing client", func(t *testing.T) {
		if _, err := New(Config{}, &fakeFirehose{}); err == nil {
			t.Fatal("no error")
		}
		if _, err := New(valid, nil); err == nil || !strings.Contains(err.Error(), "Firehose client: required") {
			t.Fatalf("got %v", err)
		}
	})
}
