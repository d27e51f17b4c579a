package collector

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Limits and defaults of Config. The ingestion construct documents and passes them on.
const (
	// Path is where the collector accepts events: POST /collect.
	Path = "/collect"
	// DefaultMaxRequestBytes bounds a request body: 128 KiB, twice what a browser may send
	// with fetch keepalive or sendBeacon (64 KiB), enough for a server-side batch.
	DefaultMaxRequestBytes = 128 * 1024
	// MinRequestBytes keeps room for one realistic event.
	MinRequestBytes = 1024
	// MaxRequestBytes keeps a full request, once stamped, within one Firehose record.
	MaxRequestBytes = 512 * 1024
	// DefaultMaxEventsPerRequest bounds the events of one request.
	DefaultMaxEventsPerRequest = 100
	// MaxEventsPerRequest bounds what the stamps may add to a request: at most 500 events of
	// about 1 KB of stamped fields each keep MaxRequestBytes within FirehoseMaxRecordBytes.
	MaxEventsPerRequest = 500
	// FirehoseMaxRecordBytes is Firehose's record size limit (1,000 KiB before base64).
	FirehoseMaxRecordBytes = 1000 * 1024
	// DeliveryAttempts is how often one request's record is offered to Firehose.
	DeliveryAttempts = 3
	// RetryBaseDelay is the first backoff; each retry doubles it, with jitter.
	RetryBaseDelay = 100 * time.Millisecond
	// AttemptTimeout bounds one PutRecordBatch call: 3 attempts and their backoff stay well
	// inside the construct's default function timeout.
	AttemptTimeout = 2 * time.Second
	// AnyOrigin in AllowedOrigins accepts every origin (never for production).
	AnyOrigin = "*"
)

// Environment variables of the Lambda function; the ingestion construct sets them.
const (
	EnvDeliveryStream      = "COLLECTOR_DELIVERY_STREAM"
	EnvAllowedOrigins      = "COLLECTOR_ALLOWED_ORIGINS"
	EnvMaxRequestBytes     = "COLLECTOR_MAX_REQUEST_BYTES"
	EnvMaxEventsPerRequest = "COLLECTOR_MAX_EVENTS_PER_REQUEST"
	// EnvFunctionName is set by Lambda; it is the value of the metrics' Collector dimension.
	EnvFunctionName = "AWS_LAMBDA_FUNCTION_NAME"
)

// Config is the collector's configuration.
type Config struct {
	// DeliveryStreamName receives the events. Required.
	DeliveryStreamName string
	// AllowedOrigins are the browser origins (scheme://host[:port]) whose requests are
	// accepted; AnyOrigin accepts all. Requests without an Origin header (server-side
	// senders) are accepted. Required.
	AllowedOrigins []string
	// MaxRequestBytes bounds a request body. Default: DefaultMaxRequestBytes.
	MaxRequestBytes int
	// MaxEventsPerRequest bounds the events of one request. Default: DefaultMaxEventsPerRequest.
	MaxEventsPerRequest int
	// MetricsName is the value of the metrics' Collector dimension (the function name).
	// Default: "collector".
	MetricsName string
}

func (c Config) withDefaults() Config {
	if c.MaxRequestBytes == 0 {
		c.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if c.MaxEventsPerRequest == 0 {
		c.MaxEventsPerRequest = DefaultMaxEventsPerRequest
	}
	if c.MetricsName == "" {
		c.MetricsName = "collector"
	}
	return c
}

// Validate reports every problem of a defaulted Config, naming the field, the value and
// what is allowed.
func (c Config) Validate() error {
	var errs []error
	if c.DeliveryStreamName == "" {
		errs = append(errs, errors.New("collector: DeliveryStreamName: required"))
	}
	errs = append(errs, ValidateOrigins("collector: AllowedOrigins", c.AllowedOrigins))
	errs = append(errs, ValidateLimits("collector: ", c.MaxRequestBytes, c.MaxEventsPerRequest))
	return errors.Join(errs...)
}

// ValidateLimits reports a request-size or events limit out of its range; prefix starts
// each message (e.g. "ingestion: ").
func ValidateLimits(prefix string, maxBytes, maxEvents int) error {
	var errs []error
	if maxBytes < MinRequestBytes || maxBytes > MaxRequestBytes {
		errs = append(errs, fmt.Errorf("%sMaxRequestBytes: got %d, must be between %d and %d (512 KiB)", prefix, maxBytes, MinRequestBytes, MaxRequestBytes))
	}
	if maxEvents < 1 || maxEvents > MaxEventsPerRequest {
		errs = append(errs, fmt.Errorf("%sMaxEventsPerRequest: got %d, must be between 1 and %d", prefix, maxEvents, MaxEventsPerRequest))
	}
	return errors.Join(errs...)
}

// ValidateOrigins reports a missing list or an origin that is neither AnyOrigin nor
// scheme://host[:port] (http or https, nothing after the host); field names the list.
func ValidateOrigins(field string, origins []string) error {
	if len(origins) == 0 {
		return fmt.Errorf("%s: required, must list the sites' origins such as https://shop.example.com", field)
	}
	var errs []error
	for i, o := range origins {
		if err := validateOrigin(o); err != nil {
			errs = append(errs, fmt.Errorf("%s[%d]: got %q, %v", field, i, o, err))
		}
	}
	return errors.Join(errs...)
}

func validateOrigin(o string) error {
	if o == AnyOrigin {
		return nil
	}
	u, err := url.Parse(o)
	const want = "must be an origin such as https://shop.example.com (lower-case scheme and host, optional port, no path) or \"*\""
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.ToLower(o) != o || strings.ContainsAny(o, "*?#") {
		return errors.New(want)
	}
	return nil
}

// ConfigFromEnv reads the Lambda function's environment (the Env* variables).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		DeliveryStreamName: getenv(EnvDeliveryStream),
		MetricsName:        getenv(EnvFunctionName),
	}
	if o := getenv(EnvAllowedOrigins); o != "" {
		c.AllowedOrigins = strings.Split(o, ",")
	}
	var errs []error
	number := func(name string, into *int) {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: got %q, must be an integer", name, v))
			}
			*into = n
		}
	}
	number(EnvMaxRequestBytes, &c.MaxRequestBytes)
	number(EnvMaxEventsPerRequest, &c.MaxEventsPerRequest)
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	c = c.withDefaults()
	return c, c.Validate()
}
