package stacks

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/analytics"
	"github.com/clickstream-analytics/datalake/constructs/athena"
	"github.com/clickstream-analytics/datalake/constructs/quicksight"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/sql"
)

// The stacks exactly as the app builds them from cdk.json, synthesized once for the package.
var (
	envs      map[string]config.Environment
	templates map[string]assertions.Template
	built     map[string]awscdk.Stack
)

func TestMain(m *testing.M) {
	var cdkJSON struct {
		Context map[string]any `json:"context"`
	}
	data, err := os.ReadFile("../cdk.json")
	if err == nil {
		err = json.Unmarshal(data, &cdkJSON)
	}
	if err != nil {
		panic(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &cdkJSON.Context})
	list, err := LoadEnvironments(app)
	if err != nil {
		panic(err)
	}
	envs, templates, built = map[string]config.Environment{}, map[string]assertions.Template{}, map[string]awscdk.Stack{}
	stacks := Build(app, list)
	for i, env := range list {
		envs[env.Name], built[env.Name] = env, stacks[i]
	}
	for i, env := range list {
		templates[env.Name] = assertions.Template_FromStack(stacks[i], nil)
	}
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func TestEnvironments(t *testing.T) {
	for _, name := range []string{"dev", "staging", "prod"} {
		t.Run(name+" has a stack named after it", func(t *testing.T) {
			stack, ok := built[name]
			if !ok {
				t.Fatalf("no stack for %s", name)
			}
			if got := *stack.StackName(); got != "ClickstreamAnalytics-"+name {
				t.Fatalf("stack name %s", got)
			}
		})
	}
}

func TestStackPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		env := envs[name]
		t.Run(name+" tags every taggable resource with its environment", func(t *testing.T) {
			for id, res := range *tpl.FindResources(jsii.String("AWS::S3::Bucket"), nil) {
				tags, _ := (*res)["Properties"].(map[string]any)["Tags"].([]any)
				found := map[string]string{}
				for _, tag := range tags {
					m := tag.(map[string]any)
					found[m["Key"].(string)] = m["Value"].(string)
				}
				if found[config.EnvironmentTagKey] != name {
					t.Errorf("%s: environment tag %q", id, found[config.EnvironmentTagKey])
				}
				for k, v := range env.Tags {
					if found[k] != v {
						t.Errorf("%s: tag %s = %q, want %q", id, k, found[k], v)
					}
				}
			}
		})
		t.Run(name+" lifecycle days come from its configuration", func(t *testing.T) {
			tpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), assertions.Match_ObjectLike(&map[string]any{
				"LifecycleConfiguration": map[string]any{"Rules": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
					"Id":               "expire-query-results",
					"ExpirationInDays": env.Storage.AthenaResultsRetentionDays,
				})})},
			}))
			tpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), assertions.Match_ObjectLike(&map[string]any{
				"LifecycleConfiguration": map[string]any{"Rules": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
					"Id": "tier-raw-events",
					"Transitions": []any{
						map[string]any{"StorageClass": "STANDARD_IA", "TransitionInDays": env.Storage.RawInfrequentAccessDays},
						map[string]any{"StorageClass": "GLACIER_IR", "TransitionInDays": env.Storage.RawGlacierDays},
					},
				})})},
			}))
		})
		t.Run(name+" removal policy follows allowDestroyData", func(t *testing.T) {
			want := "RetainExceptOnCreate"
			if env.AllowDestroyData {
				want = "Delete"
			}
			for id, res := range *tpl.FindResources(jsii.String("AWS::S3::Bucket"), nil) {
				if (*res)["DeletionPolicy"] != want {
					t.Errorf("%s: DeletionPolicy %v, want %s", id, (*res)["DeletionPolicy"], want)
				}
			}
		})
		t.Run(name+" termination protection only in production", func(t *testing.T) {
			if got := *built[name].TerminationProtection(); got != env.IsProduction() {
				t.Fatalf("termination protection %v", got)
			}
		})
	}
	t.Run("prod never destroys data", func(t *testing.T) {
		if envs["prod"].AllowDestroyData {
			t.Fatal("prod allows destroying data")
		}
	})
}

func TestCatalogPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		t.Run(name+" glue database is <prefix>_<env>", func(t *testing.T) {
			want := envs[name].Prefix + "_" + name
			tpl.HasResourceProperties(jsii.String("AWS::Glue::Database"), assertions.Match_ObjectLike(&map[string]any{
				"DatabaseInput": assertions.Match_ObjectLike(&map[string]any{"Name": want}),
			}))
		})
		t.Run(name+" declares every curated table of the contract", func(t *testing.T) {
			tpl.ResourceCountIs(jsii.String("AWS::Glue::Table"), jsii.Number(len(contract.Tables())))
		})
	}
	t.Run("hyphens in prefix or environment become underscores", func(t *testing.T) {
		if got := analytics.DatabaseName(config.Environment{Name: "prod-eu", Prefix: "click-stream"}.NamePrefix()); got != "click_stream_prod_eu" {
			t.Fatalf("got %s", got)
		}
	})
}

// asJSON renders a template value (often an intrinsic function) for substring checks.
func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestAthenaPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		env := envs[name]
		groups := *tpl.FindResources(jsii.String("AWS::Athena::WorkGroup"), nil)
		if len(groups) != 1 {
			t.Fatalf("%s: got %d workgroups, want 1", name, len(groups))
		}
		var wg map[string]any
		for _, res := range groups {
			wg = *res
		}
		props := wg["Properties"].(map[string]any)
		cfg := props["WorkGroupConfiguration"].(map[string]any)
		rc := cfg["ResultConfiguration"].(map[string]any)
		t.Run(name+" workgroup is <prefix>-<env>", func(t *testing.T) {
			if props["Name"] != env.Prefix+"-"+name {
				t.Fatalf("got %v", props["Name"])
			}
		})
		t.Run(name+" workgroup is enforced, engine 3, with metrics", func(t *testing.T) {
			if cfg["EnforceWorkGroupConfiguration"] != true || cfg["PublishCloudWatchMetricsEnabled"] != true ||
				asJSON(cfg["EngineVersion"]) != `{"SelectedEngineVersion":"`+athena.EngineVersion+`"}` {
				t.Fatalf("got %v", cfg)
			}
		})
		t.Run(name+" bytes-scanned cutoff comes from its configuration", func(t *testing.T) {
			if cfg["BytesScannedCutoffPerQuery"] != float64(env.Athena.BytesScannedCutoff) {
				t.Fatalf("got %v, want %d", cfg["BytesScannedCutoffPerQuery"], env.Athena.BytesScannedCutoff)
			}
		})
		t.Run(name+" results are SSE-KMS under the lake key in the expiring results bucket", func(t *testing.T) {
			enc := rc["EncryptionConfiguration"].(map[string]any)
			if enc["EncryptionOption"] != "SSE_KMS" || !strings.Contains(asJSON(enc["KmsKey"]), `"StorageKey`) {
				t.Fatalf("encryption %v", enc)
			}
			loc := asJSON(rc["OutputLocation"])
			buckets := *tpl.FindResources(jsii.String("AWS::S3::Bucket"), nil)
			var expiry any
			for id, res := range buckets {
				if strings.Contains(loc, `{"Ref":"`+id+`"}`) {
					rules := (*res)["Properties"].(map[string]any)["LifecycleConfiguration"].(map[string]any)["Rules"].([]any)
					for _, r := range rules {
						if r.(map[string]any)["Id"] == "expire-query-results" {
							expiry = r.(map[string]any)["ExpirationInDays"]
						}
					}
				}
			}
			if expiry != float64(env.Storage.AthenaResultsRetentionDays) {
				t.Fatalf("output location %s: results expire after %v days, want %d", loc, expiry, env.Storage.AthenaResultsRetentionDays)
			}
		})
		t.Run(name+" workgroup removal follows allowDestroyData", func(t *testing.T) {
			want := "RetainExceptOnCreate"
			if env.AllowDestroyData {
				want = "Delete"
			}
			if wg["DeletionPolicy"] != want || props["RecursiveDeleteOption"] != env.AllowDestroyData {
				t.Fatalf("DeletionPolicy %v, RecursiveDeleteOption %v", wg["DeletionPolicy"], props["RecursiveDeleteOption"])
			}
		})
		t.Run(name+" ships every named query in sql/athena", func(t *testing.T) {
			tpl.ResourceCountIs(jsii.String("AWS::Athena::NamedQuery"), jsii.Number(len(sql.Athena())))
			for _, q := range sql.Athena() {
				tpl.HasResourceProperties(jsii.String("AWS::Athena::NamedQuery"), assertions.Match_ObjectLike(&map[string]any{
					"Name":        q.Name,
					"QueryString": q.SQL,
					"Database":    assertions.Match_ObjectLike(&map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^CatalogDatabase"))}),
				}))
			}
		})
		t.Run(name+" ships only SQL from sql/, which sql/tests executes", func(t *testing.T) {
			shipped := map[string]bool{}
			for _, p := range sql.Paths() {
				shipped[sql.MustRead(p).SQL] = true
			}
			// QuickSight ships its dataset SQL with the curated tables qualified by the
			// environment's database and without the header comments (quicksight.RenderSQL).
			for _, q := range sql.Dir(sql.QuickSightDir) {
				shipped[quicksight.RenderSQL(q.SQL, analytics.DatabaseName(env.NamePrefix()))] = true
			}
			var found []any
			for _, res := range *tpl.FindResources(jsii.String("AWS::Athena::NamedQuery"), nil) {
				found = append(found, asMap((*res)["Properties"])["QueryString"])
			}
			for _, res := range *tpl.FindResources(jsii.String("AWS::QuickSight::DataSet"), nil) {
				for _, table := range asMap(asMap((*res)["Properties"])["PhysicalTableMap"]) {
					if custom, ok := asMap(table)["CustomSql"]; ok {
						found = append(found, withDatabase(asMap(custom)["SqlQuery"], analytics.DatabaseName(env.NamePrefix())))
					}
				}
			}
			for _, v := range found {
				if text, ok := v.(string); !ok || !shipped[text] {
					t.Errorf("SQL not from an embedded sql/ file (so not executed by make test-sql): %.120s", asJSON(v))
				}
			}
		})
	}
}

