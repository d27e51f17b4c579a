// Package config parses, defaults and validates the per-environment configuration read from
// the CDK context key "environments" (cdk.json). It has no CDK dependency, so it is tested
// without a jsii runtime.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// ContextKey is the CDK context key holding the environments object.
const ContextKey = "environments"

// SelectContextKey is the CDK context key that selects one environment (`-c env=prod`).
const SelectContextKey = "env"

// Environment is one deployment environment: one stack. Pointers are optional fields whose
// default applies when they are absent from cdk.json.
type Environment struct {
	// Name is the key of the environment in cdk.json (dev, staging, prod).
	Name string `json:"-"`
	// Account is the 12-digit AWS account id. Default: "" (environment-agnostic stack).
	Account string `json:"account"`
	// Region is the AWS region, e.g. eu-west-1. Default: "" (environment-agnostic stack).
	Region string `json:"region"`
	// Prefix names every named resource (Glue database, jobs, workgroup, ...). Default: DefaultPrefix.
	Prefix string `json:"prefix"`
	// Production marks an environment that holds production data: it gets termination
	// protection and may never set AllowDestroyData. Default: derived from the name, true for
	// "prod", "production" and "prod-*" (see IsProduction).
	Production *bool `json:"production"`
	// AllowDestroyData makes stateful resources DESTROY (buckets emptied) on stack deletion.
	// Default: false (RETAIN). Never allowed for production environments.
	AllowDestroyData bool `json:"allowDestroyData"`
	// ReportingTimeZone is the IANA time zone (Asia/Seoul, Europe/Berlin) of every day, hour and
	// weekday the lake reports: the *_date partition columns, the rollups' days, the local hour
	// and weekday columns. Timestamps stay UTC. Changing it needs a full reprocess from raw (see
	// the README). Default: DefaultReportingTimeZone.
	ReportingTimeZone string `json:"reportingTimeZone"`
	// Storage configures bucket lifecycles.
	Storage Storage `json:"storage"`
	// Athena configures the query workgroup.
	Athena Athena `json:"athena"`
	// Glue configures the crawler and the ETL job.
	Glue Glue `json:"glue"`
	// Alarms configures failure notifications.
	Alarms Alarms `json:"alarms"`
	// QuickSight configures the dashboards.
	QuickSight QuickSight `json:"quicksight"`
	// Ingestion configures the collector and the browser tracker's endpoint.
	Ingestion Ingestion `json:"ingestion"`
	// Privacy configures IP handling and the retention of personal data (privacy.go).
	Privacy Privacy `json:"privacy"`
	// LakeFormation governs the lake with AWS Lake Formation: the raw and curated buckets are
	// registered with a data-access role of the stack's own, and the crawler and every reader
	// of the curated tables get Lake Formation grants. Default: false (IAM only: the account's
	// Data Catalog must keep its IAM-only defaults, see the README).
	LakeFormation bool `json:"lakeFormation"`
	// Tags are applied to every resource of the stack, besides the "environment" tag.
	Tags map[string]string `json:"tags"`
}

// Storage configures the lake buckets' lifecycles.
type Storage struct {
	// RawInfrequentAccessDays moves raw objects to S3 Standard-IA. Default: DefaultRawInfrequentAccessDays.
	RawInfrequentAccessDays int `json:"rawInfrequentAccessDays"`
	// RawGlacierDays moves raw objects to Glacier Instant Retrieval. Default: DefaultRawGlacierDays.
	RawGlacierDays int `json:"rawGlacierDays"`
	// AthenaResultsRetentionDays expires Athena query results. Default: DefaultAthenaResultsRetentionDays.
	AthenaResultsRetentionDays int `json:"athenaResultsRetentionDays"`
}

// Athena configures the workgroup.
type Athena struct {
	// BytesScannedCutoff cancels any query scanning more bytes. Default: DefaultBytesScannedCutoff.
	BytesScannedCutoff int64 `json:"bytesScannedCutoff"`
}

