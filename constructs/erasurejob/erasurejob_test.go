package erasurejob

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/alarms"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

var (
	tpl        assertions.Template
	defaultJob Job
)

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Erasure"), nil)
	awscdk.Aspects_Of(stack).Add(nag.Checks(), nil)
	key := awskms.NewKey(stack, jsii.String("LakeKey"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
	bucket := func(id string) awss3.IBucket {
		return awss3.NewBucket(stack, jsii.String(id), &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS, EncryptionKey: key, EnforceSSL: jsii.Bool(true)})
	}
	security := gluesecurity.New(stack, jsii.String("Security"), &gluesecurity.Props{SecurityConfigurationName: jsii.String("lake-dev-security"), EncryptionKey: key})
	topic := awssns.NewTopic(stack, jsii.String("Alarms"), &awssns.TopicProps{MasterKey: key, EnforceSSL: jsii.Bool(true)})
	defaultJob = New(stack, jsii.String("Erasure"), &Props{
		JobName: jsii.String("lake-dev-erasure"), RawBucket: bucket("Raw"), CuratedBucket: bucket("Curated"),
		AssetsBucket: bucket("Assets"), Security: security, AlarmTopic: topic,
	})
	tpl = assertions.Template_FromStack(stack, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func only(t *testing.T, typ string) map[string]any {
	t.Helper()
	found := *tpl.FindResources(jsii.String(typ), nil)
	if len(found) != 1 {
		t.Fatalf("%d %s", len(found), typ)
	}
	for _, r := range found {
		return (*r)["Properties"].(map[string]any)
	}
	return nil
}

func TestJob(t *testing.T) {
	job := only(t, "AWS::Glue::Job")
	args := job["DefaultArguments"].(map[string]any)
	t.Run("runs forget.py on Glue 5.0 with the script package", func(t *testing.T) {
		if !strings.Contains(toJSON(job["Command"]), ".py") || job["GlueVersion"] != "5.0" || args["--extra-py-files"] == nil ||
			job["NumberOfWorkers"] != float64(DefaultMaxWorkers) || job["MaxRetries"] != 0.0 || job["SecurityConfiguration"] == nil {
			t.Fatalf("job %v", job)
		}
	})
	t.Run("passes exactly the contract's erasure arguments", func(t *testing.T) {
		for _, name := range contract.ErasureJobArgumentNames() {
			if args["--"+name] == nil {
				t.Errorf("no --%s", name)
			}
		}
		for _, name := range []string{"--" + contract.ArgRequestsPath, "--" + contract.ArgAuditPath} {
			if !strings.Contains(toJSON(args[name]), map[string]string{
				"--" + contract.ArgRequestsPath: lakestorage.ErasureRequestsPrefix, "--" + contract.ArgAuditPath: lakestorage.ErasureReportsPrefix,
			}[name]) {
				t.Errorf("%s = %v", name, args[name])
			}
		}
	})
	t.Run("a scheduled trigger starts it daily before the ETL", func(t *testing.T) {
		trigger := only(t, "AWS::Glue::Trigger")
		if trigger["Type"] != "SCHEDULED" || trigger["Schedule"] != DefaultSchedule || trigger["StartOnCreation"] != true ||
			!strings.Contains(toJSON(trigger["Actions"]), `"JobName":{"Ref"`) {
			t.Fatalf("trigger %v", trigger)
		}
	})
	t.Run("failed, timed-out or stopped runs notify the alarm topic", func(t *testing.T) {
		rule := only(t, "AWS::Events::Rule")
		pattern := toJSON(rule["EventPattern"])
		for _, state := range alarms.FailedJobStates {
			if !strings.Contains(pattern, `"`+state+`"`) {
				t.Errorf("pattern %s misses %s", pattern, state)
			}
		}
		if !strings.Contains(toJSON(rule["Targets"]), `"Ref":"Alarms`) {
			t.Fatalf("targets %v", rule["Targets"])
		}
	})
}

func TestGrants(t *testing.T) {
	var statements []map[string]any
	for _, p := range *tpl.FindResources(jsii.String("AWS::IAM::Policy"), nil) {
		for _, s := range (*p)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			statements = append(statements, s.(map[string]any))
		}
	}
	text := toJSON(statements)
	t.Run("reads and rewrites the raw events, the tables, the state and its reports; reads the requests", func(t *testing.T) {
		for _, prefix := range append(rewrittenPrefixes(), lakestorage.RawEventsPrefix, lakestorage.ErasureRequestsPrefix) {
			if !strings.Contains(text, "/"+prefix+"*") {
				t.Errorf("no grant on %s", prefix)
			}
		}
	})
	t.Run("never writes the requests, and nothing outside its prefixes", func(t *testing.T) {
		for _, s := range statements {
			resources := toJSON(s["Resource"])
			if strings.Contains(resources, lakestorage.ErasureRequestsPrefix) && strings.Contains(toJSON(s["Action"]), "s3:PutObject") {
				t.Errorf("writes the requests: %v", s)
			}
			if strings.Contains(toJSON(s["Action"]), "s3:") && strings.Contains(resources, `"/*"`) {
				t.Errorf("a whole bucket: %v", s)
			}
		}
	})
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, defaultJob)
	})
}

func TestValidate(t *testing.T) {
	n := func(v int) *int { return &v }
	for name, c := range map[string]struct {
		props Props
		want  string
	}{
		"required":      {Props{}, "erasurejob: AlarmTopic: required"},
		"bad schedule":  {Props{Schedule: jsii.String("rate(1 day)")}, `erasurejob: Schedule: got "rate(1 day)", must be a Glue cron expression`},
		"one worker":    {Props{MaxWorkers: n(1)}, "erasurejob: MaxWorkers: got 1, must be between 2 and 299"},
		"no script":     {Props{ScriptsDir: jsii.String(os.TempDir())}, "must contain the erasure script forget.py"},
		"prefix no /":   {Props{RawPrefix: jsii.String("events")}, `erasurejob: RawPrefix: got "events"`},
		"zero timeout":  {Props{TimeoutMinutes: n(0)}, "erasurejob: TimeoutMinutes: got 0"},
		"name with spa": {Props{JobName: jsii.String("a job")}, `JobName: got "a job"`},
	} {
		t.Run(name, func(t *testing.T) {
			if err := c.props.withDefaults().validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}