// withDatabase flattens an Fn::Join whose only intrinsics are Refs to the Glue database into
// the text CloudFormation deploys, the database Ref replaced by its name.
func withDatabase(v any, database string) any {
	join, ok := asMap(v)["Fn::Join"].([]any)
	if !ok || len(join) != 2 || join[0] != "" {
		return v
	}
	var b strings.Builder
	for _, part := range join[1].([]any) {
		switch x := part.(type) {
		case string:
			b.WriteString(x)
		case map[string]any:
			if ref, _ := x["Ref"].(string); !strings.HasPrefix(ref, analytics.CatalogID+"Database") {
				return v
			}
			b.WriteString(database)
		}
	}
	return b.String()
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func TestQuickSightPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		q := envs[name].QuickSight
		resources := tpl.ToJSON()
		quickSightTypes := map[string]int{}
		for _, r := range (*resources)["Resources"].(map[string]any) {
			if typ := r.(map[string]any)["Type"].(string); strings.HasPrefix(typ, "AWS::QuickSight::") {
				quickSightTypes[typ]++
			}
		}
		if !q.Enabled {
			t.Run(name+" has QuickSight disabled and creates no QuickSight resource", func(t *testing.T) {
				if len(quickSightTypes) != 0 {
					t.Fatalf("got %v", quickSightTypes)
				}
				if strings.Contains(asJSON(resources), "quicksight.amazonaws.com") {
					t.Fatal("a role trusted by QuickSight exists")
				}
			})
			continue
		}
		t.Run(name+" synthesizes the data source, datasets, refresh schedules, analysis and dashboard", func(t *testing.T) {
			datasets, err := quicksight.LoadDatasets()
			if err != nil {
				t.Fatal(err)
			}
			schedules := quicksight.RefreshSchedulesPerDataSet * len(datasets)
			if q.ImportMode != config.ImportModeSpice {
				schedules = 0
			}
			want := map[string]int{
				"AWS::QuickSight::DataSource": 1, "AWS::QuickSight::DataSet": len(datasets),
				"AWS::QuickSight::Analysis": 1, "AWS::QuickSight::Dashboard": 1,
			}
			if schedules > 0 {
				want["AWS::QuickSight::RefreshSchedule"] = schedules
			}
			if asJSON(quickSightTypes) != asJSON(want) {
				t.Fatalf("got %v, want %v", quickSightTypes, want)
			}
		})
		t.Run(name+" binds the data source to the environment's workgroup", func(t *testing.T) {
			tpl.HasResourceProperties(jsii.String("AWS::QuickSight::DataSource"), assertions.Match_ObjectLike(&map[string]any{
				"Type": "ATHENA",
				"DataSourceParameters": map[string]any{"AthenaParameters": assertions.Match_ObjectLike(&map[string]any{
					"WorkGroup": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^" + analytics.AthenaID))},
				})},
			}))
		})
		t.Run(name+" uses the configured import mode and refresh time", func(t *testing.T) {
			tpl.AllResourcesProperties(jsii.String("AWS::QuickSight::DataSet"), assertions.Match_ObjectLike(&map[string]any{"ImportMode": q.ImportMode}))
			if q.ImportMode == config.ImportModeSpice {
				tpl.HasResourceProperties(jsii.String("AWS::QuickSight::RefreshSchedule"), assertions.Match_ObjectLike(&map[string]any{
					"Schedule": assertions.Match_ObjectLike(&map[string]any{"ScheduleFrequency": map[string]any{
						"Interval": "DAILY", "TimeOfTheDay": q.RefreshTime, "TimeZone": quicksight.RefreshTimeZone,
					}}),
				}))
			}
		})
		t.Run(name+" shares the dashboard with the configured owners and viewers only", func(t *testing.T) {
			var perms []any
			for _, o := range q.Owners {
				perms = append(perms, map[string]any{"Principal": o, "Actions": quicksight.DashboardOwnerActions})
			}
			for _, v := range q.Viewers {
				perms = append(perms, map[string]any{"Principal": v, "Actions": quicksight.DashboardViewerActions})
			}
			tpl.HasResourceProperties(jsii.String("AWS::QuickSight::Dashboard"), assertions.Match_ObjectLike(&map[string]any{"Permissions": perms}))
			var owners []any
			for _, o := range q.Owners {
				owners = append(owners, map[string]any{"Principal": o, "Actions": quicksight.AnalysisOwnerActions})
			}
			tpl.HasResourceProperties(jsii.String("AWS::QuickSight::Analysis"), assertions.Match_ObjectLike(&map[string]any{"Permissions": owners}))
		})
	}
	t.Run("at least one environment enables QuickSight, so its resources are synthesized and scanned", func(t *testing.T) {
		for _, env := range envs {
			if env.QuickSight.Enabled {
				return
			}
		}
		t.Fatal("no environment in cdk.json has quicksight.enabled")
	})
}

