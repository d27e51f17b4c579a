// Package etljob provides the clickstream ETL job: a Glue 5.0 PySpark job (standard or Flex)
// running glue-scripts/job.py with the clickstream_etl package, auto scaling on G.1X
// workers, metrics, observability metrics, continuous logs and Spark UI event logs, under the
// Glue security configuration and a least-privilege role.
package etljob

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Security is what the job needs of the Glue security configuration
// (gluesecurity.GlueSecurity satisfies it).
type Security interface {
	SecurityConfiguration() awsglue.ISecurityConfiguration
	// GrantWriteLogs lets grantee write the encrypted log groups matching logGroups.
	GrantWriteLogs(grantee awsiam.IGrantable, logGroups string) awsiam.Grant
}

// Props configures the ETL job.
type Props struct {
	// JobName names the job. Required.
	JobName *string
	// RawBucket holds the raw events; the job reads RawPrefix. Required.
	RawBucket awss3.IBucket
	// CuratedBucket receives the curated tables (each under its contract prefix), the run
	// reports (lakestorage.ReportsPrefix) and the job's state (lakestorage.StatePrefix). Required.
	CuratedBucket awss3.IBucket
	// AssetsBucket holds Glue's temporary directory (lakestorage.TempPrefix) and the Spark UI
	// event logs (lakestorage.SparkUILogsPrefix). Required.
	AssetsBucket awss3.IBucket
	// Security encrypts S3 writes, logs and bookmarks. Required.
	Security Security
	// ScriptsDir holds ScriptFile and the ModulesPackage folder.
	// Default: DefaultScriptsDir() (the repository's glue-scripts/).
	ScriptsDir *string
	// ModulesCacheDir receives the zipped modules, one folder per content hash.
	// Default: a folder under os.TempDir().
	ModulesCacheDir *string
	// RawPrefix is the raw events folder, ending in "/". Default: lakestorage.RawEventsPrefix ("events/").
	RawPrefix *string
	// MaxWorkers is the auto-scaling ceiling of G.1X workers. Default: config.DefaultGlueMaxWorkers (10).
	MaxWorkers *int
	// TimeoutMinutes stops a run. Default: config.DefaultGlueTimeoutMinutes (120).
	TimeoutMinutes *int
	// MaxRetries retries a failed run. Default: config.DefaultGlueMaxRetries (1).
	MaxRetries *int
	// FlexExecution runs on spare capacity: cheaper, may start later. Default: false.
	FlexExecution *bool
	// SessionTimeoutMinutes of inactivity start a new session.
	// Default: config.DefaultSessionTimeoutMinutes (30).
	SessionTimeoutMinutes *int
	// ReportingTimeZone is the IANA time zone of every date, local hour and weekday the job
	// writes (a run with another zone than the stored tables' is refused).
	// Default: config.DefaultReportingTimeZone (UTC).
	ReportingTimeZone *string
	// MetricsNamespace is the CloudWatch namespace of the run metrics the job publishes
	// (contract.Metrics); the role may put metrics only there and in Glue's own namespace.
	// Default: contract.MetricsNamespace(JobName), e.g. "lake-dev-etl/DataQuality".
	MetricsNamespace *string
	// IPMode is what the job keeps of the IP addresses in quarantined raw lines: config.IPDrop,
	// IPTruncate or IPKeep. Default: config.DefaultIPMode (drop).
	IPMode *string
	// CuratedRetentionDays makes each run delete events and sessions partitions older than
	// this (config.CuratedRetentionDays); the rollups keep their aggregates. Default: - kept.
	CuratedRetentionDays *int
}

// metricsNamespacePattern is a CloudWatch namespace: 1-255 of letters, digits and . - _ / # :
// (never "AWS/", which is AWS's own).
var metricsNamespacePattern = regexp.MustCompile(`^[A-Za-z0-9._/#:-]{1,255}$`)

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)

func (p Props) withDefaults() Props {
	if p.ScriptsDir == nil {
		p.ScriptsDir = jsii.String(DefaultScriptsDir())
	}
	if p.ModulesCacheDir == nil {
		p.ModulesCacheDir = jsii.String(filepath.Join(os.TempDir(), "clickstream-glue-modules"))
	}
	if p.RawPrefix == nil {
		p.RawPrefix = jsii.String(lakestorage.RawEventsPrefix)
	}
	p.MaxWorkers = props.IntOr(p.MaxWorkers, config.DefaultGlueMaxWorkers)
	p.TimeoutMinutes = props.IntOr(p.TimeoutMinutes, config.DefaultGlueTimeoutMinutes)
	p.MaxRetries = props.IntOr(p.MaxRetries, config.DefaultGlueMaxRetries)
	p.SessionTimeoutMinutes = props.IntOr(p.SessionTimeoutMinutes, config.DefaultSessionTimeoutMinutes)
	if p.ReportingTimeZone == nil {
		p.ReportingTimeZone = jsii.String(config.DefaultReportingTimeZone)
	}
	if p.FlexExecution == nil {
		p.FlexExecution = jsii.Bool(false)
	}
	if p.IPMode == nil {
		p.IPMode = jsii.String(config.DefaultIPMode)
	}
	if p.MetricsNamespace == nil && p.JobName != nil {
		p.MetricsNamespace = jsii.String(contract.MetricsNamespace(*p.JobName))
	}
	return p
}

