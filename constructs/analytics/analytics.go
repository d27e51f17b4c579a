// Package analytics is the whole clickstream pipeline as one construct: lake storage, the
// curated Data Catalog, the governed Athena workgroup with its named queries, the Glue
// security configuration, the raw crawler, the ETL job, the scheduled workflow, failure
// alarms and, optionally, the QuickSight dashboards. Every setting left unset keeps the
// default of the construct that owns it (config.Default*), so a stack needs only a name
// prefix.
//
// A stack that must keep the logical IDs of resources created before this construct existed
// (as this repository's stacks do) adds it with the ID "Default", which CDK leaves out of
// logical IDs.
package analytics

import (
	"errors"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/alarms"
	"github.com/clickstream-analytics/datalake/constructs/athena"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/crawler"
	"github.com/clickstream-analytics/datalake/constructs/dataalarms"
	"github.com/clickstream-analytics/datalake/constructs/erasurejob"
	"github.com/clickstream-analytics/datalake/constructs/etljob"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/ingestion"
	"github.com/clickstream-analytics/datalake/constructs/lakeformation"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/constructs/opsdashboard"
	"github.com/clickstream-analytics/datalake/constructs/quicksight"
	"github.com/clickstream-analytics/datalake/constructs/workflow"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Props configures the pipeline. Only NamePrefix is required.
type Props struct {
	// NamePrefix names every named resource: the Glue database (with underscores), the
	// Athena workgroup, <NamePrefix>-glue-security, -raw-crawler, -etl, -batch and the
	// QuickSight resources. Required, matching config.NamePrefixPattern (2-40 lower-case
	// letters, digits and hyphens, starting with a letter), e.g. "clickstream-dev".
	NamePrefix *string
	// RemovalPolicy of every stateful resource (buckets, keys, database, tables, workgroup,
	// Glue security configuration, log groups): RETAIN_ON_UPDATE_OR_DELETE, RETAIN or DESTROY
	// (buckets are emptied). Default: props.DefaultRemovalPolicy (RETAIN_ON_UPDATE_OR_DELETE: kept on
	// update and deletion, removed when its own creation fails).
	RemovalPolicy awscdk.RemovalPolicy
	// ReportingTimeZone is the IANA time zone (Asia/Seoul) of every reported day, local hour and
	// weekday: the ETL's partition dates and local columns, the Glue table comments, the
	// QuickSight labels. Changing it needs a full reprocess from raw.
	// Default: config.DefaultReportingTimeZone (UTC).
	ReportingTimeZone *string
	// Storage configures the buckets' lifecycles. Default: - every field at its default.
	Storage StorageProps
	// Privacy configures IP handling and retention (privacy.go). Default: - every field at its default.
	Privacy PrivacyProps
	// Athena configures the workgroup. Default: - every field at its default.
	Athena AthenaProps
	// Glue configures the crawler, the ETL job and their schedule. Default: - every field at its default.
	Glue GlueProps
	// Alarms configures failure notifications. Default: - no e-mail subscription, default threshold.
	Alarms AlarmsProps
	// QuickSight creates the data source, datasets, analysis and dashboard when set.
	// Default: - no QuickSight resource.
	QuickSight *QuickSightProps
	// Ingestion creates the collector (Lambda function URL) and its delivery stream into the
	// raw bucket when set. Default: - no ingestion (events arrive in the raw bucket some other way).
	Ingestion *IngestionProps
	// LakeFormation governs the lake with AWS Lake Formation: the raw and curated buckets are
	// registered with a data-access role of the pipeline's own; the crawler may create tables
	// in the database pointing into the raw bucket; the catalog's readers (the QuickSight data
	// source role and every WorkGroup().GrantQuery or Catalog().GrantRead grantee) get DESCRIBE
	// on the database and SELECT and DESCRIBE on each curated table, plus
	// lakeformation:GetDataAccess. The ETL job reads and writes S3 paths only, never the
	// catalog, so it needs no Lake Formation grant. Default: false (IAM only: the account's
	// Data Catalog must keep its IAM-only defaults).
	LakeFormation *bool
}

// IngestionProps configures the collector and its delivery stream.
type IngestionProps struct {
	// AllowedOrigins are the sites (https://shop.example.com) allowed to send events. Required.
	AllowedOrigins []string
	// Production refuses "*" in AllowedOrigins. Default: true.
	Production *bool
	// ReservedConcurrency is the collector's throttle. Default: config.DefaultIngestionReservedConcurrency (10).
	ReservedConcurrency *int
	// MaxRequestBytes bounds a request body. Default: config.DefaultIngestionMaxRequestBytes (128 KiB).
	MaxRequestBytes *int
	// MaxEventsPerRequest bounds one request's events. Default: config.DefaultIngestionMaxEventsPerRequest (100).
	MaxEventsPerRequest *int
	// BufferingIntervalSeconds delivers a raw file at least this often. Default: config.DefaultIngestionBufferingIntervalSeconds (300).
	BufferingIntervalSeconds *int
	// BufferingSizeMiB delivers a raw file when this much is buffered. Default: config.DefaultIngestionBufferingSizeMiB (64).
	BufferingSizeMiB *int
}

// StorageProps configures the lake buckets' lifecycles.
type StorageProps struct {
	// RawInfrequentAccessDays moves raw objects to Standard-IA. Default: config.DefaultRawInfrequentAccessDays (30).
	RawInfrequentAccessDays *int
	// RawGlacierDays moves raw objects to Glacier Instant Retrieval. Default: config.DefaultRawGlacierDays (90).
	RawGlacierDays *int
	// AthenaResultsRetentionDays expires query results. Default: config.DefaultAthenaResultsRetentionDays (30).
	AthenaResultsRetentionDays *int
}

// AthenaProps configures the workgroup.
type AthenaProps struct {
	// BytesScannedCutoff cancels any query scanning more bytes. Default: config.DefaultBytesScannedCutoff (10 GiB).
	BytesScannedCutoff *int64
}

// GlueProps configures the crawler, the ETL job and the workflow.
type GlueProps struct {
	// MaxWorkers is the ETL job's auto-scaling ceiling (G.1X). Default: config.DefaultGlueMaxWorkers (10).
	MaxWorkers *int
	// Schedule is the Glue cron expression (UTC) starting the workflow. Default: config.DefaultGlueSchedule.
	Schedule *string
	// TimeoutMinutes stops a job run. Default: config.DefaultGlueTimeoutMinutes (120).
	TimeoutMinutes *int
	// MaxRetries retries a failed job run. Default: config.DefaultGlueMaxRetries (1).
	MaxRetries *int
	// FlexExecution runs the job on spare capacity. Default: false.
	FlexExecution *bool
	// SessionTimeoutMinutes of inactivity start a new session. Default: config.DefaultSessionTimeoutMinutes (30).
	SessionTimeoutMinutes *int
	// DurationAlarmMinutes alarms when a job run takes longer. Default: config.DefaultGlueDurationAlarmMinutes (90).
	DurationAlarmMinutes *int
}

// AlarmsProps configures where failures are sent and the data alarms' thresholds.
type AlarmsProps struct {
	// Email subscribes an address to the failure topic. Default: - no subscription.
	Email *string
	// QuarantineSharePercent alarms when a run quarantines more of its input.
	// Default: config.DefaultQuarantineSharePercent (5).
	QuarantineSharePercent *int
	// BotSharePercent alarms when bots make more of a run's curated events.
	// Default: config.DefaultBotSharePercent (20).
	BotSharePercent *int
	// FreshnessHours alarms when no run succeeded, or none curated an event, for this long.
	// Default: config.DefaultFreshnessHours (26).
	FreshnessHours *int
	// VolumeDropPercent alarms when a run curates less than this share of the previous runs'
	// average. Default: config.DefaultVolumeDropPercent (50).
	VolumeDropPercent *int
}

// QuickSightProps configures the dashboards.
type QuickSightProps struct {
	// Owners are QuickSight user or group ARNs with full control. Required, at least one.
	Owners []string
	// Viewers are QuickSight user or group ARNs that may view the dashboard. Default: none.
	Viewers []string
	// ImportMode is SPICE or DIRECT_QUERY. Default: config.DefaultQuickSightImportMode (SPICE).
	ImportMode *string
	// RefreshTime is the daily SPICE refresh time (HH:MM, UTC). Default: config.DefaultQuickSightRefreshTime.
	RefreshTime *string
}

func (p Props) withDefaults() Props {
	p.RemovalPolicy = props.RemovalPolicyOr(p.RemovalPolicy)
	return p
}

// validate checks what this construct decides itself; every part validates its own props.
func (p Props) validate() error {
	var errs []error
	if err := props.Name("analytics", "NamePrefix", p.NamePrefix, config.NamePrefixPattern,
		"be 2-40 lower-case letters, digits and hyphens, starting with a letter"); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, props.RetainOrDestroy("analytics", p.RemovalPolicy))
	if p.Ingestion != nil && len(p.Ingestion.AllowedOrigins) == 0 {
		errs = append(errs, errors.New("analytics: Ingestion.AllowedOrigins: got none, must name the sites allowed to send events, such as https://shop.example.com"))
	}
	if p.QuickSight != nil && len(p.QuickSight.Owners) == 0 {
		errs = append(errs, errors.New("analytics: QuickSight.Owners: got none, must name at least one QuickSight user or group ARN"))
	}
	return errors.Join(errs...)
}