// batchResource returns the properties of the one resource of typ whose logical ID starts
// with idPrefix, plus its logical ID.
func batchResource(t *testing.T, tpl assertions.Template, typ, idPrefix string) (string, map[string]any) {
	t.Helper()
	var id string
	var props map[string]any
	for lid, res := range *tpl.FindResources(jsii.String(typ), nil) {
		if strings.HasPrefix(lid, idPrefix) {
			if id != "" {
				t.Fatalf("two %s resources start with %s", typ, idPrefix)
			}
			id, props = lid, (*res)["Properties"].(map[string]any)
		}
	}
	if id == "" {
		t.Fatalf("no %s resource starts with %s", typ, idPrefix)
	}
	return id, props
}

func TestGlueBatchPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		env := envs[name]
		storageKeyID, _ := batchResource(t, tpl, "AWS::KMS::Key", analytics.StorageID+"Key")
		keyArn := `{"Fn::GetAtt":["` + storageKeyID + `","Arn"]}`
		securityID, security := batchResource(t, tpl, "AWS::Glue::SecurityConfiguration", analytics.GlueSecurityID)
		crawlerID, crawlerProps := batchResource(t, tpl, "AWS::Glue::Crawler", analytics.RawCrawlerID)
		jobID, job := batchResource(t, tpl, "AWS::Glue::Job", analytics.EtlJobID)
		args := job["DefaultArguments"].(map[string]any)

		t.Run(name+" security configuration encrypts S3, logs and bookmarks with the lake key", func(t *testing.T) {
			enc := asJSON(security["EncryptionConfiguration"])
			want := `{"CloudWatchEncryption":{"CloudWatchEncryptionMode":"SSE-KMS","KmsKeyArn":` + keyArn + `},` +
				`"JobBookmarksEncryption":{"JobBookmarksEncryptionMode":"CSE-KMS","KmsKeyArn":` + keyArn + `},` +
				`"S3Encryptions":[{"KmsKeyArn":` + keyArn + `,"S3EncryptionMode":"SSE-KMS"}]}`
			if security["Name"] != analytics.ResourceName(env.NamePrefix(), "glue-security") || enc != want {
				t.Fatalf("name %v, encryption %s", security["Name"], enc)
			}
		})
		t.Run(name+" crawler catalogs raw events/ into the environment's database, new folders only", func(t *testing.T) {
			targets := asJSON(crawlerProps["Targets"])
			if crawlerProps["Name"] != analytics.ResourceName(env.NamePrefix(), "raw-crawler") ||
				!strings.Contains(targets, `{"Ref":"StorageRawBucketBBD9BDC5"},"/events/"`) ||
				asJSON(crawlerProps["DatabaseName"]) != `{"Ref":"CatalogDatabase44483CA3"}` ||
				asJSON(crawlerProps["CrawlerSecurityConfiguration"]) != `{"Ref":"`+securityID+`"}` ||
				asJSON(crawlerProps["RecrawlPolicy"]) != `{"RecrawlBehavior":"CRAWL_NEW_FOLDERS_ONLY"}` {
				t.Fatalf("crawler %s", asJSON(crawlerProps))
			}
		})
		t.Run(name+" crawler never targets the curated bucket", func(t *testing.T) {
			if strings.Contains(asJSON(crawlerProps["Targets"]), "Curated") {
				t.Fatalf("targets %s", asJSON(crawlerProps["Targets"]))
			}
		})
		t.Run(name+" job is Glue 5.0 with the script asset and the configured sizing", func(t *testing.T) {
			script := asJSON(job["Command"].(map[string]any)["ScriptLocation"])
			if job["Name"] != analytics.ResourceName(env.NamePrefix(), "etl") || job["GlueVersion"] != "5.0" || job["WorkerType"] != "G.1X" ||
				!strings.Contains(script, "cdk-hnb659fds-assets-") || !strings.HasSuffix(script, `.py"]]}`) {
				t.Fatalf("job %s", asJSON(job))
			}
			if job["NumberOfWorkers"] != float64(env.Glue.MaxWorkers) || job["Timeout"] != float64(env.Glue.TimeoutMinutes) ||
				job["MaxRetries"] != float64(env.Glue.MaxRetries) || args["--session_timeout_minutes"] != strconv.Itoa(env.Glue.SessionTimeoutMinutes) ||
				args["--reporting_time_zone"] != env.ReportingTimeZone {
				t.Fatalf("workers %v timeout %v retries %v session timeout %v time zone %v", job["NumberOfWorkers"], job["Timeout"], job["MaxRetries"], args["--session_timeout_minutes"], args["--reporting_time_zone"])
			}
			if asJSON(job["SecurityConfiguration"]) != `{"Ref":"`+securityID+`"}` {
				t.Fatalf("security configuration %v", job["SecurityConfiguration"])
			}
		})
		t.Run(name+" job execution class follows glue.flexExecution", func(t *testing.T) {
			want := any(nil)
			if env.Glue.FlexExecution {
				want = "FLEX"
			}
			if job["ExecutionClass"] != want {
				t.Fatalf("execution class %v, want %v", job["ExecutionClass"], want)
			}
		})
		t.Run(name+" job writes the curated tables under the curated bucket's root, each at its contract prefix", func(t *testing.T) {
			want := `{"Fn::Join":["",["s3://",{"Ref":"StorageCuratedBucket1413FA2D"},"/"]]}`
			if got := asJSON(args["--"+contract.ArgCuratedPath]); got != want {
				t.Errorf("--%s = %s, want %s", contract.ArgCuratedPath, got, want)
			}
		})
		t.Run(name+" workflow runs the crawler on the configured schedule, then the job on success", func(t *testing.T) {
			_, scheduled := batchResource(t, tpl, "AWS::Glue::Trigger", analytics.WorkflowID+"ScheduleTrigger")
			_, crawled := batchResource(t, tpl, "AWS::Glue::Trigger", analytics.WorkflowID+"CrawlerSucceededTrigger")
			if scheduled["Schedule"] != env.Glue.Schedule || asJSON(scheduled["Actions"]) != `[{"CrawlerName":{"Ref":"`+crawlerID+`"}}]` {
				t.Fatalf("scheduled trigger %s", asJSON(scheduled))
			}
			if !strings.Contains(asJSON(crawled["Predicate"]), `"CrawlState":"SUCCEEDED","CrawlerName":{"Ref":"`+crawlerID+`"}`) ||
				asJSON(crawled["Actions"]) != `[{"JobName":{"Ref":"`+jobID+`"}}]` {
				t.Fatalf("conditional trigger %s", asJSON(crawled))
			}
		})
		t.Run(name+" failed, timed-out or stopped runs and failed crawls notify the alarm topic", func(t *testing.T) {
			topicID, topic := batchResource(t, tpl, "AWS::SNS::Topic", analytics.AlarmsID+"Topic")
			if !strings.HasPrefix(asJSON(topic["KmsMasterKeyId"]), `{"Fn::GetAtt":["AlarmsKey`) {
				t.Fatalf("topic key %v", topic["KmsMasterKeyId"])
			}
			var jobRule, crawlerRule bool
			for _, res := range *tpl.FindResources(jsii.String("AWS::Events::Rule"), nil) {
				props := (*res)["Properties"].(map[string]any)
				pattern, targets := asJSON(props["EventPattern"]), asJSON(props["Targets"])
				if !strings.Contains(targets, `"Arn":{"Ref":"`+topicID+`"}`) {
					continue
				}
				jobRule = jobRule || strings.Contains(pattern, `"state":["FAILED","TIMEOUT","STOPPED"]`) && strings.Contains(pattern, `"jobName":[{"Ref":"`+jobID+`"}]`)
				crawlerRule = crawlerRule || strings.Contains(pattern, `"crawlerName":[{"Ref":"`+crawlerID+`"}],"state":["Failed"]`)
			}
			if !jobRule || !crawlerRule {
				t.Fatalf("job rule %v, crawler rule %v", jobRule, crawlerRule)
			}
		})
		t.Run(name+" duration alarm uses glue.durationAlarmMinutes", func(t *testing.T) {
			_, alarm := batchResource(t, tpl, "AWS::CloudWatch::Alarm", analytics.AlarmsID+"DurationAlarm")
			if alarm["Threshold"] != float64(env.Glue.DurationAlarmMinutes*60*1000) || alarm["MetricName"] != "glue.driver.aggregate.elapsedTime" {
				t.Fatalf("alarm %s", asJSON(alarm))
			}
		})
		t.Run(name+" email subscription only when alarms.email is set", func(t *testing.T) {
			want := 0
			if env.Alarms.Email != "" {
				want = 1
			}
			tpl.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(want))
		})
		t.Run(name+" glue roles have no wildcard actions", func(t *testing.T) {
			for id, res := range *tpl.FindResources(jsii.String("AWS::IAM::Policy"), nil) {
				if !strings.HasPrefix(id, analytics.RawCrawlerID) && !strings.HasPrefix(id, analytics.EtlJobID) {
					continue
				}
				for _, s := range (*res)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
					for _, a := range strings.Split(strings.Trim(asJSON(s.(map[string]any)["Action"]), "[]"), ",") {
						if a == `"*"` || strings.HasSuffix(a, `:*"`) {
							t.Errorf("%s: action %s", id, a)
						}
					}
				}
			}
		})
	}
}