// Glue configures the crawler, the ETL job and their workflow.
type Glue struct {
	// MaxWorkers is the auto-scaling ceiling of the ETL job (G.1X). Default: DefaultGlueMaxWorkers.
	MaxWorkers int `json:"maxWorkers"`
	// Schedule is the Glue cron expression starting the workflow. Default: DefaultGlueSchedule.
	Schedule string `json:"schedule"`
	// TimeoutMinutes stops a job run. Default: DefaultGlueTimeoutMinutes.
	TimeoutMinutes int `json:"timeoutMinutes"`
	// MaxRetries retries a failed job run. Default: DefaultGlueMaxRetries.
	MaxRetries int `json:"maxRetries"`
	// FlexExecution runs the job on spare capacity (cheaper, may start later). Default: false.
	FlexExecution bool `json:"flexExecution"`
	// SessionTimeoutMinutes of inactivity start a new session. Default: DefaultSessionTimeoutMinutes.
	SessionTimeoutMinutes int `json:"sessionTimeoutMinutes"`
	// DurationAlarmMinutes alarms when a job run takes longer. Default: DefaultGlueDurationAlarmMinutes.
	DurationAlarmMinutes int `json:"durationAlarmMinutes"`
}

// Alarms configures where failures are sent and the thresholds of the data alarms.
type Alarms struct {
	// Email subscribes an address to the failure topic. Default: "" (no subscription).
	Email string `json:"email"`
	// QuarantineSharePercent alarms when a run quarantines more of its input.
	// Default: DefaultQuarantineSharePercent.
	QuarantineSharePercent int `json:"quarantineSharePercent"`
	// BotSharePercent alarms when bots make more of a run's curated events.
	// Default: DefaultBotSharePercent.
	BotSharePercent int `json:"botSharePercent"`
	// FreshnessHours alarms when no run succeeded, or none curated an event, for this long.
	// Default: DefaultFreshnessHours.
	FreshnessHours int `json:"freshnessHours"`
	// VolumeDropPercent alarms when a run curates less than this share of the previous runs'
	// average. Default: DefaultVolumeDropPercent.
	VolumeDropPercent int `json:"volumeDropPercent"`
}

// QuickSight configures the dashboards. Disabled environments create no QuickSight resource.
type QuickSight struct {
	// Enabled creates the data source, datasets, analysis and dashboard. Default: false.
	Enabled bool `json:"enabled"`
	// Owners are QuickSight user or group ARNs with full control. Required when enabled.
	Owners []string `json:"owners"`
	// Viewers are QuickSight user or group ARNs that may view the dashboard. Default: none.
	Viewers []string `json:"viewers"`
	// ImportMode is SPICE or DIRECT_QUERY. Default: DefaultQuickSightImportMode.
	ImportMode string `json:"importMode"`
	// RefreshTime is the daily SPICE refresh time (HH:MM, UTC), after the ETL schedule.
	// Default: DefaultQuickSightRefreshTime.
	RefreshTime string `json:"refreshTime"`
}

// Ingestion configures the serverless collector (Lambda function URL + Firehose into the raw
// bucket). Disabled environments create none of it.
type Ingestion struct {
	// Enabled creates the collector. Default: false.
	Enabled bool `json:"enabled"`
	// AllowedOrigins are the sites (https://shop.example.com) allowed to send events. Required
	// when enabled; "*" only outside production.
	AllowedOrigins []string `json:"allowedOrigins"`
	// ReservedConcurrency is the collector's throttle. Default: DefaultIngestionReservedConcurrency.
	ReservedConcurrency int `json:"reservedConcurrency"`
	// MaxRequestBytes bounds a request body. Default: DefaultIngestionMaxRequestBytes.
	MaxRequestBytes int `json:"maxRequestBytes"`
	// MaxEventsPerRequest bounds one request's events. Default: DefaultIngestionMaxEventsPerRequest.
	MaxEventsPerRequest int `json:"maxEventsPerRequest"`
	// BufferingIntervalSeconds delivers a raw file at least this often. Default: DefaultIngestionBufferingIntervalSeconds.
	BufferingIntervalSeconds int `json:"bufferingIntervalSeconds"`
	// BufferingSizeMiB delivers a raw file when this much is buffered. Default: DefaultIngestionBufferingSizeMiB.
	BufferingSizeMiB int `json:"bufferingSizeMiB"`
}

