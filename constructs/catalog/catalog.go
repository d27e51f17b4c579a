// Package catalog declares the Glue Data Catalog of the curated zone: the database and the
// curated Parquet tables from the data contract (codec contract.ParquetCompression), with
// Athena partition projection so new days are queryable without a crawler run or MSCK REPAIR.
// The curated zone is never crawled: a crawler update would wipe the projection properties.
package catalog

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Props configures the catalog.
type Props struct {
	// DatabaseName is the Glue database name: lower-case letters, digits and underscores
	// (a valid Athena identifier). Required.
	DatabaseName *string
	// CuratedBucket holds the curated tables, each under its contract prefix. Required.
	// Grants include its KMS key when the bucket has one.
	CuratedBucket awss3.IBucket
	// ProjectionStartDate (yyyy-MM-dd) starts the projected partition range.
	// Default: DefaultProjectionStartDate ("2020-01-01").
	ProjectionStartDate *string
	// ReportingTimeZone is the IANA zone the ETL writes the partition dates and local-time
	// columns in; their comments name it. Default: config.DefaultReportingTimeZone (UTC).
	ReportingTimeZone *string
	// RemovalPolicy of the database and tables. Default: props.DefaultRemovalPolicy (RETAIN_ON_UPDATE_OR_DELETE: kept on
	// update and deletion, removed when its own creation fails).
	RemovalPolicy awscdk.RemovalPolicy
	// LakeFormation, when set, makes GrantRead also grant Lake Formation permissions on the
	// database and on each curated table, for accounts whose Data Catalog Lake Formation
	// governs. Default: - none: GrantRead grants IAM permissions only, which is enough while the
	// account keeps the IAM-only Data Catalog defaults.
	LakeFormation LakeFormation
}

// LakeFormation grants Lake Formation permissions to readers of the catalog
// (lakeformation.LakeFormation satisfies it).
type LakeFormation interface {
	// GrantRead grants DESCRIBE on database and SELECT and DESCRIBE on each of tables, and
	// returns the IAM part of the grant (lakeformation:GetDataAccess).
	GrantRead(grantee awsiam.IGrantable, database awsglue.IDatabase, tables []awsglue.ITable) awsiam.Grant
}

