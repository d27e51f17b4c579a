// Package collector receives clickstream events over HTTP, independent of where it runs: it
// checks a request's body against the limits, stamps the fields only the server knows onto
// each event, packs the request's events into one newline-delimited Firehose record and
// delivers it, retrying with backoff. The Lambda entry point (./lambda) and `make
// collect-local` (cmd/collect-local) wrap the same Handle.
//
// What is checked here is only what makes a request unusable as a whole (not JSON, too
// large, not objects). An event with a missing field or a bad timestamp is stored as sent:
// the ETL quarantines it with its reason, so one rule engine decides what is valid.
package collector

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/smithy-go"

	"github.com/clickstream-analytics/datalake/contract"
)

// Firehose is the part of the Firehose API the collector uses; *firehose.Client has it.
type Firehose interface {
	PutRecordBatch(ctx context.Context, in *firehose.PutRecordBatchInput, optFns ...func(*firehose.Options)) (*firehose.PutRecordBatchOutput, error)
}

// Request is one HTTP request, as the adapters (function URL, net/http) hand it over.
type Request struct {
	Method string
	Path   string
	// Headers have lower-case names; repeated headers are joined with ",".
	Headers map[string]string
	Body    []byte
	// Base64Encoded bodies are decoded first (function URLs encode non-text bodies).
	Base64Encoded bool
	// SourceIP is the address the request came from.
	SourceIP string
}

// Response is the collector's answer: a JSON body.
type Response struct {
	Status  int
	Headers map[string]string
	Body    string
}

// Reasons of rejected requests: the "error" of the JSON answer and the Reason of the metrics.
const (
	ReasonNotFound    = "not_found"
	ReasonMethod      = "method_not_allowed"
	ReasonOrigin      = "origin_not_allowed"
	ReasonTooLarge    = "request_too_large"
	ReasonInvalidJSON = "invalid_json"
	ReasonNotObject   = "not_an_object"
	ReasonEmptyBatch  = "empty_batch"
	ReasonTooMany     = "too_many_events"
	// ReasonDelivery answers 503: Firehose did not take the events; the client retries.
	ReasonDelivery = "delivery_failed"
)

// PreflightMaxAgeSeconds lets browsers cache a CORS preflight for a day.
const PreflightMaxAgeSeconds = 86400

// Collector handles requests. Now, Sleep, Jitter and Metrics are replaceable (tests, local server).
type Collector struct {
	cfg      Config
	firehose Firehose
	// Now stamps received_at. Default: time.Now.
	Now func() time.Time
	// Sleep waits between delivery attempts unless ctx ends first. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter spreads a backoff d over [d/2, d]. Default: random.
	Jitter func(d time.Duration) time.Duration
	// Metrics receives one CloudWatch Embedded Metric Format line per request. Default: os.Stdout.
	Metrics io.Writer
}

// New returns a collector delivering to fh. It fails with every problem of cfg.
func New(cfg Config, fh Firehose) (*Collector, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if fh == nil {
		return nil, errors.New("collector: Firehose client: required")
	}
	return &Collector{
		cfg:      cfg,
		firehose: fh,
		Now:      time.Now,
		Sleep:    sleep,
		Jitter:   func(d time.Duration) time.Duration { return d/2 + rand.N(d/2+1) },
		Metrics:  os.Stdout,
	}, nil
}

// Config is the defaulted configuration.
func (c *Collector) Config() Config { return c.cfg }

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Handle answers one request and writes its metrics line.
func (c *Collector) Handle(ctx context.Context, r Request) Response {
	m := requestMetrics{}
	resp := c.handle(ctx, r, &m)
	m.status = resp.Status
	c.emit(m)
	return resp
}

