package collector

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/clickstream-analytics/datalake/config"
)

// Limits and defaults of Config. The ingestion construct documents and passes them on.
const (
	// Path is where the collector accepts events: POST /collect.
	Path = "/collect"
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
	AnyOrigin = config.AnyOrigin
)

// Environment variables of the Lambda function; the ingestion construct sets them.
const (
	EnvDeliveryStream      = "COLLECTOR_DELIVERY_STREAM"
	EnvAllowedOrigins      = "COLLECTOR_ALLOWED_ORIGINS"
	EnvMaxRequestBytes     = "COLLECTOR_MAX_REQUEST_BYTES"
	EnvMaxEventsPerRequest = "COLLECTOR_MAX_EVENTS_PER_REQUEST"
	EnvIPMode              = "COLLECTOR_IP_MODE"
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
	// MaxRequestBytes bounds a request body. Default: config.DefaultIngestionMaxRequestBytes.
	MaxRequestBytes int
	// MaxEventsPerRequest bounds the events of one request. Default: config.DefaultIngestionMaxEventsPerRequest.
	MaxEventsPerRequest int
	// IPMode is what is stored of the request's source IP (context.ip): config.IPDrop,
	// IPTruncate or IPKeep. Default: config.DefaultIPMode (drop).
	IPMode string
	// MetricsName is the value of the metrics' Collector dimension (the function name).
	// Default: "collector".
	MetricsName string
}

func (c Config) withDefaults() Config {
	if c.MaxRequestBytes == 0 {
		c.MaxRequestBytes = config.DefaultIngestionMaxRequestBytes
	}
	if c.MaxEventsPerRequest == 0 {
		c.MaxEventsPerRequest = config.DefaultIngestionMaxEventsPerRequest
	}
	if c.IPMode == "" {
		c.IPMode = config.DefaultIPMode
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
	if msg := config.CheckIPMode(c.IPMode); msg != "" {
		errs = append(errs, errors.New("collector: IPMode: "+msg))
	}
	return errors.Join(errs...)
}

// ValidateLimits reports a request-size or events limit out of its range; prefix starts
// each message (e.g. "ingestion: ").
func ValidateLimits(prefix string, maxBytes, maxEvents int) error {
	var errs []error
	if msg := config.IngestionMaxRequestBytes.CheckInt(maxBytes); msg != "" {
		errs = append(errs, fmt.Errorf("%sMaxRequestBytes: %s", prefix, msg))
	}
	if msg := config.IngestionMaxEventsPerRequest.CheckInt(maxEvents); msg != "" {
		errs = append(errs, fmt.Errorf("%sMaxEventsPerRequest: %s", prefix, msg))
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
	if msg := config.CheckOrigin(o); msg != "" {
		return errors.New(msg)
	}
	return nil
}

// ConfigFromEnv reads the Lambda function's environment (the Env* variables).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		DeliveryStreamName: getenv(EnvDeliveryStream),
		MetricsName:        getenv(EnvFunctionName),
		IPMode:             getenv(EnvIPMode),
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