// A failed first deploy can be retried, and allowDestroyData makes every named resource
// deletable: named stateful resources are RetainExceptOnCreate (kept on update and deletion,
// removed when their own creation rolls back), or Delete where data may be destroyed.
func TestCleanRollbackAndRedeploy(t *testing.T) {
	named := []string{"AWS::Glue::Database", "AWS::Glue::Table", "AWS::Athena::WorkGroup", "AWS::Glue::SecurityConfiguration",
		"AWS::S3::Bucket", "AWS::KMS::Key", "AWS::Logs::LogGroup"}
	for name, env := range envs {
		tpl := templates[name]
		want, replace := "RetainExceptOnCreate", "Retain"
		if env.AllowDestroyData {
			want, replace = "Delete", "Delete"
		}
		for _, typ := range named {
			t.Run(name+" "+typ, func(t *testing.T) {
				for id, res := range *tpl.FindResources(jsii.String(typ), nil) {
					if (*res)["DeletionPolicy"] != want || (*res)["UpdateReplacePolicy"] != replace {
						t.Errorf("%s: DeletionPolicy %v, UpdateReplacePolicy %v; want %s, %s", id, (*res)["DeletionPolicy"], (*res)["UpdateReplacePolicy"], want, replace)
					}
				}
			})
		}
	}
}