func (c *Collector) handle(ctx context.Context, r Request, m *requestMetrics) Response {
	origin := r.Headers["origin"]
	headers := map[string]string{"content-type": "application/json"}
	allowed := c.originAllowed(origin)
	if origin != "" && allowed {
		headers["access-control-allow-origin"] = origin
		headers["vary"] = "Origin"
	}
	reject := func(status int, reason, format string, args ...any) Response {
		m.rejected, m.reason = 1, reason
		return respond(status, headers, map[string]string{"error": reason, "message": fmt.Sprintf(format, args...)})
	}
	if r.Path != Path {
		return reject(404, ReasonNotFound, "events are accepted at POST %s", Path)
	}
	if !allowed {
		return reject(403, ReasonOrigin, "origin %q is not allowed", origin)
	}
	switch r.Method {
	case "POST":
	case "OPTIONS":
		headers["access-control-allow-methods"] = "POST, OPTIONS"
		headers["access-control-allow-headers"] = "content-type"
		headers["access-control-max-age"] = strconv.Itoa(PreflightMaxAgeSeconds)
		return Response{Status: 204, Headers: headers}
	default:
		headers["allow"] = "POST, OPTIONS"
		return reject(405, ReasonMethod, "method %s is not allowed, use POST", r.Method)
	}

	body := r.Body
	if r.Base64Encoded {
		// Decoding cannot shrink a body below 3/4 of its length: check before decoding.
		if base64.StdEncoding.DecodedLen(len(body)) > c.cfg.MaxRequestBytes+2 {
			return reject(413, ReasonTooLarge, "body is larger than %d bytes", c.cfg.MaxRequestBytes)
		}
		decoded, err := base64.StdEncoding.DecodeString(string(body))
		if err != nil {
			return reject(400, ReasonInvalidJSON, "body is not valid base64: %v", err)
		}
		body = decoded
	}
	if len(body) > c.cfg.MaxRequestBytes {
		return reject(413, ReasonTooLarge, "body is larger than %d bytes", c.cfg.MaxRequestBytes)
	}
	events, reason, message := split(body, c.cfg.MaxEventsPerRequest)
	if reason != "" {
		return reject(400, reason, "%s", message)
	}
	record := pack(events, stamps{
		receivedAt: c.Now().UTC().Format(ReceivedAtLayout),
		ip:         MinimiseIP(r.SourceIP, c.cfg.IPMode),
		userAgent:  r.Headers["user-agent"],
	})
	if len(record) > FirehoseMaxRecordBytes {
		return reject(413, ReasonTooLarge, "the stamped events are %d bytes, more than one Firehose record (%d)", len(record), FirehoseMaxRecordBytes)
	}
	if err := c.deliver(ctx, record, m); err != nil {
		m.failures, m.reason, m.err = 1, ReasonDelivery, err.Error()
		headers["retry-after"] = "1"
		return respond(503, headers, map[string]string{"error": ReasonDelivery, "message": "the events were not stored, send them again"})
	}
	m.accepted = len(events)
	return respond(200, headers, map[string]int{"accepted": len(events)})
}

func (c *Collector) originAllowed(origin string) bool {
	return origin == "" || slices.Contains(c.cfg.AllowedOrigins, AnyOrigin) || slices.Contains(c.cfg.AllowedOrigins, origin)
}

func respond(status int, headers map[string]string, body any) Response {
	b, _ := json.Marshal(body)
	return Response{Status: status, Headers: headers, Body: string(b)}
}

// split returns the events of a body that is one JSON object or an array of 1 to max
// objects, or the reason and message of a 400.
func split(body []byte, max int) ([]json.RawMessage, string, string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, ReasonInvalidJSON, "body is empty, must be an event object or an array of them"
	}
	if !json.Valid(body) {
		return nil, ReasonInvalidJSON, "body is not valid JSON, must be an event object or an array of them"
	}
	switch body[0] {
	case '{':
		return []json.RawMessage{body}, "", ""
	case '[':
	default:
		return nil, ReasonNotObject, fmt.Sprintf("body is a JSON %s, must be an event object or an array of them", kind(body))
	}
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, ReasonInvalidJSON, "body is not valid JSON: " + err.Error()
	}
	switch {
	case len(items) == 0:
		return nil, ReasonEmptyBatch, "the array holds no events"
	case len(items) > max:
		return nil, ReasonTooMany, fmt.Sprintf("got %d events, must be at most %d per request", len(items), max)
	}
	for i, item := range items {
		if item = bytes.TrimSpace(item); item[0] != '{' {
			return nil, ReasonNotObject, fmt.Sprintf("event %d is a JSON %s, must be an object", i, kind(item))
		}
		items[i] = item
	}
	return items, "", ""
}

