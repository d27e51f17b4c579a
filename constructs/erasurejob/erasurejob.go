// Package erasurejob provides the erasure Glue job: on a schedule it erases the visitors named
// by new request files under lakestorage.ErasureRequestsPrefix from the curated tables, the
// rollups, the quarantine and the raw objects (glue-scripts/forget.py), and notifies the alarm
// topic when a run fails.
package erasurejob

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/alarms"
	"github.com/clickstream-analytics/datalake/constructs/etljob"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/gluecron"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Props configures the erasure job.
type Props struct {
	// JobName names the job. Required.
	JobName *string
	// RawBucket holds the raw objects the job rewrites under RawPrefix. Required.
	RawBucket awss3.IBucket
	// CuratedBucket holds the tables, the state, the requests and the audit reports. Required.
	CuratedBucket awss3.IBucket
	// AssetsBucket holds Glue's temporary directory. Required.
	AssetsBucket awss3.IBucket
	// Security encrypts S3 writes and logs. Required.
	Security etljob.Security
	// AlarmTopic is notified when a run fails, times out or is stopped. Required.
	AlarmTopic awssns.ITopic
	// RawPrefix is the raw events folder, ending in "/". Default: lakestorage.RawEventsPrefix ("events/").
	RawPrefix *string
	// Schedule is the Glue cron expression starting the job. Default: DefaultSchedule (daily 01:00 UTC).
	Schedule *string
	// MaxWorkers of G.1X (config.GlueWorkers). Default: DefaultMaxWorkers (4).
	MaxWorkers *int
	// TimeoutMinutes stops a run (config.GlueTimeoutMinutes). Default: config.DefaultGlueTimeoutMinutes (120).
	TimeoutMinutes *int
	// ScriptsDir holds ScriptFile and the script package. Default: etljob.DefaultScriptsDir().
	ScriptsDir *string
	// ModulesCacheDir receives the zipped package. Default: a folder under os.TempDir().
	ModulesCacheDir *string
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)

func (p Props) withDefaults() Props {
	if p.RawPrefix == nil {
		p.RawPrefix = jsii.String(lakestorage.RawEventsPrefix)
	}
	if p.Schedule == nil {
		p.Schedule = jsii.String(DefaultSchedule)
	}
	p.MaxWorkers = props.IntOr(p.MaxWorkers, DefaultMaxWorkers)
	p.TimeoutMinutes = props.IntOr(p.TimeoutMinutes, config.DefaultGlueTimeoutMinutes)
	if p.ScriptsDir == nil {
		p.ScriptsDir = jsii.String(etljob.DefaultScriptsDir())
	}
	if p.ModulesCacheDir == nil {
		p.ModulesCacheDir = jsii.String(filepath.Join(os.TempDir(), "clickstream-glue-modules"))
	}
	return p
}

func (p Props) validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf("erasurejob: "+format, a...)) }
	if err := props.Name("erasurejob", "JobName", p.JobName, namePattern, "be 1-255 letters, digits, dots, hyphens or underscores"); err != nil {
		errs = append(errs, err)
	}
	for _, r := range []struct {
		name  string
		value any
	}{{"RawBucket", p.RawBucket}, {"CuratedBucket", p.CuratedBucket}, {"AssetsBucket", p.AssetsBucket}, {"Security", p.Security}, {"AlarmTopic", p.AlarmTopic}} {
		if r.value == nil {
			add("%s: required", r.name)
		}
	}
	if !config.FolderPattern.MatchString(*p.RawPrefix) {
		add("RawPrefix: got %q, must be a folder path such as %q (no leading slash, ending in /)", *p.RawPrefix, lakestorage.RawEventsPrefix)
	}
	if err := gluecron.Validate(*p.Schedule); err != nil {
		add("Schedule: %v", err)
	}
	if msg := config.GlueWorkers.CheckInt(*p.MaxWorkers); msg != "" {
		add("MaxWorkers: %s", msg)
	}
	if msg := config.GlueTimeoutMinutes.CheckInt(*p.TimeoutMinutes); msg != "" {
		add("TimeoutMinutes: %s", msg)
	}
	if _, err := os.Stat(filepath.Join(*p.ScriptsDir, ScriptFile)); err != nil {
		add("ScriptsDir: got %q, must contain the erasure script %s", *p.ScriptsDir, ScriptFile)
	}
	return errors.Join(errs...)
}

// Job is the erasure job. It is grantable: its role is the principal.
type Job interface {
	constructs.Construct
	awsiam.IGrantable
	// GlueJob is the L2 job.
	GlueJob() awsglue.IJob
	// JobName is the job's name.
	JobName() *string
	// Role is the job's IAM role.
	Role() awsiam.IRole
}

type job struct {
	constructs.Construct
	glueJob awsglue.IJob
	role    awsiam.Role
}

// Arguments are the erasure job's contract arguments (contract.ErasureJobArgumentNames).
func arguments(p Props) map[string]*string {
	curated := func(prefix string) *string { return p.CuratedBucket.S3UrlForObject(jsii.String(prefix)) }
	return map[string]*string{
		"--" + contract.ArgRawPath:      p.RawBucket.S3UrlForObject(p.RawPrefix),
		"--" + contract.ArgCuratedPath:  curated(""),
		"--" + contract.ArgStatePath:    curated(lakestorage.StatePrefix),
		"--" + contract.ArgRequestsPath: curated(lakestorage.ErasureRequestsPrefix),
		"--" + contract.ArgAuditPath:    curated(lakestorage.ErasureReportsPrefix),
		"--TempDir":                     p.AssetsBucket.S3UrlForObject(jsii.String(lakestorage.TempPrefix)),
		"--job-bookmark-option":         jsii.String(etljob.BookmarkOption),
	}
}

