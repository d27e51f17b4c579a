// Package crawler provides the raw-zone Glue crawler: it catalogs the raw JSON-lines events
// (plain or gzip) under events/year=/month=/day=/hour=/ as one partitioned raw table,
// crawling new folders only, with a least-privilege role. It never crawls the curated zone:
// a crawler update would wipe the partition projection of the curated tables.
package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/gluesecurity"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/internal/nag"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Security is what the crawler needs of the Glue security configuration
// (gluesecurity.GlueSecurity satisfies it).
type Security interface {
	SecurityConfigurationName() *string
	// GrantWriteLogs lets grantee write the encrypted log groups matching logGroups.
	GrantWriteLogs(grantee awsiam.IGrantable, logGroups string) awsiam.Grant
}

// Props configures the crawler.
type Props struct {
	// CrawlerName names the crawler. Required.
	CrawlerName *string
	// Database receives the raw table. Required.
	Database awsglue.IDatabase
	// RawBucket holds the raw events. Required. Read grants include its KMS key.
	RawBucket awss3.IBucket
	// Security encrypts the crawler's CloudWatch logs. Required.
	Security Security
	// RawPrefix is the folder crawled, ending in "/". Default: lakestorage.RawEventsPrefix ("events/").
	RawPrefix *string
	// TablePrefix starts the names of the tables the crawler creates; the role may only
	// write tables with this prefix. Default: DefaultTablePrefix ("raw_").
	TablePrefix *string
	// Exclusions are glob patterns of files to skip. Default: DefaultExclusions.
	Exclusions *[]*string
}

var (
	namePattern  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)
	tablePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
)

func (p Props) withDefaults() Props {
	if p.RawPrefix == nil {
		p.RawPrefix = jsii.String(lakestorage.RawEventsPrefix)
	}
	if p.TablePrefix == nil {
		p.TablePrefix = jsii.String(DefaultTablePrefix)
	}
	if p.Exclusions == nil {
		p.Exclusions = jsii.Strings(DefaultExclusions...)
	}
	return p
}

func (p Props) validate() error {
	var errs []error
	if err := props.Name("crawler", "CrawlerName", p.CrawlerName, namePattern, "be 1-255 letters, digits, dots, hyphens or underscores"); err != nil {
		errs = append(errs, err)
	}
	if p.Database == nil {
		errs = append(errs, errors.New("crawler: Database: required"))
	}
	if p.RawBucket == nil {
		errs = append(errs, errors.New("crawler: RawBucket: required"))
	}
	if p.Security == nil {
		errs = append(errs, errors.New("crawler: Security: required"))
	}
	if !config.FolderPattern.MatchString(*p.RawPrefix) {
		errs = append(errs, fmt.Errorf("crawler: RawPrefix: got %q, must be a folder path such as %q (no leading slash, ending in /)", *p.RawPrefix, lakestorage.RawEventsPrefix))
	}
	if !tablePattern.MatchString(*p.TablePrefix) {
		errs = append(errs, fmt.Errorf("crawler: TablePrefix: got %q, must be lower-case letters, digits and underscores starting with a letter", *p.TablePrefix))
	}
	if len(*p.Exclusions) == 0 {
		errs = append(errs, errors.New("crawler: Exclusions: got an empty list, must skip at least Spark markers and checksums (see DefaultExclusions)"))
	}
	return errors.Join(errs...)
}

// Crawler is the raw-zone crawler. It is grantable: its role is the principal.
type Crawler interface {
	constructs.Construct
	awsiam.IGrantable
	// CrawlerName is the crawler's name.
	CrawlerName() *string
	// CrawlerArn is the crawler's ARN.
	CrawlerArn() *string
	// Role is the crawler's IAM role.
	Role() awsiam.IRole
	// TableName is the raw table the crawler maintains: the table prefix plus the raw
	// folder's name ("raw_events").
	TableName() *string
	// Resource is the L1 crawler, e.g. for Glue workflow actions and conditions.
	Resource() awsglue.CfnCrawler
	// OnFailure creates an EventBridge rule matching failed runs of this crawler.
	OnFailure(id *string, options *awsevents.OnEventOptions) awsevents.Rule
}