func (p Props) validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf("etljob: "+format, a...)) }
	if err := props.Name("etljob", "JobName", p.JobName, namePattern, "be 1-255 letters, digits, dots, hyphens or underscores"); err != nil {
		errs = append(errs, err)
	}
	required := []struct {
		name  string
		value any
	}{{"RawBucket", p.RawBucket}, {"CuratedBucket", p.CuratedBucket}, {"AssetsBucket", p.AssetsBucket}, {"Security", p.Security}}
	for _, r := range required {
		if r.value == nil {
			add("%s: required", r.name)
		}
	}
	if !config.FolderPattern.MatchString(*p.RawPrefix) {
		add("RawPrefix: got %q, must be a folder path such as %q (no leading slash, ending in /)", *p.RawPrefix, lakestorage.RawEventsPrefix)
	}
	for _, r := range []struct {
		name  string
		rng   config.Range
		value int
	}{
		{"MaxWorkers", config.GlueWorkers, *p.MaxWorkers},
		{"TimeoutMinutes", config.GlueTimeoutMinutes, *p.TimeoutMinutes},
		{"MaxRetries", config.GlueRetries, *p.MaxRetries},
		{"SessionTimeoutMinutes", config.SessionTimeoutMinutes, *p.SessionTimeoutMinutes},
	} {
		if msg := r.rng.CheckInt(r.value); msg != "" {
			add("%s: %s", r.name, msg)
		}
	}
	if msg := config.CheckTimeZone(*p.ReportingTimeZone); msg != "" {
		add("ReportingTimeZone: %s", msg)
	}
	if msg := config.CheckIPMode(*p.IPMode); msg != "" {
		add("IPMode: %s", msg)
	}
	if d := p.CuratedRetentionDays; d != nil {
		if msg := config.CuratedRetentionDays.CheckInt(*d); msg != "" {
			add("CuratedRetentionDays: %s", msg)
		}
	}
	if ns := p.MetricsNamespace; ns != nil && !*awscdk.Token_IsUnresolved(ns) &&
		(!metricsNamespacePattern.MatchString(*ns) || strings.HasPrefix(*ns, "AWS/")) {
		add("MetricsNamespace: got %q, must be a CloudWatch namespace: 1-255 letters, digits and . - _ / # :, not starting with AWS/", *ns)
	}
	if _, err := os.Stat(filepath.Join(*p.ScriptsDir, ScriptFile)); err != nil {
		add("ScriptsDir: got %q, must contain the job script %s", *p.ScriptsDir, ScriptFile)
	}
	if fi, err := os.Stat(filepath.Join(*p.ScriptsDir, ModulesPackage)); err != nil || !fi.IsDir() {
		add("ScriptsDir: got %q, must contain the Python package folder %s/", *p.ScriptsDir, ModulesPackage)
	}
	return errors.Join(errs...)
}

// Job is the clickstream ETL job. It is grantable: its role is the principal.
type Job interface {
	constructs.Construct
	awsiam.IGrantable
	// GlueJob is the L2 job: events (OnEvent, OnFailure) and metrics (Metric).
	GlueJob() awsglue.IJob
	// JobName is the job's name.
	JobName() *string
	// JobArn is the job's ARN.
	JobArn() *string
	// Role is the job's IAM role.
	Role() awsiam.IRole
	// Arguments are the contract arguments the job passes to the script.
	Arguments() Arguments
}

type job struct {
	constructs.Construct
	glueJob awsglue.IJob
	role    awsiam.Role
	args    Arguments
}