var (
	databaseNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,254}$`)
	datePattern         = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	decimalPattern      = regexp.MustCompile(`^decimal\((\d+),(\d+)\)$`)
)

func (p Props) withDefaults() Props {
	if p.ProjectionStartDate == nil {
		p.ProjectionStartDate = jsii.String(DefaultProjectionStartDate)
	}
	if p.ReportingTimeZone == nil {
		p.ReportingTimeZone = jsii.String(config.DefaultReportingTimeZone)
	}
	p.RemovalPolicy = props.RemovalPolicyOr(p.RemovalPolicy)
	return p
}

func (p Props) validate() error {
	var errs []error
	if err := props.Name("catalog", "DatabaseName", p.DatabaseName, databaseNamePattern,
		"start with a letter and hold only lower-case letters, digits and underscores (an Athena identifier)"); err != nil {
		errs = append(errs, err)
	}
	if p.CuratedBucket == nil {
		errs = append(errs, errors.New("catalog: CuratedBucket: required"))
	}
	if !datePattern.MatchString(*p.ProjectionStartDate) {
		errs = append(errs, fmt.Errorf("catalog: ProjectionStartDate: got %q, must be a date yyyy-MM-dd", *p.ProjectionStartDate))
	}
	if msg := config.CheckTimeZone(*p.ReportingTimeZone); msg != "" {
		errs = append(errs, fmt.Errorf("catalog: ReportingTimeZone: %s", msg))
	}
	errs = append(errs, props.RetainOrDestroy("catalog", p.RemovalPolicy))
	return errors.Join(errs...)
}

// Catalog is the curated zone's Data Catalog.
type Catalog interface {
	constructs.Construct
	// Database is the Glue database of the environment.
	Database() awsglue.IDatabase
	// DatabaseName is the Glue database name.
	DatabaseName() *string
	// Table is the curated table of that contract name (contract.Tables()); it panics on a
	// name the contract does not declare.
	Table(name string) awsglue.ITable
	// Tables lists the curated tables in contract order.
	Tables() []awsglue.ITable
	// GrantRead lets grantee read the database, the curated tables and their data (S3 prefix
	// of each table, KMS decrypt), and with Props.LakeFormation also grants the Lake Formation
	// permissions on each curated table (never on the crawled raw table). The returned grant
	// holds every IAM statement.
	GrantRead(grantee awsiam.IGrantable) awsiam.Grant
}

type catalog struct {
	constructs.Construct
	db awsglue.Database
	lf LakeFormation
	// tables are in contract order; byName finds one by its contract name.
	tables []awsglue.S3Table
	byName map[string]awsglue.S3Table
}

// TableID is the construct ID of a curated table: its contract name in PascalCase plus
// TableIDSuffix ("daily_traffic" -> "DailyTrafficTable"). It names the resource: a table's
// name, once deployed, is never changed.
func TableID(name string) string { return props.ConstructID(name) + TableIDSuffix }

// New declares the database and the curated tables. It panics on invalid props.
func New(scope constructs.Construct, id *string, props *Props) Catalog {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	c := &catalog{Construct: constructs.NewConstruct(scope, id), byName: map[string]awsglue.S3Table{}, lf: p.LakeFormation}
	c.db = awsglue.NewDatabase(c.Construct, jsii.String(DatabaseID), &awsglue.DatabaseProps{
		DatabaseName:  p.DatabaseName,
		Description:   jsii.String("Clickstream analytics: curated tables (declared in CDK, partition projection) and the crawled raw table"),
		RemovalPolicy: p.RemovalPolicy,
	})
	for _, t := range contract.Tables() {
		table := c.table(TableID(t.Name), t, p)
		c.tables = append(c.tables, table)
		c.byName[t.Name] = table
	}
	return c
}

func (c *catalog) table(id string, t contract.Table, p Props) awsglue.S3Table {
	key := t.PartitionKey.Name
	table := awsglue.NewS3Table(c.Construct, jsii.String(id), &awsglue.S3TableProps{
		Database:      c.db,
		TableName:     jsii.String(t.Name),
		Description:   jsii.String(t.Description),
		Columns:       columns(t.Columns, *p.ReportingTimeZone),
		PartitionKeys: columns([]contract.Column{t.PartitionKey}, *p.ReportingTimeZone),
		DataFormat:    awsglue.DataFormat_PARQUET(),
		Compressed:    jsii.Bool(true),
		Storage:       awsglue.S3TableStorage_FromBucket(p.CuratedBucket),
		S3Prefix:      jsii.String(t.Prefix),
		// The data is SSE-KMS encrypted, which S3 decrypts transparently; the flag is for
		// client-side encryption only and would make Athena demand CSE settings.
		HasEncryptedData: jsii.Bool(false),
		PartitionProjection: &map[string]awsglue.PartitionProjectionConfiguration{
			key: awsglue.PartitionProjectionConfiguration_Date(&awsglue.DatePartitionProjectionConfigurationProps{
				Min:    p.ProjectionStartDate,
				Max:    jsii.String(ProjectionEnd),
				Format: jsii.String(contract.PartitionDateFormat),
			}),
		},
		Parameters: &map[string]*string{
			// The codec the Glue script writes (one home: the contract).
			"parquet.compression": jsii.String(contract.ParquetCompression),
			"storage.location.template": jsii.String(fmt.Sprintf("s3://%s/%s%s=${%s}/",
				*p.CuratedBucket.BucketName(), t.Prefix, key, key)),
		},
	})
	table.ApplyRemovalPolicy(p.RemovalPolicy)
	return table
}

// columns maps contract (Hive) types to Glue schema types; the comment of a column in the
// reporting time zone names the zone.
func columns(cols []contract.Column, zone string) *[]*awsglue.Column {
	out := make([]*awsglue.Column, 0, len(cols))
	named := contract.ReportingTimeZonePhrase + " (" + zone + ")"
	for _, col := range cols {
		comment := strings.Replace(col.Comment, contract.ReportingTimeZonePhrase, named, 1)
		out = append(out, &awsglue.Column{Name: jsii.String(col.Name), Type: glueType(col.Type), Comment: jsii.String(comment)})
	}
	return &out
}

func glueType(hive string) awsglue.Type {
	switch hive {
	case contract.TypeString:
		return awsglue.Schema_STRING()
	case contract.TypeInt:
		return awsglue.Schema_INTEGER()
	case contract.TypeBigInt:
		return awsglue.Schema_BIG_INT()
	case contract.TypeBoolean:
		return awsglue.Schema_BOOLEAN()
	case contract.TypeTimestamp:
		return awsglue.Schema_TIMESTAMP()
	case contract.TypeDate:
		return awsglue.Schema_DATE()
	case contract.TypeDouble:
		return awsglue.Schema_DOUBLE()
	}
	if m := decimalPattern.FindStringSubmatch(hive); m != nil {
		precision, _ := strconv.Atoi(m[1])
		scale, _ := strconv.Atoi(m[2])
		return awsglue.Schema_Decimal(jsii.Number(float64(precision)), jsii.Number(float64(scale)))
	}
	panic(fmt.Sprintf("catalog: contract type %q has no Glue mapping", hive))
}

func (c *catalog) Database() awsglue.IDatabase { return c.db }
func (c *catalog) DatabaseName() *string       { return c.db.DatabaseName() }

func (c *catalog) Table(name string) awsglue.ITable {
	t, ok := c.byName[name]
	if !ok {
		var names []string
		for _, ct := range contract.Tables() {
			names = append(names, ct.Name)
		}
		panic(fmt.Sprintf("catalog: Table: got %q, must be a curated table of the contract: %s", name, strings.Join(names, ", ")))
	}
	return t
}

func (c *catalog) Tables() []awsglue.ITable {
	out := make([]awsglue.ITable, len(c.tables))
	for i, t := range c.tables {
		out[i] = t
	}
	return out
}

func (c *catalog) GrantRead(grantee awsiam.IGrantable) awsiam.Grant {
	var grant awsiam.Grant
	for _, t := range c.tables {
		g := t.GrantRead(grantee)
		if grant == nil {
			grant = g
		} else {
			grant = grant.Combine(g)
		}
	}
	// The tables' grants name only the table ARNs, but Glue authorizes each table read against
	// the catalog and the database as well (the Service Authorization Reference marks all three
	// required): without these, Athena and QuickSight get AccessDenied on every table.
	grant = grant.Combine(awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(append([]string{"glue:GetDatabase"}, TableReadActions...)...),
		ResourceArns: jsii.Strings(*c.db.Catalog().CatalogArn(), *c.db.DatabaseArn()),
	}))
	if c.lf != nil {
		grant = grant.Combine(c.lf.GrantRead(grantee, c.db, c.Tables()))
	}
	return grant
}
