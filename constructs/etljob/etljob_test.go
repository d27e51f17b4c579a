package etljob

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

// One app for the package: a jsii runtime and a synth per test would multiply the run time.
var (
	defaultTemplate, flexTemplate assertions.Template
	defaultStack                  awscdk.Stack
	defaultJob                    Job
)

func newStack(app awscdk.App, name string, props func(*Props)) (awscdk.Stack, Job) {
	stack := awscdk.NewStack(app, jsii.String(name), nil)
	key := awskms.NewKey(stack, jsii.String("LakeKey"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
	bucket := func(id string) awss3.IBucket {
		return awss3.NewBucket(stack, jsii.String(id), &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS, EncryptionKey: key, EnforceSSL: jsii.Bool(true)})
	}
	raw, curated, assets := bucket("Raw"), bucket("Curated"), bucket("Assets")
	security := gluesecurity.New(stack, jsii.String("Security"), &gluesecurity.Props{SecurityConfigurationName: jsii.String("lake-dev-security"), EncryptionKey: key})
	p := &Props{JobName: jsii.String("lake-dev-etl"), RawBucket: raw, CuratedBucket: curated, AssetsBucket: assets, Security: security}
	if props != nil {
		props(p)
	}
	return stack, New(stack, jsii.String("Etl"), p)
}

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	defaultStack, defaultJob = newStack(app, "Defaults", nil)
	awscdk.Aspects_Of(defaultStack).Add(nag.Checks(), nil)
	flexStack, _ := newStack(app, "Flex", func(p *Props) {
		p.FlexExecution = jsii.Bool(true)
		w, t, r, s := 4, 30, 0, 45
		p.MaxWorkers, p.TimeoutMinutes, p.MaxRetries, p.SessionTimeoutMinutes = &w, &t, &r, &s
		days := 400
		p.IPMode, p.CuratedRetentionDays = jsii.String(config.IPTruncate), &days
		p.ReportingTimeZone = jsii.String("Asia/Seoul")
	})
	defaultTemplate = assertions.Template_FromStack(defaultStack, nil)
	flexTemplate = assertions.Template_FromStack(flexStack, nil)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func jobProps(t *testing.T, tpl assertions.Template) map[string]any {
	t.Helper()
	for _, res := range *tpl.FindResources(jsii.String("AWS::Glue::Job"), nil) {
		return (*res)["Properties"].(map[string]any)
	}
	t.Fatal("no job")
	return nil
}

func arg(t *testing.T, props map[string]any, name string) string {
	t.Helper()
	v, ok := props["DefaultArguments"].(map[string]any)[name]
	if !ok {
		t.Fatalf("no argument %s", name)
	}
	return toJSON(v)
}

func s3URL(bucketID, prefix string) string {
	return `{"Fn::Join":["",["s3://",{"Ref":"` + bucketID + `"},"/` + prefix + `"]]}`
}

func TestDefaults(t *testing.T) {
	props := jobProps(t, defaultTemplate)
	num := func(k string) float64 { return props[k].(float64) }
	t.Run("is named from props", func(t *testing.T) {
		if props["Name"] != "lake-dev-etl" {
			t.Fatalf("name %v", props["Name"])
		}
	})
	t.Run("description names every curated table of the contract", func(t *testing.T) {
		description, _ := props["Description"].(string)
		for _, table := range contract.Tables() {
			if !strings.Contains(description, " "+table.Name+",") && !strings.Contains(description, " "+table.Name+" ") {
				t.Errorf("description %q does not name %s", description, table.Name)
			}
		}
	})
	t.Run("runs Glue 5.0 PySpark on G.1X workers", func(t *testing.T) {
		cmd := props["Command"].(map[string]any)
		if props["GlueVersion"] != "5.0" || props["WorkerType"] != "G.1X" || cmd["Name"] != "glueetl" || cmd["PythonVersion"] != "3" {
			t.Fatalf("version %v, worker %v, command %v", props["GlueVersion"], props["WorkerType"], cmd)
		}
	})
	t.Run("standard execution class unless flex", func(t *testing.T) {
		if props["ExecutionClass"] != nil {
			t.Fatalf("execution class %v", props["ExecutionClass"])
		}
	})
	t.Run("auto scales up to config.DefaultGlueMaxWorkers", func(t *testing.T) {
		if num("NumberOfWorkers") != config.DefaultGlueMaxWorkers || arg(t, props, "--enable-auto-scaling") != `"true"` {
			t.Fatalf("workers %v", props["NumberOfWorkers"])
		}
	})
	t.Run("timeout is config.DefaultGlueTimeoutMinutes", func(t *testing.T) {
		if num("Timeout") != config.DefaultGlueTimeoutMinutes {
			t.Fatalf("timeout %v", props["Timeout"])
		}
	})
	t.Run("retries config.DefaultGlueMaxRetries times", func(t *testing.T) {
		if num("MaxRetries") != config.DefaultGlueMaxRetries {
			t.Fatalf("retries %v", props["MaxRetries"])
		}
	})
	t.Run("one run at a time", func(t *testing.T) {
		if toJSON(props["ExecutionProperty"]) != `{"MaxConcurrentRuns":1}` {
			t.Fatalf("execution property %v", props["ExecutionProperty"])
		}
	})
	t.Run("uses the security configuration", func(t *testing.T) {
		if toJSON(props["SecurityConfiguration"]) != `{"Ref":"Security68A5DA22"}` {
			t.Fatalf("security configuration %v", props["SecurityConfiguration"])
		}
	})
	t.Run("script and modules are code assets", func(t *testing.T) {
		script := toJSON(props["Command"].(map[string]any)["ScriptLocation"])
		if !strings.Contains(script, "cdk-hnb659fds-assets-") || !strings.HasSuffix(script, `.py"]]}`) {
			t.Fatalf("script %s", script)
		}
		if py := arg(t, props, "--extra-py-files"); !strings.Contains(py, "cdk-hnb659fds-assets-") || !strings.HasSuffix(py, `.zip"]]}`) {
			t.Fatalf("extra py files %s", py)
		}
	})
	t.Run("metrics, observability metrics and job insights", func(t *testing.T) {
		for name, want := range map[string]string{"--enable-metrics": `""`, "--enable-observability-metrics": `"true"`,
			"--enable-job-insights": `"true"`} {
			if got := arg(t, props, name); got != want {
				t.Errorf("%s = %s, want %s", name, got, want)
			}
		}
	})
	t.Run("no argument Glue 5.0 does not need", func(t *testing.T) {
		// The script reads and writes S3 paths only (no catalog), and Glue 5.0 streams its logs
		// in real time without the Glue 4.0 continuous-logging switch.
		for _, name := range []string{"--enable-glue-datacatalog", "--enable-continuous-cloudwatch-log"} {
			if v, ok := props["DefaultArguments"].(map[string]any)[name]; ok {
				t.Errorf("%s = %v", name, v)
			}
		}
	})
	t.Run("spark ui event logs go to the assets bucket", func(t *testing.T) {
		if arg(t, props, "--enable-spark-ui") != `"true"` || arg(t, props, "--spark-event-logs-path") != s3URL("Assets9A31D427", lakestorage.SparkUILogsPrefix) {
			t.Fatalf("spark ui %s", arg(t, props, "--spark-event-logs-path"))
		}
	})
	t.Run("temp dir in the assets bucket", func(t *testing.T) {
		if got := arg(t, props, "--TempDir"); got != s3URL("Assets9A31D427", lakestorage.TempPrefix) {
			t.Fatalf("temp dir %s", got)
		}
	})
	t.Run("glue bookmarks are off: the script keeps its own manifest", func(t *testing.T) {
		if got := arg(t, props, "--job-bookmark-option"); got != `"job-bookmark-disable"` {
			t.Fatalf("bookmarks %s", got)
		}
	})
}

func TestArguments(t *testing.T) {
	props := jobProps(t, defaultTemplate)
	t.Run("passes every contract argument", func(t *testing.T) {
		for _, name := range contract.JobArgumentNames() {
			arg(t, props, "--"+name)
		}
	})
	t.Run("ToMap has exactly the contract's required arguments, the metrics namespace and the IP mode", func(t *testing.T) {
		m := defaultJob.Arguments().ToMap()
		names := append(contract.JobArgumentNames(), contract.ArgMetricsNamespace, contract.ArgIPMode)
		if len(m) != len(names) {
			t.Fatalf("%d arguments, want %v", len(m), names)
		}
		for _, name := range names {
			if m["--"+name] == nil {
				t.Errorf("no --%s", name)
			}
		}
	})
	t.Run("metrics go to the job's namespace by default", func(t *testing.T) {
		if got := arg(t, props, "--"+contract.ArgMetricsNamespace); got != `"lake-dev-etl/DataQuality"` {
			t.Fatalf("namespace %s", got)
		}
	})
	t.Run("ToMap leaves out an empty metrics namespace", func(t *testing.T) {
		if _, ok := (Arguments{}).ToMap()["--"+contract.ArgMetricsNamespace]; ok {
			t.Fatal("empty namespace passed")
		}
	})
	t.Run("paths point at the raw prefix, the curated root, reports and state", func(t *testing.T) {
		for name, want := range map[string]string{
			"--raw_path": s3URL("Raw72517081", lakestorage.RawEventsPrefix), "--curated_path": s3URL("CuratedF137945A", ""),
			"--reports_path": s3URL("CuratedF137945A", lakestorage.ReportsPrefix), "--state_path": s3URL("CuratedF137945A", lakestorage.StatePrefix),
		} {
			if got := arg(t, props, name); got != want {
				t.Errorf("%s = %s, want %s", name, got, want)
			}
		}
	})
	t.Run("no argument names a table or the database: the script derives them from the contract", func(t *testing.T) {
		for name := range props["DefaultArguments"].(map[string]any) {
			if strings.HasSuffix(name, "_table") || name == "--database_name" {
				t.Errorf("argument %s", name)
			}
		}
	})
	t.Run("privacy: IPs are dropped and curated data kept by default", func(t *testing.T) {
		if got := arg(t, props, "--"+contract.ArgIPMode); got != `"`+config.DefaultIPMode+`"` || config.DefaultIPMode != "drop" {
			t.Fatalf("ip mode %s", got)
		}
		if v, ok := props["DefaultArguments"].(map[string]any)["--"+contract.ArgCuratedRetentionDays]; ok {
			t.Fatalf("curated retention %v", v)
		}
	})
	t.Run("session timeout is config.DefaultSessionTimeoutMinutes", func(t *testing.T) {
		if got := arg(t, props, "--session_timeout_minutes"); got != fmt.Sprintf(`"%d"`, config.DefaultSessionTimeoutMinutes) {
			t.Fatalf("session timeout %s", got)
		}
	})
	t.Run("reporting time zone is config.DefaultReportingTimeZone", func(t *testing.T) {
		if got := arg(t, props, "--reporting_time_zone"); got != `"`+config.DefaultReportingTimeZone+`"` {
			t.Fatalf("reporting time zone %s", got)
		}
	})
}

func TestFlex(t *testing.T) {
	props := jobProps(t, flexTemplate)
	t.Run("runs with the flex execution class on Glue 5.0", func(t *testing.T) {
		if props["ExecutionClass"] != "FLEX" || props["GlueVersion"] != "5.0" {
			t.Fatalf("class %v version %v", props["ExecutionClass"], props["GlueVersion"])
		}
	})
	t.Run("workers, timeout, retries and session timeout from props", func(t *testing.T) {
		if props["NumberOfWorkers"] != 4.0 || props["Timeout"] != 30.0 || props["MaxRetries"] != 0.0 || arg(t, props, "--session_timeout_minutes") != `"45"` ||
			arg(t, props, "--reporting_time_zone") != `"Asia/Seoul"` {
			t.Fatalf("props %v", props)
		}
	})
	t.Run("privacy settings from props", func(t *testing.T) {
		if arg(t, props, "--ip_mode") != `"truncate"` || arg(t, props, "--curated_retention_days") != `"400"` {
			t.Fatalf("props %v", props)
		}
	})
	t.Run("keeps auto scaling, metrics and the security configuration", func(t *testing.T) {
		if arg(t, props, "--enable-auto-scaling") != `"true"` || arg(t, props, "--enable-observability-metrics") != `"true"` || props["SecurityConfiguration"] == nil {
			t.Fatalf("props %v", props)
		}
	})
}

type statement struct {
	actions  []string
	resource string
	// resources holds each element of Resource as JSON.
	resources []string
	raw       map[string]any
}

// roleStatements returns the job role's policy statements.
func roleStatements(t *testing.T) []statement {
	t.Helper()
	var out []statement
	for id, res := range *defaultTemplate.FindResources(jsii.String("AWS::IAM::Policy"), nil) {
		if !strings.HasPrefix(id, "EtlRole") {
			continue
		}
		for _, s := range (*res)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			m := s.(map[string]any)
			st := statement{resource: toJSON(m["Resource"]), raw: m}
			if list, ok := m["Resource"].([]any); ok {
				for _, r := range list {
					st.resources = append(st.resources, toJSON(r))
				}
			} else {
				st.resources = []string{st.resource}
			}
			switch a := m["Action"].(type) {
			case string:
				st.actions = []string{a}
			case []any:
				for _, x := range a {
					st.actions = append(st.actions, x.(string))
				}
			}
			out = append(out, st)
		}
	}
	if len(out) == 0 {
		t.Fatal("the job role has no policy")
	}
	return out
}