// defaults returns an Environment holding every default; JSON decoding overwrites what the
// file sets, so an absent field keeps its default and an explicit value is respected.
func defaults(name string) Environment {
	return Environment{
		Name:              name,
		Prefix:            DefaultPrefix,
		ReportingTimeZone: DefaultReportingTimeZone,
		Storage: Storage{
			RawInfrequentAccessDays:    DefaultRawInfrequentAccessDays,
			RawGlacierDays:             DefaultRawGlacierDays,
			AthenaResultsRetentionDays: DefaultAthenaResultsRetentionDays,
		},
		Athena: Athena{BytesScannedCutoff: DefaultBytesScannedCutoff},
		Glue: Glue{
			MaxWorkers:            DefaultGlueMaxWorkers,
			Schedule:              DefaultGlueSchedule,
			TimeoutMinutes:        DefaultGlueTimeoutMinutes,
			MaxRetries:            DefaultGlueMaxRetries,
			SessionTimeoutMinutes: DefaultSessionTimeoutMinutes,
			DurationAlarmMinutes:  DefaultGlueDurationAlarmMinutes,
		},
		Alarms: Alarms{
			QuarantineSharePercent: DefaultQuarantineSharePercent,
			BotSharePercent:        DefaultBotSharePercent,
			FreshnessHours:         DefaultFreshnessHours,
			VolumeDropPercent:      DefaultVolumeDropPercent,
		},
		QuickSight: QuickSight{
			ImportMode:  DefaultQuickSightImportMode,
			RefreshTime: DefaultQuickSightRefreshTime,
		},
		Ingestion: Ingestion{
			ReservedConcurrency:      DefaultIngestionReservedConcurrency,
			MaxRequestBytes:          DefaultIngestionMaxRequestBytes,
			MaxEventsPerRequest:      DefaultIngestionMaxEventsPerRequest,
			BufferingIntervalSeconds: DefaultIngestionBufferingIntervalSeconds,
			BufferingSizeMiB:         DefaultIngestionBufferingSizeMiB,
		},
		Privacy: defaultPrivacy(),
		Tags:    map[string]string{},
	}
}

// IsProduction reports whether the environment holds production data: the explicit
// "production" field when set, else whether the name is "prod", "production" or starts with
// "prod-". Production environments may never destroy data.
func (e Environment) IsProduction() bool {
	if e.Production != nil {
		return *e.Production
	}
	return NamedLikeProduction(e.Name)
}

// NamedLikeProduction is the default of Environment.Production: the name is "prod",
// "production" or starts with "prod-".
func NamedLikeProduction(name string) bool {
	return name == "prod" || name == "production" || strings.HasPrefix(name, "prod-")
}

// NamePrefix starts the names of the environment's named resources: <prefix>-<environment>.
func (e Environment) NamePrefix() string { return e.Prefix + "-" + e.Name }

// StackName is the CloudFormation stack name of the environment.
func (e Environment) StackName() string { return StackNamePrefix + e.Name }

