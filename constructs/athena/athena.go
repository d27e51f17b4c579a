// Package athena provides the governed Athena workgroup of the lake and its library of
// saved (named) queries. The workgroup enforces its own settings on every query: engine
// version 3, results in the results bucket encrypted with the lake key, a per-query
// bytes-scanned cutoff and CloudWatch metrics. Results expire through the results bucket's
// lifecycle rule (lakestorage), so the workgroup does not duplicate it.
package athena

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsathena"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/internal/props"
	"github.com/clickstream-analytics/datalake/sql"
)

// Catalog is what the workgroup needs of the Data Catalog (catalog.Catalog satisfies it):
// the database the named queries run in and read access to its tables and their data.
type Catalog interface {
	DatabaseName() *string
	GrantRead(grantee awsiam.IGrantable) awsiam.Grant
}

// Props configures the workgroup.
type Props struct {
	// WorkGroupName is the Athena workgroup name: 1-128 letters, digits, '.', '_' or '-'. Required.
	WorkGroupName *string
	// ResultsBucket receives query results; its lifecycle rule expires them. Required.
	ResultsBucket awss3.IBucket
	// EncryptionKey encrypts query results (SSE-KMS). Required.
	EncryptionKey awskms.IKey
	// Catalog is the database the named queries run in. Required.
	Catalog Catalog
	// BytesScannedCutoff cancels any query scanning more bytes; within config.BytesScannedCutoff
	// (at least 10 MB). Default: config.DefaultBytesScannedCutoff (10 GiB).
	BytesScannedCutoff *int64
	// NamedQueries are saved in the workgroup and database.
	// Default: - every query in sql/athena (sql.Athena()).
	NamedQueries *[]sql.Query
	// RemovalPolicy of the workgroup. DESTROY also deletes its query history and named
	// queries (RecursiveDeleteOption). Default: props.DefaultRemovalPolicy (RETAIN_ON_UPDATE_OR_DELETE: kept on
	// update and deletion, removed when its own creation fails).
	RemovalPolicy awscdk.RemovalPolicy
}