// New creates the job, its role and its code assets. It panics on invalid props, which
// fails synth.
func New(scope constructs.Construct, id *string, props *Props) Job {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	j := &job{Construct: constructs.NewConstruct(scope, id)}
	// One grant per curated table: minimized, the role's statements stay one inline policy
	// whatever the app's feature flags (unminimized they overflow into managed policies).
	j.Node().SetContext(jsii.String(minimizePoliciesFlag), true)
	modules, err := ModulesZip(*p.ScriptsDir, *p.ModulesCacheDir)
	if err != nil {
		panic(fmt.Errorf("etljob: zipping %s: %w", ModulesPackage, err))
	}

	j.args = Arguments{
		RawPath:               *p.RawBucket.S3UrlForObject(p.RawPrefix),
		CuratedPath:           *p.CuratedBucket.S3UrlForObject(jsii.String("")),
		ReportsPath:           *p.CuratedBucket.S3UrlForObject(jsii.String(lakestorage.ReportsPrefix)),
		StatePath:             *p.CuratedBucket.S3UrlForObject(jsii.String(lakestorage.StatePrefix)),
		SessionTimeoutMinutes: *p.SessionTimeoutMinutes,
		ReportingTimeZone:     *p.ReportingTimeZone,
		MetricsNamespace:      *p.MetricsNamespace,
		IPMode:                *p.IPMode,
	}
	if p.CuratedRetentionDays != nil {
		j.args.CuratedRetentionDays = *p.CuratedRetentionDays
	}
	arguments := j.args.ToMap()
	arguments["--job-bookmark-option"] = jsii.String(BookmarkOption)
	arguments["--TempDir"] = p.AssetsBucket.S3UrlForObject(jsii.String(lakestorage.TempPrefix))
	arguments["--enable-auto-scaling"] = jsii.String("true")
	arguments["--enable-job-insights"] = jsii.String("true")

	j.role = awsiam.NewRole(j.Construct, jsii.String(RoleID), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("glue.amazonaws.com"), nil),
		Description: jsii.String("Runs the clickstream ETL: reads raw events, writes the curated zone"),
	})
	j.grant(p)

	script := j.codeAsset(ScriptAssetID, filepath.Join(*p.ScriptsDir, ScriptFile))
	pyFiles := &[]awsglue.Code{j.codeAsset(ModulesAssetID, modules)}
	description := jsii.String(jobDescription())
	timeout := awscdk.Duration_Minutes(jsii.Number(float64(*p.TimeoutMinutes)))
	workers := &awsglue.WorkerConfiguration{WorkerType: awsglue.WorkerType_G_1X, NumberOfWorkers: jsii.Number(float64(*p.MaxWorkers))}
	// Glue 5.0 streams driver and executor logs in real time on its own; the Glue 4.0
	// --enable-continuous-cloudwatch-log argument would be obsolete.
	logging := &awsglue.ContinuousLoggingProps{Enabled: jsii.Bool(false)}
	sparkUI := &awsglue.SparkUIProps{Bucket: p.AssetsBucket, Prefix: jsii.String(sparkUIPrefix())}
	// The two L2s share their props but not a Go type: keep one list of values.
	if *p.FlexExecution {
		j.glueJob = awsglue.NewPySparkFlexEtlJob(j.Construct, jsii.String(ResourceID), &awsglue.PySparkFlexEtlJobProps{
			JobName: p.JobName, Description: description, Role: j.role, Script: script, ExtraPythonFiles: pyFiles,
			GlueVersion: awsglue.GlueVersion_V5_0, WorkerConfiguration: workers, Timeout: timeout,
			MaxRetries: jsii.Number(float64(*p.MaxRetries)), MaxConcurrentRuns: jsii.Number(MaxConcurrentRuns),
			SecurityConfiguration: p.Security.SecurityConfiguration(), ContinuousLogging: logging, SparkUI: sparkUI,
			EnableMetrics: jsii.Bool(true), EnableObservabilityMetrics: jsii.Bool(true), DefaultArguments: &arguments,
		})
	} else {
		j.glueJob = awsglue.NewPySparkEtlJob(j.Construct, jsii.String(ResourceID), &awsglue.PySparkEtlJobProps{
			JobName: p.JobName, Description: description, Role: j.role, Script: script, ExtraPythonFiles: pyFiles,
			GlueVersion: awsglue.GlueVersion_V5_0, WorkerConfiguration: workers, Timeout: timeout,
			MaxRetries: jsii.Number(float64(*p.MaxRetries)), MaxConcurrentRuns: jsii.Number(MaxConcurrentRuns),
			SecurityConfiguration: p.Security.SecurityConfiguration(), ContinuousLogging: logging, SparkUI: sparkUI,
			EnableMetrics: jsii.Bool(true), EnableObservabilityMetrics: jsii.Bool(true), DefaultArguments: &arguments,
		})
	}
	j.suppressFindings(p)
	return j
}

func (j *job) codeAsset(id, path string) awsglue.Code { return CodeAsset(j.Construct, id, path) }

