package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/clickstream-analytics/datalake/internal/gluecron"
)

// Validate reports every problem of the environment in one joined error. Each message names
// the field path, the value received and what is allowed.
func (e Environment) Validate() error {
	p := ContextKey + "." + e.Name + "."
	var errs []error
	fail := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf(p+field+": "+format, args...))
	}
	if e.Account != "" && !accountPattern.MatchString(e.Account) {
		fail("account", "got %q, must be a 12-digit AWS account id or omitted", e.Account)
	}
	if e.Region != "" && !regionPattern.MatchString(e.Region) {
		fail("region", "got %q, must be an AWS region such as eu-west-1 or omitted", e.Region)
	}
	if !prefixPattern.MatchString(e.Prefix) {
		fail("prefix", "got %q, must be 2-20 characters of lower-case letters, digits and hyphens, starting with a letter", e.Prefix)
	} else if !NamePrefixPattern.MatchString(e.NamePrefix()) {
		fail("prefix", "got %q, which with the environment name makes the name prefix %q of %d characters, must make at most 40", e.Prefix, e.NamePrefix(), len(e.NamePrefix()))
	}
	if msg := CheckTimeZone(e.ReportingTimeZone); msg != "" {
		fail("reportingTimeZone", "%s", msg)
	}
	if e.AllowDestroyData && e.IsProduction() {
		fail("allowDestroyData", "got true, must be false in production environment %q (%s): production data is always retained", e.Name, e.productionSource())
	}

	s := e.Storage
	check := func(field string, r Range, v int64) bool {
		if msg := r.Check(v); msg != "" {
			fail(field, "%s", msg)
			return false
		}
		return true
	}
	iaOK := check("storage.rawInfrequentAccessDays", RawInfrequentAccessDays, int64(s.RawInfrequentAccessDays))
	if check("storage.rawGlacierDays", RetentionDays, int64(s.RawGlacierDays)) && iaOK && s.RawGlacierDays <= s.RawInfrequentAccessDays {
		fail("storage.rawGlacierDays", "got %d, must be greater than storage.rawInfrequentAccessDays (%d): Glacier Instant Retrieval comes after Infrequent Access", s.RawGlacierDays, s.RawInfrequentAccessDays)
	}
	check("storage.athenaResultsRetentionDays", RetentionDays, int64(s.AthenaResultsRetentionDays))

	check("athena.bytesScannedCutoff", BytesScannedCutoff, e.Athena.BytesScannedCutoff)

	g := e.Glue
	check("glue.maxWorkers", GlueWorkers, int64(g.MaxWorkers))
	if err := gluecron.Validate(g.Schedule); err != nil {
		fail("glue.schedule", "%v", err)
	}
	timeoutOK := check("glue.timeoutMinutes", GlueTimeoutMinutes, int64(g.TimeoutMinutes))
	check("glue.maxRetries", GlueRetries, int64(g.MaxRetries))
	check("glue.sessionTimeoutMinutes", SessionTimeoutMinutes, int64(g.SessionTimeoutMinutes))
	if timeoutOK && (g.DurationAlarmMinutes < 1 || g.DurationAlarmMinutes >= g.TimeoutMinutes) {
		fail("glue.durationAlarmMinutes", "got %d, must be at least 1 and less than glue.timeoutMinutes (%d), or the alarm could never fire before the timeout", g.DurationAlarmMinutes, g.TimeoutMinutes)
	}

	a := e.Alarms
	if a.Email != "" && !EmailPattern.MatchString(a.Email) {
		fail("alarms.email", "got %q, must be an e-mail address or omitted", a.Email)
	}
	check("alarms.quarantineSharePercent", SharePercent, int64(a.QuarantineSharePercent))
	check("alarms.botSharePercent", SharePercent, int64(a.BotSharePercent))
	check("alarms.freshnessHours", FreshnessHours, int64(a.FreshnessHours))
	check("alarms.volumeDropPercent", SharePercent, int64(a.VolumeDropPercent))

	q := e.QuickSight
	if q.ImportMode != ImportModeSpice && q.ImportMode != ImportModeDirectQuery {
		fail("quicksight.importMode", "got %q, must be %s or %s", q.ImportMode, ImportModeSpice, ImportModeDirectQuery)
	}
	if !RefreshTimePattern.MatchString(q.RefreshTime) {
		fail("quicksight.refreshTime", "got %q, must be a UTC time HH:MM such as 06:00", q.RefreshTime)
	}
	if q.Enabled && len(q.Owners) == 0 {
		fail("quicksight.owners", "got an empty list, must name at least one QuickSight user or group ARN when quicksight.enabled is true")
	}
	for field, arns := range map[string][]string{"quicksight.owners": q.Owners, "quicksight.viewers": q.Viewers} {
		for i, arn := range arns {
			switch {
			case !QuickSightPrincipalPattern.MatchString(arn):
				fail(fmt.Sprintf("%s[%d]", field, i), "got %q, must be a QuickSight user or group ARN such as arn:aws:quicksight:us-east-1:123456789012:group/default/analysts", arn)
			case e.Account != "" && strings.Split(arn, ":")[4] != e.Account:
				// QuickSight principals live in the account that owns the dashboards.
				fail(fmt.Sprintf("%s[%d]", field, i), "got %q in account %s, must be a principal of the environment's account %s", arn, strings.Split(arn, ":")[4], e.Account)
			}
		}
	}

	in := e.Ingestion
	check("ingestion.reservedConcurrency", IngestionReservedConcurrency, int64(in.ReservedConcurrency))
	check("ingestion.maxRequestBytes", IngestionMaxRequestBytes, int64(in.MaxRequestBytes))
	check("ingestion.maxEventsPerRequest", IngestionMaxEventsPerRequest, int64(in.MaxEventsPerRequest))
	check("ingestion.bufferingIntervalSeconds", IngestionBufferingIntervalSeconds, int64(in.BufferingIntervalSeconds))
	check("ingestion.bufferingSizeMiB", IngestionBufferingSizeMiB, int64(in.BufferingSizeMiB))
	if in.Enabled && len(in.AllowedOrigins) == 0 {
		fail("ingestion.allowedOrigins", "got an empty list, must name the sites allowed to send events, such as https://shop.example.com, when ingestion.enabled is true")
	}
	for i, origin := range in.AllowedOrigins {
		field := fmt.Sprintf("ingestion.allowedOrigins[%d]", i)
		switch {
		case origin == AnyOrigin && e.IsProduction():
			fail(field, "got %q, must list the sites' origins in production environment %q (%s)", origin, e.Name, e.productionSource())
		case CheckOrigin(origin) != "":
			fail(field, "got %q, %s", origin, CheckOrigin(origin))
		}
	}

	e.Privacy.validate(s, fail)

	keys := make([]string, 0, len(e.Tags))
	for k := range e.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case !tagKeyPattern.MatchString(k) || strings.HasPrefix(strings.ToLower(k), "aws:"):
			fail("tags."+k, "tag key %q is not allowed: 1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:", k)
		case k == EnvironmentTagKey:
			fail("tags."+k, "tag key %q is reserved: it is set to the environment name automatically", k)
		case len(e.Tags[k]) > 256:
			fail("tags."+k, "got a value of %d characters, must be at most 256", len(e.Tags[k]))
		}
	}
	// Map iteration above is unordered; sort messages so the error is stable.
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

// EnvironmentTagKey is the tag set on every resource to the environment name.
const EnvironmentTagKey = "environment"

// productionSource says why the environment is production, for messages.
func (e Environment) productionSource() string {
	if e.Production != nil {
		return "production: true"
	}
	return `named like production: "prod", "production" or "prod-*"; set "production": false if it is not`
}