// Analytics is the whole pipeline; each part is exposed for grants, metrics and wiring.
type Analytics interface {
	constructs.Construct
	Storage() lakestorage.LakeStorage
	Catalog() catalog.Catalog
	WorkGroup() athena.WorkGroup
	GlueSecurity() gluesecurity.GlueSecurity
	RawCrawler() crawler.Crawler
	Job() etljob.Job
	// ErasureJob erases the visitors of request files under lakestorage.ErasureRequestsPrefix.
	ErasureJob() erasurejob.Job
	Workflow() workflow.Workflow
	Alarms() alarms.Alarms
	// DataAlarms watch the run metrics the job publishes; they notify Alarms().Topic().
	DataAlarms() dataalarms.DataAlarms
	// Dashboard is the CloudWatch operations dashboard, <NamePrefix>-operations.
	Dashboard() opsdashboard.Dashboard
	// QuickSight is nil unless Props.QuickSight was set.
	QuickSight() quicksight.QuickSight
	// Ingestion is nil unless Props.Ingestion was set.
	Ingestion() ingestion.Ingestion
	// LakeFormation is nil unless Props.LakeFormation is true.
	LakeFormation() lakeformation.LakeFormation
	// DatabaseName is the Glue database of the curated tables.
	DatabaseName() *string
}

