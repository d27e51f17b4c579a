package ingestion

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/ingestion/collector"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Props configures the ingestion.
type Props struct {
	// RawBucket receives the events under RawPrefix. Required.
	RawBucket awss3.IBucket
	// EncryptionKey is the lake key: it encrypts the delivered objects, the delivery stream
	// and both log groups. Its policy gets a statement letting CloudWatch Logs use it for
	// these two log groups (a key imported by ARN must allow that itself). Required.
	EncryptionKey awskms.IKey
	// AlarmTopic receives every alarm (the lake's failure topic). Required.
	AlarmTopic awssns.ITopic
	// FunctionName names the collector function and its log group. Required.
	FunctionName *string
	// DeliveryStreamName names the delivery stream and its log group. Required.
	DeliveryStreamName *string
	// AllowedOrigins are the sites' origins (https://shop.example.com) allowed to send events:
	// the function URL's CORS and the collector's own check. Required.
	AllowedOrigins *[]*string
	// Production refuses "*" in AllowedOrigins. Default: true (set false to allow "*" in a
	// development environment).
	Production *bool
	// RawPrefix is the raw events folder the crawler and the ETL read, ending in "/".
	// Default: lakestorage.RawEventsPrefix ("events/").
	RawPrefix *string
	// ErrorPrefix receives the records Firehose could not deliver; it must not overlap
	// RawPrefix. Default: DefaultErrorPrefix ("delivery-errors/").
	ErrorPrefix *string
	// BufferingIntervalSeconds delivers a file at least this often (config.IngestionBufferingIntervalSeconds).
	// Default: config.DefaultIngestionBufferingIntervalSeconds (300).
	BufferingIntervalSeconds *int
	// BufferingSizeMiB delivers a file when this much is buffered, before compression
	// (config.IngestionBufferingSizeMiB). Default: config.DefaultIngestionBufferingSizeMiB (64).
	BufferingSizeMiB *int
	// ReservedConcurrency is the collector's throttle (config.IngestionReservedConcurrency).
	// Default: config.DefaultIngestionReservedConcurrency (10).
	ReservedConcurrency *int
	// MemorySizeMiB of the function (128-1024). Default: DefaultMemorySizeMiB (128).
	MemorySizeMiB *int
	// TimeoutSeconds of an invocation (8-60). Default: DefaultTimeoutSeconds (10).
	TimeoutSeconds *int
	// MaxRequestBytes bounds a request body (config.IngestionMaxRequestBytes).
	// Default: config.DefaultIngestionMaxRequestBytes (131072, 128 KiB).
	MaxRequestBytes *int
	// MaxEventsPerRequest bounds the events of one request (config.IngestionMaxEventsPerRequest).
	// Default: config.DefaultIngestionMaxEventsPerRequest (100).
	MaxEventsPerRequest *int
	// IPMode is what the collector stores of a request's source IP: config.IPDrop,
	// IPTruncate (IPv4 /24, IPv6 /48) or IPKeep. Default: config.DefaultIPMode (drop).
	IPMode *string
	// LogRetentionDays of both log groups, one of CloudWatch's retention values.
	// Default: DefaultLogRetentionDays (365).
	LogRetentionDays *int
	// RemovalPolicy of the log groups. Default: props.DefaultRemovalPolicy (RETAIN_ON_UPDATE_OR_DELETE: kept on
	// update and deletion, removed when its own creation fails).
	RemovalPolicy awscdk.RemovalPolicy
	// Code of the function. Default: - the collector (collector/lambda) built from this
	// module at synth with the Go toolchain ($GO or go on PATH), linux/arm64, once per process.
	Code awslambda.Code
}

var (
	functionNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	streamNamePattern   = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	// retentions are CloudWatch Logs' retention periods, by days.
	retentions = map[int]awslogs.RetentionDays{
		1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS, 5: awslogs.RetentionDays_FIVE_DAYS,
		7: awslogs.RetentionDays_ONE_WEEK, 14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
		60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS, 120: awslogs.RetentionDays_FOUR_MONTHS,
		150: awslogs.RetentionDays_FIVE_MONTHS, 180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
		400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS, 731: awslogs.RetentionDays_TWO_YEARS,
		1096: awslogs.RetentionDays_THREE_YEARS, 1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
		2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS, 3288: awslogs.RetentionDays_NINE_YEARS,
		3653: awslogs.RetentionDays_TEN_YEARS,
	}
)