type crawler struct {
	constructs.Construct
	resource  awsglue.CfnCrawler
	role      awsiam.Role
	tableName string
}

// configuration is the crawler's Configuration JSON.
type configuration struct {
	Version              float64       `json:"Version"`
	Grouping             grouping      `json:"Grouping"`
	CrawlerOutput        crawlerOutput `json:"CrawlerOutput"`
	CreatePartitionIndex bool          `json:"CreatePartitionIndex"`
}

type grouping struct {
	TableGroupingPolicy     string `json:"TableGroupingPolicy"`
	TableLevelConfiguration int    `json:"TableLevelConfiguration"`
}

type crawlerOutput struct {
	Partitions struct {
		AddOrUpdateBehavior string `json:"AddOrUpdateBehavior"`
	} `json:"Partitions"`
}

// New creates the crawler and its role. It panics on invalid props, which fails synth.
func New(scope constructs.Construct, id *string, props *Props) Crawler {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	c := &crawler{Construct: constructs.NewConstruct(scope, id)}
	folders := strings.Split(strings.TrimSuffix(*p.RawPrefix, "/"), "/")
	c.tableName = *p.TablePrefix + folders[len(folders)-1]

	c.role = awsiam.NewRole(c.Construct, jsii.String(RoleID), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("glue.amazonaws.com"), nil),
		Description: jsii.String("Crawls the raw clickstream events into the " + c.tableName + " table"),
	})
	p.RawBucket.GrantRead(c.role, jsii.String(*p.RawPrefix+"*"))
	p.Security.GrantWriteLogs(c.role, gluesecurity.CrawlerLogGroups)
	c.grantCatalog(p)
	c.suppressFindings(p)

	cfg := configuration{
		Version:              1.0,
		Grouping:             grouping{TableGroupingPolicy: TableGroupingPolicy, TableLevelConfiguration: TableLevel},
		CreatePartitionIndex: true,
	}
	cfg.CrawlerOutput.Partitions.AddOrUpdateBehavior = PartitionUpdateBehavior
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		panic(err)
	}

	c.resource = awsglue.NewCfnCrawler(c.Construct, jsii.String(ResourceID), &awsglue.CfnCrawlerProps{
		Name:         p.CrawlerName,
		Description:  jsii.String("Catalogs raw clickstream events (JSON lines, plain or gzip) as " + c.tableName + "; never crawls the curated zone"),
		Role:         c.role.RoleArn(),
		DatabaseName: p.Database.DatabaseName(),
		TablePrefix:  p.TablePrefix,
		Targets: &awsglue.CfnCrawler_TargetsProperty{
			S3Targets: &[]*awsglue.CfnCrawler_S3TargetProperty{{
				Path:       p.RawBucket.S3UrlForObject(p.RawPrefix),
				Exclusions: p.Exclusions,
			}},
		},
		RecrawlPolicy: &awsglue.CfnCrawler_RecrawlPolicyProperty{RecrawlBehavior: jsii.String(RecrawlBehavior)},
		SchemaChangePolicy: &awsglue.CfnCrawler_SchemaChangePolicyProperty{
			UpdateBehavior: jsii.String(SchemaChangeBehavior),
			DeleteBehavior: jsii.String(SchemaChangeBehavior),
		},
		Configuration:                jsii.String(string(cfgJSON)),
		CrawlerSecurityConfiguration: p.Security.SecurityConfigurationName(),
	})
	// CloudFormation must not create the crawler before its role's policy exists (the role
	// itself is already a dependency through its ARN).
	c.resource.Node().AddDependency(c.role.Node().FindChild(jsii.String("DefaultPolicy")))
	return c
}