type analytics struct {
	constructs.Construct
	storage   lakestorage.LakeStorage
	catalog   catalog.Catalog
	workGroup athena.WorkGroup
	security  gluesecurity.GlueSecurity
	crawler   crawler.Crawler
	job       etljob.Job
	erasure   erasurejob.Job
	workflow  workflow.Workflow
	alarms    alarms.Alarms
	data      dataalarms.DataAlarms
	dashboard opsdashboard.Dashboard
	qs        quicksight.QuickSight
	ingestion ingestion.Ingestion
	lf        lakeformation.LakeFormation
}

// New creates the pipeline. It panics on invalid props (its own or a part's), which fails synth.
func New(scope constructs.Construct, id *string, props *Props) Analytics {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	a := &analytics{Construct: constructs.NewConstruct(scope, id)}
	prefix := *p.NamePrefix
	named := func(suffix string) *string { return jsii.String(ResourceName(prefix, suffix)) }

	a.storage = lakestorage.New(a.Construct, jsii.String(StorageID), &lakestorage.Props{
		RawInfrequentAccessDays:    p.Storage.RawInfrequentAccessDays,
		RawGlacierDays:             p.Storage.RawGlacierDays,
		AthenaResultsRetentionDays: p.Storage.AthenaResultsRetentionDays,
		RawRetentionDays:           p.Privacy.RawRetentionDays,
		QuarantineRetentionDays:    p.Privacy.QuarantineRetentionDays,
		RemovalPolicy:              p.RemovalPolicy,
	})
	catalogProps := &catalog.Props{
		DatabaseName:      jsii.String(DatabaseName(prefix)),
		CuratedBucket:     a.storage.CuratedBucket(),
		ReportingTimeZone: p.ReportingTimeZone,
		RemovalPolicy:     p.RemovalPolicy,
	}
	if p.LakeFormation != nil && *p.LakeFormation {
		a.lf = lakeformation.New(a.Construct, jsii.String(LakeFormationID), &lakeformation.Props{
			Locations: []awss3.IBucket{a.storage.RawBucket(), a.storage.CuratedBucket()},
		})
		// Every reader of the catalog, QuickSight's and GrantQuery's included, gets its grants here.
		catalogProps.LakeFormation = a.lf
	}
	a.catalog = catalog.New(a.Construct, jsii.String(CatalogID), catalogProps)
	a.workGroup = athena.New(a.Construct, jsii.String(AthenaID), &athena.Props{
		WorkGroupName:      jsii.String(prefix),
		ResultsBucket:      a.storage.AthenaResultsBucket(),
		EncryptionKey:      a.storage.EncryptionKey(),
		Catalog:            a.catalog,
		BytesScannedCutoff: p.Athena.BytesScannedCutoff,
		RemovalPolicy:      p.RemovalPolicy,
	})
	a.security = gluesecurity.New(a.Construct, jsii.String(GlueSecurityID), &gluesecurity.Props{
		SecurityConfigurationName: named(GlueSecuritySuffix),
		EncryptionKey:             a.storage.EncryptionKey(),
		RemovalPolicy:             p.RemovalPolicy,
	})
	a.crawler = crawler.New(a.Construct, jsii.String(RawCrawlerID), &crawler.Props{
		CrawlerName: named(RawCrawlerSuffix),
		Database:    a.catalog.Database(),
		RawBucket:   a.storage.RawBucket(),
		Security:    a.security,
	})
	if a.lf != nil {
		// The crawler creates the raw table in the database, pointing into the raw bucket.
		a.lf.GrantCreateTables(a.crawler, a.catalog.Database(), a.storage.RawBucket())
	}
	// The ETL job gets no Lake Formation grant: it reads and writes S3 paths with its IAM
	// role and never calls the Data Catalog (no --enable-glue-datacatalog).
	g := p.Glue
	a.job = etljob.New(a.Construct, jsii.String(EtlJobID), &etljob.Props{
		JobName:               named(EtlJobSuffix),
		RawBucket:             a.storage.RawBucket(),
		CuratedBucket:         a.storage.CuratedBucket(),
		AssetsBucket:          a.storage.AssetsBucket(),
		Security:              a.security,
		MaxWorkers:            g.MaxWorkers,
		TimeoutMinutes:        g.TimeoutMinutes,
		MaxRetries:            g.MaxRetries,
		FlexExecution:         g.FlexExecution,
		SessionTimeoutMinutes: g.SessionTimeoutMinutes,
		ReportingTimeZone:     p.ReportingTimeZone,
		MetricsNamespace:      jsii.String(contract.MetricsNamespace(prefix)),
		IPMode:                p.Privacy.IP,
		CuratedRetentionDays:  p.Privacy.CuratedRetentionDays,
	})
	a.workflow = workflow.New(a.Construct, jsii.String(WorkflowID), &workflow.Props{
		WorkflowName: named(WorkflowSuffix),
		Crawler:      a.crawler.Resource(),
		Job:          a.job.GlueJob(),
		Schedule:     g.Schedule,
	})
	a.alarms = alarms.New(a.Construct, jsii.String(AlarmsID), &alarms.Props{
		Job:                  a.job.GlueJob(),
		Crawler:              a.crawler,
		Email:                p.Alarms.Email,
		DurationAlarmMinutes: g.DurationAlarmMinutes,
		RemovalPolicy:        p.RemovalPolicy,
	})
	a.erasure = erasurejob.New(a.Construct, jsii.String(ErasureJobID), &erasurejob.Props{
		JobName:        named(ErasureJobSuffix),
		RawBucket:      a.storage.RawBucket(),
		CuratedBucket:  a.storage.CuratedBucket(),
		AssetsBucket:   a.storage.AssetsBucket(),
		Security:       a.security,
		AlarmTopic:     a.alarms.Topic(),
		TimeoutMinutes: g.TimeoutMinutes,
	})
	// Ingestion (a collector and its delivery stream) adds its own alarms to Alarms().Topic().
	a.data = dataalarms.New(a.Construct, jsii.String(DataAlarmsID), &dataalarms.Props{
		Topic:                  a.alarms.Topic(),
		MetricsNamespace:       jsii.String(contract.MetricsNamespace(prefix)),
		QuarantineSharePercent: p.Alarms.QuarantineSharePercent,
		BotSharePercent:        p.Alarms.BotSharePercent,
		FreshnessHours:         p.Alarms.FreshnessHours,
		VolumeDropPercent:      p.Alarms.VolumeDropPercent,
		WorkflowName:           named(WorkflowSuffix),
		RawLocation:            a.storage.RawBucket().S3UrlForObject(jsii.String(lakestorage.RawEventsPrefix)),
	})
	if q := p.QuickSight; q != nil {
		a.qs = quicksight.New(a.Construct, jsii.String(QuickSightID), &quicksight.Props{
			ResourcePrefix:    jsii.String(prefix),
			WorkGroup:         a.workGroup,
			Catalog:           a.catalog,
			Owners:            q.Owners,
			Viewers:           q.Viewers,
			ImportMode:        q.ImportMode,
			RefreshTime:       q.RefreshTime,
			ReportingTimeZone: p.ReportingTimeZone,
		})
	}
	if in := p.Ingestion; in != nil {
		a.ingestion = ingestion.New(a.Construct, jsii.String(IngestionID), &ingestion.Props{
			RawBucket:                a.storage.RawBucket(),
			EncryptionKey:            a.storage.EncryptionKey(),
			AlarmTopic:               a.alarms.Topic(),
			FunctionName:             named(CollectorSuffix),
			DeliveryStreamName:       named(DeliveryStreamSuffix),
			AllowedOrigins:           jsii.Strings(in.AllowedOrigins...),
			Production:               in.Production,
			ReservedConcurrency:      in.ReservedConcurrency,
			MaxRequestBytes:          in.MaxRequestBytes,
			MaxEventsPerRequest:      in.MaxEventsPerRequest,
			BufferingIntervalSeconds: in.BufferingIntervalSeconds,
			BufferingSizeMiB:         in.BufferingSizeMiB,
			IPMode:                   p.Privacy.IP,
			RemovalPolicy:            p.RemovalPolicy,
		})
	}
	var spice map[string]*string
	if a.qs != nil && (p.QuickSight.ImportMode == nil || *p.QuickSight.ImportMode == config.ImportModeSpice) {
		spice = a.qs.DataSetIDs()
	}
	a.dashboard = opsdashboard.New(a.Construct, jsii.String(DashboardID), &opsdashboard.Props{
		DashboardName:        named(DashboardSuffix),
		DataAlarms:           a.data,
		Alarms:               []awscloudwatch.IAlarm{a.alarms.DurationAlarm()},
		WorkGroupName:        a.workGroup.WorkGroupName(),
		QuickSightDataSetIDs: spice,
	})
	return a
}