// Parse reads the "environments" context value (as JSON) and returns the selected
// environments sorted by name, defaulted and validated. selected is the value of
// `-c env=`; empty selects all. Every problem is reported in one joined error.
func Parse(environmentsJSON []byte, selected string) ([]Environment, error) {
	if len(bytes.TrimSpace(environmentsJSON)) == 0 || string(bytes.TrimSpace(environmentsJSON)) == "null" {
		return nil, fmt.Errorf("%s: missing: add an \"environments\" object to the context in cdk.json", ContextKey)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(environmentsJSON, &raw); err != nil {
		return nil, fmt.Errorf("%s: got %s, must be an object of environment name to settings", ContextKey, describeJSON(environmentsJSON))
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%s: got an empty object, must configure at least one environment", ContextKey)
	}
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	sort.Strings(names)
	if selected != "" {
		if _, ok := raw[selected]; !ok {
			return nil, fmt.Errorf("%s: got %q, must be one of %s", SelectContextKey, selected, strings.Join(names, ", "))
		}
		names = []string{selected}
	}
	var errs []error
	envs := make([]Environment, 0, len(names))
	for _, name := range names {
		env, err := parseEnvironment(name, raw[name])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		envs = append(envs, env)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return envs, nil
}

func parseEnvironment(name string, data json.RawMessage) (Environment, error) {
	path := ContextKey + "." + name
	if !environmentNamePattern.MatchString(name) {
		return Environment{}, fmt.Errorf("%s: environment name %q is not allowed, must match %s (it becomes part of the stack name)", path, name, environmentNamePattern)
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return Environment{}, fmt.Errorf("%s: %v", path, err)
	}
	if errs := checkShape(path, generic, reflect.TypeOf(Environment{})); len(errs) > 0 {
		return Environment{}, errors.Join(errs...)
	}
	env := defaults(name)
	if err := json.Unmarshal(data, &env); err != nil {
		return Environment{}, fmt.Errorf("%s: %v", path, err)
	}
	env.Name = name
	if err := env.Validate(); err != nil {
		return Environment{}, err
	}
	return env, nil
}

// checkShape walks decoded JSON against the Go type so that unknown keys (typos) and wrong
// types are reported with their full path, which encoding/json does not do.
func checkShape(path string, v any, t reflect.Type) []error {
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return []error{fmt.Errorf("%s: got %s, must be an object", path, describe(v))}
		}
		fields := map[string]reflect.StructField{}
		var allowed []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("json"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			fields[tag] = f
			allowed = append(allowed, tag)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var errs []error
		for _, k := range keys {
			f, ok := fields[k]
			if !ok {
				errs = append(errs, fmt.Errorf("%s.%s: unknown field, allowed fields are %s", path, k, strings.Join(allowed, ", ")))
				continue
			}
			errs = append(errs, checkShape(path+"."+k, obj[k], f.Type)...)
		}
		return errs
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return []error{fmt.Errorf("%s: got %s, must be an object of strings", path, describe(v))}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var errs []error
		for _, k := range keys {
			errs = append(errs, checkShape(path+"."+k, obj[k], t.Elem())...)
		}
		return errs
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			return []error{fmt.Errorf("%s: got %s, must be a list", path, describe(v))}
		}
		var errs []error
		for i, item := range arr {
			errs = append(errs, checkShape(fmt.Sprintf("%s[%d]", path, i), item, t.Elem())...)
		}
		return errs
	case reflect.String:
		if _, ok := v.(string); !ok {
			return []error{fmt.Errorf("%s: got %s, must be a string", path, describe(v))}
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return []error{fmt.Errorf("%s: got %s, must be true or false", path, describe(v))}
		}
	case reflect.Int, reflect.Int64:
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			return []error{fmt.Errorf("%s: got %s, must be a whole number", path, describe(v))}
		}
	case reflect.Pointer:
		// An optional field: null is not a value, so it is checked like the field itself.
		return checkShape(path, v, t.Elem())
	default:
		// A field kind added to Environment without a rule here would accept anything.
		panic(fmt.Sprintf("config: checkShape has no rule for %s of kind %s", path, t.Kind()))
	}
	return nil
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return fmt.Sprintf("the boolean %t", x)
	case float64:
		return fmt.Sprintf("the number %v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%v", v)
}

func describeJSON(data []byte) string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return "invalid JSON"
	}
	return describe(v)
}