// withDefaults returns a copy of p with every unset field defaulted; p is not modified.
func (p Props) withDefaults() Props {
	if p.Production == nil {
		p.Production = jsii.Bool(true)
	}
	if p.RawPrefix == nil {
		p.RawPrefix = jsii.String(lakestorage.RawEventsPrefix)
	}
	if p.ErrorPrefix == nil {
		p.ErrorPrefix = jsii.String(DefaultErrorPrefix)
	}
	p.BufferingIntervalSeconds = props.IntOr(p.BufferingIntervalSeconds, config.DefaultIngestionBufferingIntervalSeconds)
	p.BufferingSizeMiB = props.IntOr(p.BufferingSizeMiB, config.DefaultIngestionBufferingSizeMiB)
	p.ReservedConcurrency = props.IntOr(p.ReservedConcurrency, config.DefaultIngestionReservedConcurrency)
	p.MemorySizeMiB = props.IntOr(p.MemorySizeMiB, DefaultMemorySizeMiB)
	p.TimeoutSeconds = props.IntOr(p.TimeoutSeconds, DefaultTimeoutSeconds)
	p.MaxRequestBytes = props.IntOr(p.MaxRequestBytes, config.DefaultIngestionMaxRequestBytes)
	p.MaxEventsPerRequest = props.IntOr(p.MaxEventsPerRequest, config.DefaultIngestionMaxEventsPerRequest)
	p.LogRetentionDays = props.IntOr(p.LogRetentionDays, DefaultLogRetentionDays)
	if p.IPMode == nil {
		p.IPMode = jsii.String(config.DefaultIPMode)
	}
	p.RemovalPolicy = props.RemovalPolicyOr(p.RemovalPolicy)
	return p
}

// validate checks defaulted props and reports every problem at once.
func (p Props) validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("ingestion: "+format, args...)) }
	if p.RawBucket == nil {
		add("RawBucket: required")
	}
	if p.EncryptionKey == nil {
		add("EncryptionKey: required")
	}
	if p.AlarmTopic == nil {
		add("AlarmTopic: required")
	}
	errs = append(errs,
		props.Name("ingestion", "FunctionName", p.FunctionName, functionNamePattern, "be 1-64 letters, digits, hyphens or underscores"),
		props.Name("ingestion", "DeliveryStreamName", p.DeliveryStreamName, streamNamePattern, "be 1-64 letters, digits, dots, hyphens or underscores"))
	errs = append(errs, p.validateOrigins())
	folder := func(name, v, example string) {
		if !config.FolderPattern.MatchString(v) {
			add("%s: got %q, must be a folder path such as %q (no leading slash, ending in /)", name, v, example)
		}
	}
	folder("RawPrefix", *p.RawPrefix, lakestorage.RawEventsPrefix)
	folder("ErrorPrefix", *p.ErrorPrefix, DefaultErrorPrefix)
	if raw, bad := *p.RawPrefix, *p.ErrorPrefix; strings.HasPrefix(raw, bad) || strings.HasPrefix(bad, raw) {
		add("ErrorPrefix: got %q, must not overlap RawPrefix %q: the crawler and the ETL would read failed records", bad, raw)
	}
	between := func(name string, v, lo, hi int, unit string) {
		if v < lo || v > hi {
			add("%s: got %d, must be between %d and %d%s", name, v, lo, hi, unit)
		}
	}
	for _, r := range []struct {
		name  string
		rng   config.Range
		value int
	}{
		{"BufferingIntervalSeconds", config.IngestionBufferingIntervalSeconds, *p.BufferingIntervalSeconds},
		{"BufferingSizeMiB", config.IngestionBufferingSizeMiB, *p.BufferingSizeMiB},
		{"ReservedConcurrency", config.IngestionReservedConcurrency, *p.ReservedConcurrency},
	} {
		if msg := r.rng.CheckInt(r.value); msg != "" {
			add("%s: %s", r.name, msg)
		}
	}
	between("MemorySizeMiB", *p.MemorySizeMiB, MinMemorySizeMiB, MaxMemorySizeMiB, " MiB")
	between("TimeoutSeconds", *p.TimeoutSeconds, MinTimeoutSeconds, MaxTimeoutSeconds, " seconds")
	errs = append(errs, collector.ValidateLimits("ingestion: ", *p.MaxRequestBytes, *p.MaxEventsPerRequest))
	if msg := config.CheckIPMode(*p.IPMode); msg != "" {
		add("IPMode: %s", msg)
	}
	if _, ok := retentions[*p.LogRetentionDays]; !ok {
		days := slices.Sorted(maps.Keys(retentions))
		add("LogRetentionDays: got %d, must be one of %v", *p.LogRetentionDays, days)
	}
	errs = append(errs, props.RetainOrDestroy("ingestion", p.RemovalPolicy))
	return errors.Join(errs...)
}

func (p Props) validateOrigins() error {
	var origins []string
	if p.AllowedOrigins != nil {
		for _, o := range *p.AllowedOrigins {
			if o == nil {
				origins = append(origins, "")
			} else if !*awscdk.Token_IsUnresolved(o) {
				origins = append(origins, *o)
			}
		}
	}
	if p.AllowedOrigins != nil && len(*p.AllowedOrigins) > 0 && len(origins) == 0 {
		return nil // every origin is a token, known at deploy only
	}
	err := collector.ValidateOrigins("ingestion: AllowedOrigins", origins)
	if *p.Production && slices.Contains(origins, collector.AnyOrigin) {
		err = errors.Join(err, errors.New(`ingestion: AllowedOrigins: got "*", must list the sites' origins in production (Production is true unless set false)`))
	}
	return err
}