// rewrittenPrefixes are the curated folders the job reads and rewrites: every contract
// table's, the state (suppression list, processed requests) and its audit reports.
func rewrittenPrefixes() []string {
	var out []string
	for _, t := range contract.Tables() {
		out = append(out, t.Prefix)
	}
	return append(out, lakestorage.StatePrefix, lakestorage.ErasureReportsPrefix)
}

// New creates the job, its role, its schedule and its failure notification. It panics on
// invalid props, which fails synth.
func New(scope constructs.Construct, id *string, props *Props) Job {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	j := &job{Construct: constructs.NewConstruct(scope, id)}
	j.Node().SetContext(jsii.String("@aws-cdk/aws-iam:minimizePolicies"), true)
	modules, err := etljob.ModulesZip(*p.ScriptsDir, *p.ModulesCacheDir)
	if err != nil {
		panic(fmt.Errorf("erasurejob: zipping %s: %w", etljob.ModulesPackage, err))
	}
	j.role = awsiam.NewRole(j.Construct, jsii.String(RoleID), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("glue.amazonaws.com"), nil),
		Description: jsii.String("Runs the clickstream erasure: removes requested visitors from the raw and curated data"),
	})
	// Exactly what forget.py rewrites: the raw events, the curated tables, the state and the
	// audit reports; the requests are only read.
	p.RawBucket.GrantReadWrite(j.role, jsii.String(*p.RawPrefix+"*"))
	for _, prefix := range rewrittenPrefixes() {
		p.CuratedBucket.GrantReadWrite(j.role, jsii.String(prefix+"*"))
	}
	p.CuratedBucket.GrantRead(j.role, jsii.String(lakestorage.ErasureRequestsPrefix+"*"))
	p.AssetsBucket.GrantReadWrite(j.role, jsii.String(lakestorage.TempPrefix+"*"))
	var markers []*string
	for _, prefix := range rewrittenPrefixes() {
		markers = append(markers, p.CuratedBucket.ArnForObjects(jsii.String(etljob.FolderMarker(prefix))))
	}
	j.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("CuratedFolderMarkers"), Actions: jsii.Strings(etljob.FolderMarkerActions...), Resources: &markers,
	}))
	p.Security.GrantWriteLogs(j.role, gluesecurity.JobLogGroups)

	args := arguments(p)
	j.glueJob = awsglue.NewPySparkEtlJob(j.Construct, jsii.String(ResourceID), &awsglue.PySparkEtlJobProps{
		JobName:          p.JobName,
		Description:      jsii.String("Clickstream erasure: removes the visitors of new erasure requests from every table, the quarantine and the raw objects"),
		Role:             j.role,
		Script:           etljob.CodeAsset(j.Construct, ScriptAssetID, filepath.Join(*p.ScriptsDir, ScriptFile)),
		ExtraPythonFiles: &[]awsglue.Code{etljob.CodeAsset(j.Construct, ModulesAssetID, modules)},
		GlueVersion:      awsglue.GlueVersion_V5_0,
		WorkerConfiguration: &awsglue.WorkerConfiguration{
			WorkerType: awsglue.WorkerType_G_1X, NumberOfWorkers: jsii.Number(float64(*p.MaxWorkers)),
		},
		Timeout:               awscdk.Duration_Minutes(jsii.Number(float64(*p.TimeoutMinutes))),
		MaxRetries:            jsii.Number(0), // a failure is notified; the next scheduled run finishes the requests
		MaxConcurrentRuns:     jsii.Number(MaxConcurrentRuns),
		SecurityConfiguration: p.Security.SecurityConfiguration(),
		ContinuousLogging:     &awsglue.ContinuousLoggingProps{Enabled: jsii.Bool(false)},
		DefaultArguments:      &args,
	})
	awsglue.NewCfnTrigger(j.Construct, jsii.String(TriggerID), &awsglue.CfnTriggerProps{
		Type:            jsii.String("SCHEDULED"),
		Schedule:        p.Schedule,
		StartOnCreation: jsii.Bool(true),
		Description:     jsii.String("Runs the erasure job on new requests under " + lakestorage.ErasureRequestsPrefix),
		Actions:         &[]any{&awsglue.CfnTrigger_ActionProperty{JobName: j.glueJob.JobName()}},
	})
	rule := j.glueJob.OnEvent(jsii.String(FailureRuleID), &awsevents.OnEventOptions{
		Description: jsii.String("Notifies when an erasure job run fails, times out or is stopped"),
		Target: awseventstargets.NewSnsTopic(p.AlarmTopic, &awseventstargets.SnsTopicProps{Message: awsevents.RuleTargetInput_FromText(jsii.String(
			"Erasure job " + *awsevents.EventField_FromPath(jsii.String("$.detail.jobName")) +
				" run " + *awsevents.EventField_FromPath(jsii.String("$.detail.jobRunId")) +
				" ended " + *awsevents.EventField_FromPath(jsii.String("$.detail.state")) +
				": " + *awsevents.EventField_FromPath(jsii.String("$.detail.message")) + " (erasure requests are not honoured until a run succeeds)"))}),
	})
	rule.AddEventPattern(&awsevents.EventPattern{Detail: &map[string]any{"state": alarms.FailedJobStates}})
	j.suppressFindings(p)
	return j
}

func (j *job) GlueJob() awsglue.IJob             { return j.glueJob }
func (j *job) JobName() *string                  { return j.glueJob.JobName() }
func (j *job) Role() awsiam.IRole                { return j.role }
func (j *job) GrantPrincipal() awsiam.IPrincipal { return j.role }