func (s statement) has(prefix string) bool {
	for _, a := range s.actions {
		if strings.HasPrefix(a, prefix) {
			return true
		}
	}
	return false
}

func TestRole(t *testing.T) {
	t.Run("one inline policy, without the app's minimizePolicies flag", func(t *testing.T) {
		policies := *defaultTemplate.FindResources(jsii.String("AWS::IAM::Policy"), nil)
		managed := *defaultTemplate.FindResources(jsii.String("AWS::IAM::ManagedPolicy"), nil)
		if len(policies) != 1 || len(managed) != 0 {
			t.Fatalf("%d inline and %d managed policies, want 1 and 0 (overflow)", len(policies), len(managed))
		}
	})
	stmts := roleStatements(t)
	t.Run("no action is * or a service wildcard", func(t *testing.T) {
		for _, s := range stmts {
			for _, a := range s.actions {
				if a == "*" || strings.HasSuffix(a, ":*") {
					t.Errorf("wildcard action %s", a)
				}
			}
		}
	})
	t.Run("resource * only for PutMetricData in Glue's namespace and the job's", func(t *testing.T) {
		var found bool
		for _, s := range stmts {
			if s.resource != `"*"` {
				continue
			}
			found = true
			if toJSON(s.actions) != `["cloudwatch:PutMetricData"]` ||
				toJSON(s.raw["Condition"]) != `{"StringEquals":{"cloudwatch:namespace":["Glue","lake-dev-etl/DataQuality"]}}` {
				t.Errorf("unscoped %v", s.raw)
			}
		}
		if !found {
			t.Fatal("no PutMetricData")
		}
	})
	t.Run("publishes Data Quality results to this account's rulesets only", func(t *testing.T) {
		var found bool
		for _, s := range stmts {
			if s.has("glue:PublishDataQuality") {
				found = true
				if len(s.actions) != 1 || !strings.Contains(s.resource, `:dataQualityRuleset/*"`) || !strings.Contains(s.resource, `{"Ref":"AWS::AccountId"}`) {
					t.Errorf("statement %v", s.raw)
				}
			}
		}
		if !found {
			t.Fatal("no glue:PublishDataQuality")
		}
	})
	t.Run("raw events are read-only", func(t *testing.T) {
		var read bool
		for _, s := range stmts {
			if !strings.Contains(s.resource, "Raw72517081") {
				continue
			}
			if s.has("s3:Put") || s.has("s3:Delete") {
				t.Errorf("raw write: %v", s.actions)
			}
			read = read || (s.has("s3:GetObject") && strings.Contains(s.resource, `"/events/*"`))
		}
		if !read {
			t.Fatal("cannot read raw events/")
		}
	})
	t.Run("writes exactly the curated folders, temp and spark ui logs", func(t *testing.T) {
		var written []string
		for _, s := range stmts {
			if !s.has("s3:PutObject") {
				continue
			}
			for _, part := range strings.Split(s.resource, `"/`)[1:] {
				written = append(written, strings.SplitN(part, `"`, 2)[0])
			}
		}
		var want []string
		for _, table := range contract.Tables() {
			want = append(want, table.Prefix+"*")
		}
		want = append(want, "reports/*", "_state/*", "temp/*")
		for _, table := range contract.Tables() {
			want = append(want, strings.TrimSuffix(table.Prefix, "/")+"_$folder$")
		}
		want = append(want, "reports_$folder$", "_state_$folder$", "temp_$folder$", "spark-ui-logs_$folder$", "spark-ui-logs/*")
		sort.Strings(written)
		sort.Strings(want)
		if toJSON(written) != toJSON(want) {
			t.Fatalf("writes %v, want %v", written, want)
		}
	})
	t.Run("encrypts and decrypts with the lake key only", func(t *testing.T) {
		for _, s := range stmts {
			if s.has("kms:") && s.resource != `{"Fn::GetAtt":["LakeKey09476F72","Arn"]}` {
				t.Errorf("kms on %s", s.resource)
			}
		}
	})
	t.Run("no Data Catalog access: the script never calls the table API", func(t *testing.T) {
		for _, s := range stmts {
			if s.has("glue:") && toJSON(s.actions) != `["glue:PublishDataQuality"]` {
				t.Errorf("glue actions %v on %s", s.actions, s.resource)
			}
		}
	})
	t.Run("reads exactly its script and module objects from the bootstrap assets bucket", func(t *testing.T) {
		var code []string
		for _, s := range stmts {
			for _, r := range s.resources {
				if strings.Contains(r, "cdk-hnb659fds-assets-") {
					code = append(code, r)
					if s.has("s3:Put") || s.has("s3:Delete") {
						t.Errorf("writes code: %v", s.actions)
					}
				}
			}
		}
		text := strings.Join(code, " ")
		if len(code) == 0 || strings.Contains(text, `/*"`) || !strings.Contains(text, `.py"`) || !strings.Contains(text, `.zip"`) {
			t.Fatalf("code resources %s", text)
		}
	})
	t.Run("writes only job log groups", func(t *testing.T) {
		for _, s := range stmts {
			if s.has("logs:") && !strings.HasSuffix(s.resource, `:log-group:/aws-glue/jobs/*"]]}`) {
				t.Errorf("logs on %s", s.resource)
			}
		}
	})
}