// DatabaseName is the Glue database of a name prefix: hyphens become underscores, so the
// name is an Athena identifier ("clickstream-dev" -> "clickstream_dev").
func DatabaseName(namePrefix string) string { return strings.ReplaceAll(namePrefix, "-", "_") }

// ResourceName is the name of a named resource of a name prefix: <prefix>-<suffix>.
func ResourceName(namePrefix, suffix string) string { return namePrefix + "-" + suffix }

func (a *analytics) Storage() lakestorage.LakeStorage        { return a.storage }
func (a *analytics) Catalog() catalog.Catalog                { return a.catalog }
func (a *analytics) WorkGroup() athena.WorkGroup             { return a.workGroup }
func (a *analytics) GlueSecurity() gluesecurity.GlueSecurity { return a.security }
func (a *analytics) RawCrawler() crawler.Crawler             { return a.crawler }
func (a *analytics) Job() etljob.Job                         { return a.job }
func (a *analytics) ErasureJob() erasurejob.Job              { return a.erasure }
func (a *analytics) Workflow() workflow.Workflow             { return a.workflow }
func (a *analytics) Alarms() alarms.Alarms                   { return a.alarms }
func (a *analytics) DataAlarms() dataalarms.DataAlarms       { return a.data }
func (a *analytics) Dashboard() opsdashboard.Dashboard       { return a.dashboard }
func (a *analytics) QuickSight() quicksight.QuickSight       { return a.qs }
func (a *analytics) Ingestion() ingestion.Ingestion          { return a.ingestion }
func (a *analytics) DatabaseName() *string                   { return a.catalog.DatabaseName() }

// LakeFormation is nil unless Props.LakeFormation is true.
func (a *analytics) LakeFormation() lakeformation.LakeFormation { return a.lf }