// jobDescription names the curated tables the job writes, in contract order.
func jobDescription() string {
	var names []string
	for _, t := range contract.Tables() {
		names = append(names, t.Name)
	}
	return "Clickstream ETL: raw JSON lines to the curated tables " + strings.Join(names, ", ") + " (Parquet)"
}

// curatedPrefixes are the curated folders the job reads, rewrites and deletes: every
// contract table's, then reports and state.
func curatedPrefixes() []string {
	var out []string
	for _, t := range contract.Tables() {
		out = append(out, t.Prefix)
	}
	return append(out, lakestorage.ReportsPrefix, lakestorage.StatePrefix)
}

// FolderMarker is the key Hadoop's S3 file systems may write (and delete) beside a folder
// they create or remove, "events/" -> "events_$folder$": outside the folder's own "events/*"
// grant, so it is granted exactly, key by key.
func FolderMarker(prefix string) string { return strings.TrimSuffix(prefix, "/") + "_$folder$" }

// minimizePoliciesFlag is aws-cdk-lib's feature flag that merges compatible policy statements.
const minimizePoliciesFlag = "@aws-cdk/aws-iam:minimizePolicies"

// FolderMarkerActions read, write and delete a marker object (the bucket grants cover the key).
var FolderMarkerActions = []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}

// grantFolderMarkers lets the role read, write and delete the folder markers of prefixes, in
// one statement with exact keys (no wildcard).
func (j *job) grantFolderMarkers(sid string, bucket awss3.IBucket, prefixes ...string) {
	var keys []*string
	for _, prefix := range prefixes {
		keys = append(keys, bucket.ArnForObjects(jsii.String(FolderMarker(prefix))))
	}
	j.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String(sid), Actions: jsii.Strings(FolderMarkerActions...), Resources: &keys,
	}))
}

// sparkUIPrefix is lakestorage.SparkUILogsPrefix as the Glue L2 wants it: a leading slash
// and none at the end.
func sparkUIPrefix() string { return "/" + strings.TrimSuffix(lakestorage.SparkUILogsPrefix, "/") }

// grant gives the role exactly what the script does; the L2 adds read access to the code
// assets and read-write to the Spark UI prefix.
func (j *job) grant(p Props) {
	p.RawBucket.GrantRead(j.role, jsii.String(*p.RawPrefix+"*"))
	for _, prefix := range curatedPrefixes() {
		p.CuratedBucket.GrantReadWrite(j.role, jsii.String(prefix+"*"))
	}
	p.AssetsBucket.GrantReadWrite(j.role, jsii.String(lakestorage.TempPrefix+"*"))
	j.grantFolderMarkers("CuratedFolderMarkers", p.CuratedBucket, curatedPrefixes()...)
	j.grantFolderMarkers("AssetsFolderMarkers", p.AssetsBucket, lakestorage.TempPrefix, lakestorage.SparkUILogsPrefix)
	p.Security.GrantWriteLogs(j.role, gluesecurity.JobLogGroups)
	// No Data Catalog grant: the script reads and writes S3 paths only (no table API), and
	// the job runs without --enable-glue-datacatalog.
	// PutMetricData has no resource-level permissions; the namespace condition limits it to
	// Glue's job metrics and the run metrics of this pipeline.
	j.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("PublishGlueMetrics"),
		Actions:    jsii.Strings("cloudwatch:PutMetricData"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"StringEquals": map[string]any{"cloudwatch:namespace": []string{GlueMetricsNamespace, *p.MetricsNamespace}}},
	}))
	// The job's Data Quality evaluations publish their results (Glue's Data Quality tab).
	j.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("PublishDataQualityResults"),
		Actions:   jsii.Strings("glue:PublishDataQuality"),
		Resources: jsii.Strings(dataQualityRulesets(j.Construct)),
	}))
}

// dataQualityRulesets is the ARN of every Data Quality ruleset of this account and region:
// rulesets evaluated inside a job get names Glue generates.
func dataQualityRulesets(scope constructs.Construct) string {
	return *awscdk.Stack_Of(scope).FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("glue"), Resource: jsii.String("dataQualityRuleset"), ResourceName: jsii.String("*"),
		ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
}

func (j *job) GlueJob() awsglue.IJob             { return j.glueJob }
func (j *job) JobName() *string                  { return j.glueJob.JobName() }
func (j *job) JobArn() *string                   { return j.glueJob.JobArn() }
func (j *job) Role() awsiam.IRole                { return j.role }
func (j *job) GrantPrincipal() awsiam.IPrincipal { return j.role }
func (j *job) Arguments() Arguments              { return j.args }