func TestValidate(t *testing.T) {
	n := func(v int) *int { return &v }
	cases := []struct {
		name  string
		props Props
		want  string
	}{
		{"missing everything", Props{}, "etljob: JobName: required"},
		{"missing buckets", Props{}, "etljob: CuratedBucket: required"},
		{"missing security", Props{}, "etljob: Security: required"},
		{"invalid name", Props{JobName: jsii.String("a job")}, `JobName: got "a job"`},
		{"too few workers", Props{MaxWorkers: n(1)}, "MaxWorkers: got 1, must be between 2 and 299 G.1X workers"},
		{"zero timeout", Props{TimeoutMinutes: n(0)}, "TimeoutMinutes: got 0, must be between 1 and 2880"},
		{"too many retries", Props{MaxRetries: n(11)}, "MaxRetries: got 11, must be between 0 and 10"},
		{"zero session timeout", Props{SessionTimeoutMinutes: n(0)}, "SessionTimeoutMinutes: got 0"},
		{"unknown time zone", Props{ReportingTimeZone: jsii.String("Europe/Berln")}, `ReportingTimeZone: got "Europe/Berln", which is not in the IANA time zone database`},
		{"AWS namespace", Props{MetricsNamespace: jsii.String("AWS/Glue")}, `MetricsNamespace: got "AWS/Glue", must be a CloudWatch namespace`},
		{"namespace with a space", Props{MetricsNamespace: jsii.String("my lake")}, `MetricsNamespace: got "my lake"`},
		{"raw prefix without slash", Props{RawPrefix: jsii.String("events")}, `RawPrefix: got "events"`},
		{"unknown IP mode", Props{IPMode: jsii.String("mask")}, `etljob: IPMode: got "mask", must be one of drop, truncate, keep`},
		{"curated retention under the late-event window", Props{CuratedRetentionDays: n(7)}, "etljob: CuratedRetentionDays: got 7, must be at least 30 days"},
		{"no script", Props{ScriptsDir: jsii.String(os.TempDir())}, "must contain the job script job.py"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.props.withDefaults().validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("the repository's scripts are found", func(t *testing.T) {
		err := (Props{}).withDefaults().validate()
		if err == nil || strings.Contains(err.Error(), "ScriptsDir") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("withDefaults does not modify the caller's props", func(t *testing.T) {
		p := Props{}
		_ = p.withDefaults()
		if p.MaxWorkers != nil || p.FlexExecution != nil || p.ScriptsDir != nil {
			t.Fatalf("caller's props changed: %+v", p)
		}
	})
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "JobName: required", func() {
			New(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil), jsii.String("Job"), nil)
		})
	})
}

func TestNag(t *testing.T) {
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, defaultJob)
	})
}

func TestFolderMarkers(t *testing.T) {
	t.Run("a marker is the folder's name with _$folder$", func(t *testing.T) {
		if got := FolderMarker("events/"); got != "events_$folder$" {
			t.Fatal(got)
		}
	})
	t.Run("markers are granted key by key, read, write and delete only", func(t *testing.T) {
		for _, s := range roleStatements(t) {
			if !strings.Contains(s.resource, "_$folder$") {
				continue
			}
			if toJSON(s.actions) != toJSON(FolderMarkerActions) || strings.Contains(s.resource, "*") {
				t.Errorf("marker statement %v on %s", s.actions, s.resource)
			}
		}
	})
}