// grantCatalog lets the role read the database's tables and create or update only the tables
// with its prefix (and their partitions): the curated tables stay out of its reach.
func (c *crawler) grantCatalog(p Props) {
	stack := awscdk.Stack_Of(c.Construct)
	tables := func(pattern string) *string {
		return stack.FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("glue"),
			Resource:     jsii.String("table"),
			ResourceName: jsii.String(*p.Database.DatabaseName() + "/" + pattern),
		})
	}
	catalog := stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("glue"), Resource: jsii.String("catalog"), ArnFormat: awscdk.ArnFormat_NO_RESOURCE_NAME,
	})
	c.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ReadCatalog"),
		Actions:   jsii.Strings("glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"),
		Resources: &[]*string{catalog, p.Database.DatabaseArn(), tables("*")},
	}))
	c.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("WriteRawTables"),
		Actions: jsii.Strings("glue:CreateTable", "glue:UpdateTable", "glue:CreatePartition", "glue:BatchCreatePartition",
			"glue:UpdatePartition", "glue:BatchUpdatePartition", "glue:CreatePartitionIndex"),
		Resources: &[]*string{catalog, p.Database.DatabaseArn(), tables(*p.TablePrefix + "*")},
	}))
}

// suppressFindings accepts, on the role only, the wildcards that are its scope: objects under
// the raw prefix, Glue-named log groups and tables of the database.
func (c *crawler) suppressFindings(p Props) {
	stack := awscdk.Stack_Of(c.Construct)
	logs := gluesecurity.LogGroupsArn(c.Construct, gluesecurity.CrawlerLogGroups)
	tables := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("glue"), Resource: jsii.String("table"),
		ResourceName: p.Database.DatabaseName()})
	rawReads := append(nag.BucketReadActions(), nag.Resource(c.Construct, p.RawBucket.BucketArn(), "/"+*p.RawPrefix+"*"))
	cdknag.NagSuppressions_AddResourceSuppressions(c.role, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("Bucket.grantRead's read-only action groups, limited to the raw bucket and the crawled prefix: " +
			"the crawler lists the prefix and reads every raw file below it."),
		AppliesTo: &rawReads,
	}, {
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("Glue names the crawler's encrypted log groups after the role and the security configuration " +
			"(/aws-glue/crawlers-role/<role>-<configuration>); the grant is limited to crawler log groups of this account and region."),
		AppliesTo: &[]any{nag.Resource(c.Construct, logs, "")},
	}, {
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("Read-only lookups (GetTable/GetTables/GetPartitions) of the tables of this one database; " +
			"writes are limited to tables named with the crawler's table prefix, so the curated tables cannot be changed."),
		AppliesTo: &[]any{
			nag.Resource(c.Construct, tables, "/*"),
			nag.Resource(c.Construct, tables, "/"+*p.TablePrefix+"*"),
		},
	}}, jsii.Bool(true))
}

func (c *crawler) CrawlerName() *string { return c.resource.Ref() }

func (c *crawler) CrawlerArn() *string {
	return awscdk.Stack_Of(c.Construct).FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("glue"),
		Resource:     jsii.String("crawler"),
		ResourceName: c.resource.Ref(),
	})
}

func (c *crawler) Role() awsiam.IRole                { return c.role }
func (c *crawler) GrantPrincipal() awsiam.IPrincipal { return c.role }
func (c *crawler) TableName() *string                { return jsii.String(c.tableName) }
func (c *crawler) Resource() awsglue.CfnCrawler      { return c.resource }

func (c *crawler) OnFailure(id *string, options *awsevents.OnEventOptions) awsevents.Rule {
	o := awsevents.OnEventOptions{}
	if options != nil {
		o = *options
	}
	if o.Description == nil {
		o.Description = jsii.String("Glue crawler " + *c.resource.Name() + " failed")
	}
	rule := awsevents.NewRule(c.Construct, id, &awsevents.RuleProps{
		Description: o.Description,
		RuleName:    o.RuleName,
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings("aws.glue"),
			DetailType: jsii.Strings("Glue Crawler State Change"),
			Detail: &map[string]any{
				"crawlerName": []any{c.resource.Ref()},
				"state":       []any{"Failed"},
			},
		},
	})
	if o.Target != nil {
		rule.AddTarget(o.Target)
	}
	return rule
}
