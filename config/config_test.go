package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func parseOne(t *testing.T, envJSON string) (Environment, error) {
	t.Helper()
	envs, err := Parse([]byte(`{"dev": `+envJSON+`}`), "")
	if err != nil {
		return Environment{}, err
	}
	return envs[0], nil
}

func TestDefaults(t *testing.T) {
	env, err := parseOne(t, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"prefix", env.Prefix, DefaultPrefix},
		{"reporting time zone", env.ReportingTimeZone, DefaultReportingTimeZone},
		{"account is environment-agnostic", env.Account, ""},
		{"region is environment-agnostic", env.Region, ""},
		{"data is retained", env.AllowDestroyData, false},
		{"raw infrequent access days", env.Storage.RawInfrequentAccessDays, DefaultRawInfrequentAccessDays},
		{"raw glacier days", env.Storage.RawGlacierDays, DefaultRawGlacierDays},
		{"athena results retention days", env.Storage.AthenaResultsRetentionDays, DefaultAthenaResultsRetentionDays},
		{"bytes scanned cutoff", env.Athena.BytesScannedCutoff, DefaultBytesScannedCutoff},
		{"glue max workers", env.Glue.MaxWorkers, DefaultGlueMaxWorkers},
		{"glue schedule", env.Glue.Schedule, DefaultGlueSchedule},
		{"glue timeout", env.Glue.TimeoutMinutes, DefaultGlueTimeoutMinutes},
		{"glue retries", env.Glue.MaxRetries, DefaultGlueMaxRetries},
		{"glue flex off", env.Glue.FlexExecution, false},
		{"session timeout", env.Glue.SessionTimeoutMinutes, DefaultSessionTimeoutMinutes},
		{"duration alarm", env.Glue.DurationAlarmMinutes, DefaultGlueDurationAlarmMinutes},
		{"no alarm email", env.Alarms.Email, ""},
		{"quarantine share alarm", env.Alarms.QuarantineSharePercent, DefaultQuarantineSharePercent},
		{"bot share alarm", env.Alarms.BotSharePercent, DefaultBotSharePercent},
		{"freshness alarm", env.Alarms.FreshnessHours, DefaultFreshnessHours},
		{"volume drop alarm", env.Alarms.VolumeDropPercent, DefaultVolumeDropPercent},
		{"quicksight disabled", env.QuickSight.Enabled, false},
		{"quicksight import mode", env.QuickSight.ImportMode, DefaultQuickSightImportMode},
		{"quicksight refresh time", env.QuickSight.RefreshTime, DefaultQuickSightRefreshTime},
		{"lake formation off", env.LakeFormation, false},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Fatalf("got %v, want %v", c.got, c.want)
			}
		})
	}
	t.Run("default values are themselves valid", func(t *testing.T) {
		if err := defaults("dev").Validate(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestExplicitValuesAreRespected(t *testing.T) {
	env, err := parseOne(t, `{"account":"123456789012","region":"eu-west-1","prefix":"shop","allowDestroyData":true,"reportingTimeZone":"Asia/Seoul",
		"storage":{"rawInfrequentAccessDays":45,"rawGlacierDays":200,"athenaResultsRetentionDays":3},
		"athena":{"bytesScannedCutoff":10485760},
		"glue":{"maxWorkers":2,"schedule":"cron(30 1 * * ? *)","timeoutMinutes":60,"maxRetries":0,"flexExecution":true,"sessionTimeoutMinutes":45,"durationAlarmMinutes":30},
		"alarms":{"email":"ops@example.com"},
		"quicksight":{"enabled":true,"owners":["arn:aws:quicksight:us-east-1:123456789012:group/default/bi-admins"],"importMode":"DIRECT_QUERY","refreshTime":"04:30"},
		"lakeFormation":true,
		"tags":{"cost-center":"analytics"}}`)
	if err != nil {
		t.Fatal(err)
	}
	if env.Glue.MaxRetries != 0 || !env.LakeFormation || !env.Glue.FlexExecution || env.Storage.RawGlacierDays != 200 ||
		env.Athena.BytesScannedCutoff != 10485760 || env.QuickSight.ImportMode != "DIRECT_QUERY" ||
		env.Tags["cost-center"] != "analytics" || env.Account != "123456789012" || !env.AllowDestroyData ||
		env.ReportingTimeZone != "Asia/Seoul" {
		t.Fatalf("explicit values were not kept: %+v", env)
	}
}

func TestSelection(t *testing.T) {
	all := []byte(`{"prod":{},"dev":{"allowDestroyData":true},"staging":{}}`)
	t.Run("all environments sorted by name by default", func(t *testing.T) {
		envs, err := Parse(all, "")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range envs {
			names = append(names, e.Name)
		}
		if strings.Join(names, ",") != "dev,prod,staging" {
			t.Fatalf("got %v", names)
		}
	})
	t.Run("env selects one environment", func(t *testing.T) {
		envs, err := Parse(all, "prod")
		if err != nil || len(envs) != 1 || envs[0].Name != "prod" || envs[0].StackName() != "ClickstreamAnalytics-prod" {
			t.Fatalf("got %v, %v", envs, err)
		}
	})
	t.Run("unknown selected environment names the allowed ones", func(t *testing.T) {
		_, err := Parse(all, "qa")
		assertError(t, err, `env: got "qa", must be one of dev, prod, staging`)
	})
	t.Run("only the selected environment is validated", func(t *testing.T) {
		if _, err := Parse([]byte(`{"dev":{},"prod":{"prefix":"X"}}`), "dev"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestProductionDetection(t *testing.T) {
	t.Run("default is derived from the name", func(t *testing.T) {
		for name, want := range map[string]bool{"prod": true, "production": true, "prod-eu": true, "dev": false, "staging": false, "producer": false, "live": false} {
			if got := (Environment{Name: name}).IsProduction(); got != want {
				t.Errorf("IsProduction(%q) = %v, want %v", name, got, want)
			}
		}
	})
	t.Run("explicit field wins over the name", func(t *testing.T) {
		live, err := parseOne(t, `{"production":true}`)
		if err != nil || !live.IsProduction() {
			t.Fatalf("production: true not respected: %v %v", live.IsProduction(), err)
		}
		envs, err := Parse([]byte(`{"prod":{"production":false,"allowDestroyData":true}}`), "")
		if err != nil || envs[0].IsProduction() {
			t.Fatalf("production: false on an environment named prod not respected: %v", err)
		}
	})
}

func TestCheckShapeRejectsUnhandledKinds(t *testing.T) {
	type withFloat struct {
		Ratio float64 `json:"ratio"`
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "x.ratio of kind float64") {
			t.Fatalf("got %v, want a panic naming the field and its kind", r)
		}
	}()
	checkShape("x", map[string]any{"ratio": 0.5}, reflect.TypeOf(withFloat{}))
}

func TestRange(t *testing.T) {
	cases := []struct {
		r    Range
		v    int64
		want string
	}{
		{GlueWorkers, 2, ""},
		{GlueWorkers, 299, ""},
		{GlueWorkers, 1, "got 1, must be between 2 and 299 G.1X workers (one is the driver)"},
		{RetentionDays, 0, "got 0, must be a positive number of days (at most 36500)"},
		{RawInfrequentAccessDays, 29, "got 29, must be at least 30 days (S3 does not move objects to Infrequent Access earlier)"},
		{BytesScannedCutoff, 10485759, "got 10485759, must be at least 10485760 bytes (10 MB, Athena's smallest cutoff)"},
		{GlueRetries, 11, "got 11, must be between 0 and 10 retries"},
	}
	for _, c := range cases {
		if got := c.r.Check(c.v); got != c.want {
			t.Errorf("%+v.Check(%d) = %q, want %q", c.r, c.v, got, c.want)
		}
	}
}

func assertError(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("got error:\n%v\nwant it to contain:\n%s", err, want)
	}
}

func TestInvalidConfiguration(t *testing.T) {
	cases := []struct {
		name, envName, json, want string
	}{
		{"unknown top-level key", "dev", `{"prefx":"a"}`, `environments.dev.prefx: unknown field, allowed fields are account, region, prefix`},
		{"unknown nested key", "dev", `{"storage":{"rawIADays":30}}`, `environments.dev.storage.rawIADays: unknown field, allowed fields are rawInfrequentAccessDays, rawGlacierDays, athenaResultsRetentionDays`},
		{"wrong type string for number", "dev", `{"storage":{"rawGlacierDays":"90"}}`, `environments.dev.storage.rawGlacierDays: got the string "90", must be a whole number`},
		{"wrong type number for bool", "dev", `{"allowDestroyData":1}`, `environments.dev.allowDestroyData: got the number 1, must be true or false`},
		{"lakeFormation not a boolean", "dev", `{"lakeFormation":"yes"}`, `environments.dev.lakeFormation: got the string "yes", must be true or false`},
		{"fractional days", "dev", `{"storage":{"rawGlacierDays":90.5}}`, `environments.dev.storage.rawGlacierDays: got the number 90.5, must be a whole number`},
		{"wrong type for object", "dev", `{"glue":"fast"}`, `environments.dev.glue: got the string "fast", must be an object`},
		{"wrong tag value type", "dev", `{"tags":{"team":7}}`, `environments.dev.tags.team: got the number 7, must be a string`},
		{"environment not an object", "dev", `[]`, `environments.dev: got a list, must be an object`},
		{"zero days", "dev", `{"storage":{"athenaResultsRetentionDays":0}}`, `environments.dev.storage.athenaResultsRetentionDays: got 0, must be a positive number of days`},
		{"negative days", "dev", `{"storage":{"rawGlacierDays":-1}}`, `environments.dev.storage.rawGlacierDays: got -1, must be a positive number of days`},
		{"infrequent access under 30 days", "dev", `{"storage":{"rawInfrequentAccessDays":10}}`, `environments.dev.storage.rawInfrequentAccessDays: got 10, must be at least 30`},
		{"glacier before infrequent access", "dev", `{"storage":{"rawInfrequentAccessDays":60,"rawGlacierDays":45}}`, `environments.dev.storage.rawGlacierDays: got 45, must be greater than storage.rawInfrequentAccessDays (60)`},
		{"glacier equal to infrequent access", "dev", `{"storage":{"rawInfrequentAccessDays":60,"rawGlacierDays":60}}`, `must be greater than storage.rawInfrequentAccessDays (60)`},
		{"malformed account", "dev", `{"account":"12345"}`, `environments.dev.account: got "12345", must be a 12-digit AWS account id`},
		{"malformed region", "dev", `{"region":"europe-1"}`, `environments.dev.region: got "europe-1", must be an AWS region`},
		{"bad prefix", "dev", `{"prefix":"Click_Stream"}`, `environments.dev.prefix: got "Click_Stream", must be 2-20 characters`},
		{"prod allowed to destroy data", "prod", `{"allowDestroyData":true}`, `environments.prod.allowDestroyData: got true, must be false in production environment "prod" (named like production`},
		{"explicit production allowed to destroy data", "live", `{"production":true,"allowDestroyData":true}`, `environments.live.allowDestroyData: got true, must be false in production environment "live" (production: true)`},
		{"production not a boolean", "dev", `{"production":"yes"}`, `environments.dev.production: got the string "yes", must be true or false`},
		{"too many glue workers", "dev", `{"glue":{"maxWorkers":300}}`, `environments.dev.glue.maxWorkers: got 300, must be between 2 and 299 G.1X workers (one is the driver)`},
		{"absurd retention", "dev", `{"storage":{"athenaResultsRetentionDays":40000}}`, `environments.dev.storage.athenaResultsRetentionDays: got 40000, must be a positive number of days (at most 36500)`},
		{"athena cutoff under 10 MB", "dev", `{"athena":{"bytesScannedCutoff":1000}}`, `environments.dev.athena.bytesScannedCutoff: got 1000, must be at least 10485760 bytes (10 MB, Athena's smallest cutoff)`},
		{"too few glue workers", "dev", `{"glue":{"maxWorkers":1}}`, `environments.dev.glue.maxWorkers: got 1, must be between 2 and 299`},
		{"bad glue schedule", "dev", `{"glue":{"schedule":"cron(0 25 * * ? *)"}}`, `environments.dev.glue.schedule: got "cron(0 25 * * ? *)": hours field "25" is invalid`},
		{"rate schedule", "dev", `{"glue":{"schedule":"rate(1 day)"}}`, `environments.dev.glue.schedule: got "rate(1 day)", must be a Glue cron expression`},
		{"zero timeout", "dev", `{"glue":{"timeoutMinutes":0}}`, `environments.dev.glue.timeoutMinutes: got 0, must be between 1 and 2880`},
		{"negative retries", "dev", `{"glue":{"maxRetries":-1}}`, `environments.dev.glue.maxRetries: got -1, must be between 0 and 10`},
		{"zero session timeout", "dev", `{"glue":{"sessionTimeoutMinutes":0}}`, `environments.dev.glue.sessionTimeoutMinutes: got 0, must be between 1 and 1440`},
		{"alarm after timeout", "dev", `{"glue":{"timeoutMinutes":60,"durationAlarmMinutes":60}}`, `environments.dev.glue.durationAlarmMinutes: got 60, must be at least 1 and less than glue.timeoutMinutes (60)`},
		{"bad email", "dev", `{"alarms":{"email":"ops"}}`, `environments.dev.alarms.email: got "ops", must be an e-mail address`},
		{"quarantine share of 100 %", "dev", `{"alarms":{"quarantineSharePercent":100}}`, `environments.dev.alarms.quarantineSharePercent: got 100, must be between 1 and 99 percent`},
		{"zero bot share", "dev", `{"alarms":{"botSharePercent":0}}`, `environments.dev.alarms.botSharePercent: got 0, must be between 1 and 99 percent`},
		{"freshness beyond a week", "dev", `{"alarms":{"freshnessHours":169}}`, `environments.dev.alarms.freshnessHours: got 169, must be between 2 and 168 hours (CloudWatch evaluates an alarm over at most 7 days)`},
		{"zero volume drop", "dev", `{"alarms":{"volumeDropPercent":0}}`, `environments.dev.alarms.volumeDropPercent: got 0, must be between 1 and 99 percent`},
		{"bad import mode", "dev", `{"quicksight":{"importMode":"CACHE"}}`, `environments.dev.quicksight.importMode: got "CACHE", must be SPICE or DIRECT_QUERY`},
		{"bad refresh time", "dev", `{"quicksight":{"refreshTime":"6am"}}`, `environments.dev.quicksight.refreshTime: got "6am", must be a UTC time HH:MM`},
		{"enabled without owners", "dev", `{"quicksight":{"enabled":true}}`, `environments.dev.quicksight.owners: got an empty list, must name at least one`},
		{"malformed principal arn", "dev", `{"quicksight":{"viewers":["arn:aws:iam::123456789012:user/bob"]}}`, `environments.dev.quicksight.viewers[0]: got "arn:aws:iam::123456789012:user/bob", must be a QuickSight user or group ARN`},
		{"principal of another account", "dev", `{"account":"123456789012","quicksight":{"enabled":true,"owners":["arn:aws:quicksight:us-east-1:111111111111:group/default/bi"]}}`, `environments.dev.quicksight.owners[0]: got "arn:aws:quicksight:us-east-1:111111111111:group/default/bi" in account 111111111111, must be a principal of the environment's account 123456789012`},
		{"reserved tag", "dev", `{"tags":{"environment":"x"}}`, `environments.dev.tags.environment: tag key "environment" is reserved`},
		{"aws tag prefix", "dev", `{"tags":{"aws:owner":"x"}}`, `environments.dev.tags.aws:owner: tag key "aws:owner" is not allowed`},
		{"name prefix too long", "staging-eu-central-1", `{"prefix":"clickstream-events-x"}`, `environments.staging-eu-central-1.prefix: got "clickstream-events-x", which with the environment name makes the name prefix "clickstream-events-x-staging-eu-central-1" of 41 characters, must make at most 40`},
		{"ingestion without origins", "dev", `{"ingestion":{"enabled":true}}`, `environments.dev.ingestion.allowedOrigins: got an empty list, must name the sites allowed to send events`},
		{"any origin in production", "prod", `{"ingestion":{"enabled":true,"allowedOrigins":["*"]}}`, `environments.prod.ingestion.allowedOrigins[0]: got "*", must list the sites' origins in production environment "prod"`},
		{"origin with a path", "dev", `{"ingestion":{"allowedOrigins":["https://shop.example.com/"]}}`, `environments.dev.ingestion.allowedOrigins[0]: got "https://shop.example.com/", must be an origin such as https://shop.example.com`},
		{"collector throttle too high", "dev", `{"ingestion":{"reservedConcurrency":1000}}`, `environments.dev.ingestion.reservedConcurrency: got 1000, must be between 1 and 900 concurrent invocations`},
		{"misspelt time zone", "dev", `{"reportingTimeZone":"Asia/Soul"}`, `environments.dev.reportingTimeZone: got "Asia/Soul", which is not in the IANA time zone database: must be a zone name such as Asia/Seoul, Europe/Berlin, America/New_York or UTC (case matters)`},
		{"time zone in the wrong case", "dev", `{"reportingTimeZone":"asia/seoul"}`, `environments.dev.reportingTimeZone: got "asia/seoul", which is not in the IANA time zone database`},
		{"fixed offset for a time zone", "dev", `{"reportingTimeZone":"+09:00"}`, `environments.dev.reportingTimeZone: got "+09:00", which is not in the IANA time zone database`},
		{"machine's local zone", "dev", `{"reportingTimeZone":"Local"}`, `environments.dev.reportingTimeZone: got "Local", must be an IANA time zone name such as Asia/Seoul`},
		{"empty time zone", "dev", `{"reportingTimeZone":""}`, `environments.dev.reportingTimeZone: got "", must be an IANA time zone name`},
		{"bad environment name", "Dev_1", `{}`, `environments.Dev_1: environment name "Dev_1" is not allowed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(`{"`+c.envName+`": `+c.json+`}`), "")
			assertError(t, err, c.want)
		})
	}
	t.Run("every problem is reported at once", func(t *testing.T) {
		_, err := Parse([]byte(`{"dev":{"account":"1","region":"x"},"prod":{"allowDestroyData":true}}`), "")
		assertError(t, err, "environments.dev.account")
		assertError(t, err, "environments.dev.region")
		assertError(t, err, "environments.prod.allowDestroyData")
	})
	t.Run("missing environments", func(t *testing.T) {
		_, err := Parse(nil, "")
		assertError(t, err, `environments: missing`)
	})
	t.Run("empty environments", func(t *testing.T) {
		_, err := Parse([]byte(`{}`), "")
		assertError(t, err, `environments: got an empty object, must configure at least one environment`)
	})
	t.Run("environments not an object", func(t *testing.T) {
		_, err := Parse([]byte(`"dev"`), "")
		assertError(t, err, `environments: got the string "dev", must be an object`)
	})
}