var workGroupNamePattern = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,128}$`)

// withDefaults returns a copy of p with every unset field defaulted; p is not modified.
func (p Props) withDefaults() Props {
	if p.BytesScannedCutoff == nil {
		cutoff := config.DefaultBytesScannedCutoff
		p.BytesScannedCutoff = &cutoff
	}
	if p.NamedQueries == nil {
		queries := sql.Athena()
		p.NamedQueries = &queries
	}
	p.RemovalPolicy = props.RemovalPolicyOr(p.RemovalPolicy)
	return p
}

// validate checks defaulted props and reports every problem at once.
func (p Props) validate() error {
	var errs []error
	if err := props.Name("athena", "WorkGroupName", p.WorkGroupName, workGroupNamePattern, "be 1-128 letters, digits, '.', '_' or '-'"); err != nil {
		errs = append(errs, err)
	}
	if p.ResultsBucket == nil {
		errs = append(errs, errors.New("athena: ResultsBucket: required"))
	}
	if p.EncryptionKey == nil {
		errs = append(errs, errors.New("athena: EncryptionKey: required, query results are encrypted with SSE-KMS"))
	}
	if p.Catalog == nil {
		errs = append(errs, errors.New("athena: Catalog: required"))
	}
	if msg := config.BytesScannedCutoff.Check(*p.BytesScannedCutoff); msg != "" {
		errs = append(errs, fmt.Errorf("athena: BytesScannedCutoff: %s", msg))
	}
	seen := map[string]bool{}
	for i, q := range *p.NamedQueries {
		switch {
		case q.Name == "" || strings.TrimSpace(q.SQL) == "":
			errs = append(errs, fmt.Errorf("athena: NamedQueries[%d]: got name %q with %d bytes of SQL, must have a name and SQL", i, q.Name, len(q.SQL)))
		case seen[q.Name]:
			errs = append(errs, fmt.Errorf("athena: NamedQueries[%d]: got duplicate name %q, names must be unique", i, q.Name))
		case len(q.Description) > 1024:
			errs = append(errs, fmt.Errorf("athena: NamedQueries[%d] (%s): got a %d-character description, must be at most 1024", i, q.Name, len(q.Description)))
		}
		seen[q.Name] = true
	}
	errs = append(errs, props.RetainOrDestroy("athena", p.RemovalPolicy))
	return errors.Join(errs...)
}

// WorkGroup is the lake's governed Athena workgroup with its named queries.
type WorkGroup interface {
	constructs.Construct
	// WorkGroupName is the Athena workgroup name.
	WorkGroupName() *string
	// WorkGroupArn is the workgroup's ARN.
	WorkGroupArn() *string
	// ResultsBucket holds the workgroup's encrypted query results.
	ResultsBucket() awss3.IBucket
	// NamedQueries are the saved queries, in the order of Props.NamedQueries.
	NamedQueries() []awsathena.CfnNamedQuery
	// GrantQuery lets grantee run queries in this workgroup: Athena on this workgroup only,
	// Glue and S3 read on the catalog's tables, read/write on the results bucket, and the KMS
	// key of both.
	GrantQuery(grantee awsiam.IGrantable) awsiam.Grant
}

type workGroup struct {
	constructs.Construct
	resource awsathena.CfnWorkGroup
	arn      *string
	results  awss3.IBucket
	key      awskms.IKey
	catalog  Catalog
	queries  []awsathena.CfnNamedQuery
}

// New creates the workgroup and its named queries. It panics on invalid props, which fails synth.
func New(scope constructs.Construct, id *string, props *Props) WorkGroup {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	w := &workGroup{
		Construct: constructs.NewConstruct(scope, id),
		results:   p.ResultsBucket,
		key:       p.EncryptionKey,
		catalog:   p.Catalog,
	}
	destroy := p.RemovalPolicy == awscdk.RemovalPolicy_DESTROY
	w.resource = awsathena.NewCfnWorkGroup(w.Construct, jsii.String(WorkGroupID), &awsathena.CfnWorkGroupProps{
		Name:        p.WorkGroupName,
		Description: jsii.String("Clickstream analytics: governed workgroup for the curated tables"),
		State:       jsii.String("ENABLED"),
		// Lets CloudFormation delete a workgroup that holds queries, where data may be destroyed.
		RecursiveDeleteOption: jsii.Bool(destroy),
		WorkGroupConfiguration: &awsathena.CfnWorkGroup_WorkGroupConfigurationProperty{
			EnforceWorkGroupConfiguration:   jsii.Bool(true),
			PublishCloudWatchMetricsEnabled: jsii.Bool(true),
			BytesScannedCutoffPerQuery:      jsii.Number(float64(*p.BytesScannedCutoff)),
			EngineVersion: &awsathena.CfnWorkGroup_EngineVersionProperty{
				SelectedEngineVersion: jsii.String(EngineVersion),
			},
			ResultConfiguration: &awsathena.CfnWorkGroup_ResultConfigurationProperty{
				OutputLocation: jsii.String("s3://" + *p.ResultsBucket.BucketName() + "/"),
				// Results land only in this account's bucket, even if the name were taken over.
				ExpectedBucketOwner: awscdk.Stack_Of(w.Construct).Account(),
				EncryptionConfiguration: &awsathena.CfnWorkGroup_EncryptionConfigurationProperty{
					EncryptionOption: jsii.String(ResultsEncryption),
					KmsKey:           p.EncryptionKey.KeyArn(),
				},
			},
		},
	})
	w.resource.ApplyRemovalPolicy(p.RemovalPolicy, nil)
	w.arn = awscdk.Stack_Of(w.Construct).FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("athena"),
		Resource:     jsii.String("workgroup"),
		ResourceName: p.WorkGroupName,
	})
	for _, q := range *p.NamedQueries {
		nq := awsathena.NewCfnNamedQuery(w.Construct, jsii.String(namedQueryID(q.Name)), &awsathena.CfnNamedQueryProps{
			Name:        jsii.String(q.Name),
			Description: jsii.String(q.Description),
			Database:    p.Catalog.DatabaseName(),
			QueryString: jsii.String(q.SQL),
			WorkGroup:   w.resource.Ref(),
		})
		w.queries = append(w.queries, nq)
	}
	return w
}

func (w *workGroup) WorkGroupName() *string                  { return w.resource.Ref() }
func (w *workGroup) WorkGroupArn() *string                   { return w.arn }
func (w *workGroup) ResultsBucket() awss3.IBucket            { return w.results }
func (w *workGroup) NamedQueries() []awsathena.CfnNamedQuery { return w.queries }

// queryActions run and read queries; they apply to the workgroup ARN only.
var queryActions = []string{
	"athena:StartQueryExecution",
	"athena:StopQueryExecution",
	"athena:GetQueryExecution",
	"athena:GetQueryResults",
	"athena:GetQueryResultsStream",
	"athena:BatchGetQueryExecution",
	"athena:ListQueryExecutions",
	"athena:GetWorkGroup",
	"athena:GetNamedQuery",
	"athena:BatchGetNamedQuery",
	"athena:ListNamedQueries",
}

func (w *workGroup) GrantQuery(grantee awsiam.IGrantable) awsiam.Grant {
	grant := awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(queryActions...),
		ResourceArns: jsii.Strings(*w.arn),
	})
	grant = grant.Combine(w.catalog.GrantRead(grantee))
	grant = grant.Combine(w.results.GrantReadWrite(grantee, jsii.String("*")))
	// A bucket grant covers the key only when the bucket knows it (not for imported buckets).
	if w.results.EncryptionKey() == nil {
		grant = grant.Combine(w.key.GrantEncryptDecrypt(grantee))
	}
	return grant
}

// namedQueryID is the construct ID of a named query: NamedQueryIDPrefix + its name in PascalCase.
func namedQueryID(name string) string { return NamedQueryIDPrefix + props.ConstructID(name) }