func kind(v []byte) string {
	switch v[0] {
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// deliver puts the record and retries throttling and failures with doubling, jittered backoff.
func (c *Collector) deliver(ctx context.Context, record []byte, m *requestMetrics) error {
	in := &firehose.PutRecordBatchInput{
		DeliveryStreamName: &c.cfg.DeliveryStreamName,
		Records:            []types.Record{{Data: record}},
	}
	var err error
	delay := RetryBaseDelay
	for attempt := 1; attempt <= DeliveryAttempts; attempt++ {
		if attempt > 1 {
			m.retries++
			if c.Sleep(ctx, c.Jitter(delay)) != nil {
				break
			}
			delay *= 2
		}
		err = c.put(ctx, in)
		if err == nil || !retryable(err) {
			break
		}
	}
	return err
}

func (c *Collector) put(ctx context.Context, in *firehose.PutRecordBatchInput) error {
	ctx, cancel := context.WithTimeout(ctx, AttemptTimeout)
	defer cancel()
	out, err := c.firehose.PutRecordBatch(ctx, in)
	if err != nil {
		return err
	}
	if out.FailedPutCount != nil && *out.FailedPutCount > 0 {
		code, message := "unknown", ""
		if len(out.RequestResponses) > 0 && out.RequestResponses[0].ErrorCode != nil {
			code = *out.RequestResponses[0].ErrorCode
			if out.RequestResponses[0].ErrorMessage != nil {
				message = *out.RequestResponses[0].ErrorMessage
			}
		}
		return &recordError{code: code, message: message}
	}
	return nil
}

// recordError is a record Firehose did not take (FailedPutCount): throttling or an internal
// failure, worth a retry.
type recordError struct{ code, message string }

func (e *recordError) Error() string {
	return "firehose rejected the record: " + e.code + ": " + e.message
}

// permanentErrors fail the same way on every attempt: a missing stream, a bad request or a
// key Firehose may not use.
var permanentErrors = []string{"ResourceNotFoundException", "InvalidArgumentException", "InvalidKMSResourceException", "AccessDeniedException", "ValidationException"}

func retryable(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) {
		return !slices.Contains(permanentErrors, api.ErrorCode())
	}
	return !errors.Is(err, context.Canceled)
}

// ReceivedAtLayout formats received_at: UTC with milliseconds, as the ETL parses event_time.
const ReceivedAtLayout = "2006-01-02T15:04:05.000Z"

type stamps struct{ receivedAt, ip, userAgent string }

// pack stamps every event and joins them into one record, one compact JSON object per line,
// each line ending in "\n": Firehose concatenates records as they are.
func pack(events []json.RawMessage, s stamps) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, e := range events {
		var event map[string]json.RawMessage
		_ = json.Unmarshal(e, &event) // split() checked it is an object
		event[contract.RawReceivedAt] = encode(s.receivedAt)
		stampContext(event, s)
		_ = enc.Encode(event) // Encode compacts (no newline inside a line) and appends "\n"
	}
	return buf.Bytes()
}

// stampContext sets context.ip and, when the event has none, context.user_agent. A context
// that is not an object is left as sent: the ETL quarantines the event as malformed.
func stampContext(event map[string]json.RawMessage, s stamps) {
	device := map[string]json.RawMessage{}
	if raw, ok := event[contract.RawContext]; ok && !isNull(raw) {
		if raw[0] != '{' || json.Unmarshal(raw, &device) != nil {
			return
		}
	}
	if s.ip != "" {
		device[contract.RawIP] = encode(s.ip)
	} else {
		delete(device, contract.RawIP) // never keep a client's claim
	}
	if s.userAgent != "" && blank(device[contract.RawUserAgent]) {
		device[contract.RawUserAgent] = encode(s.userAgent)
	}
	event[contract.RawContext] = encode(device)
}

func isNull(v json.RawMessage) bool { return len(v) == 0 || string(v) == "null" }

func blank(v json.RawMessage) bool {
	var s string
	return isNull(v) || (json.Unmarshal(v, &s) == nil && strings.TrimSpace(s) == "")
}

// encode is compact JSON without HTML escaping: the stored text stays what was sent.
func encode(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
