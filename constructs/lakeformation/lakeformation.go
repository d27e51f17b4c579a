// Package lakeformation puts the lake under AWS Lake Formation: it registers the lake's S3
// locations with a data-access role of its own (not Lake Formation's service-linked role) and
// grants Lake Formation permissions on the Data Catalog with native
// AWS::LakeFormation::PrincipalPermissions resources, one per principal and resource.
//
// In an account whose Data Catalog is governed by Lake Formation (no IAM_ALLOWED_PRINCIPALS
// defaults), a principal needs both its IAM policy and these grants; in an account that keeps
// the IAM-only defaults the grants are additive and change nothing. Consumers take this
// construct through small interfaces of their own (catalog.LakeFormation).
package lakeformation

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslakeformation"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/clickstream-analytics/datalake/internal/nag"
)

// Props configures the Lake Formation setup.
type Props struct {
	// Locations are the buckets registered with Lake Formation, each as a whole
	// (arn:aws:s3:::<bucket>). Required, at least one. The data-access role may list them,
	// read, write and delete their objects, and use their KMS keys (IBucket.EncryptionKey(),
	// so an imported bucket must be imported with its key).
	Locations []awss3.IBucket
}

func (p Props) validate() error {
	var errs []error
	if len(p.Locations) == 0 {
		errs = append(errs, errors.New("lakeformation: Locations: got none, must name at least one bucket to register"))
	}
	for i, b := range p.Locations {
		if b == nil {
			errs = append(errs, fmt.Errorf("lakeformation: Locations[%d]: got nil, must be a bucket", i))
		}
	}
	return errors.Join(errs...)
}

// LakeFormation registers the lake's locations and grants Lake Formation permissions.
//
// Every grant is to the IAM role or user behind the grantee (its ARN is the Lake Formation
// principal); other principals panic. Granting the same principal more permissions on the same
// resource widens its one grant instead of adding a second: two PrincipalPermissions on one
// principal-resource pair would revoke each other's permissions when one of them is removed.
type LakeFormation interface {
	constructs.Construct
	// DataAccessRole is the role Lake Formation assumes to vend temporary credentials for the
	// registered locations.
	DataAccessRole() awsiam.IRole
	// Registration is the AWS::LakeFormation::Resource of a bucket of Props.Locations; it
	// panics for any other bucket.
	Registration(bucket awss3.IBucket) awslakeformation.CfnResource
	// GrantDatabase grants permissions on a database.
	GrantDatabase(grantee awsiam.IGrantable, database awsglue.IDatabase, permissions ...string) awslakeformation.CfnPrincipalPermissions
	// GrantTable grants permissions on one table of database, by name (never a wildcard).
	GrantTable(grantee awsiam.IGrantable, database awsglue.IDatabase, table awsglue.ITable, permissions ...string) awslakeformation.CfnPrincipalPermissions
	// GrantDataLocation grants DATA_LOCATION_ACCESS on a registered bucket: the grantee may
	// create or alter catalog tables that point into it.
	GrantDataLocation(grantee awsiam.IGrantable, location awss3.IBucket) awslakeformation.CfnPrincipalPermissions
	// GrantDataAccess allows grantee lakeformation:GetDataAccess in IAM, which Athena (and
	// QuickSight through it) calls for credentials to a registered location.
	GrantDataAccess(grantee awsiam.IGrantable) awsiam.Grant
	// GrantRead lets grantee query tables of database: DESCRIBE on the database, SELECT and
	// DESCRIBE on each table, named one by one, and GetDataAccess. The returned grant is the
	// IAM part.
	GrantRead(grantee awsiam.IGrantable, database awsglue.IDatabase, tables []awsglue.ITable) awsiam.Grant
	// GrantCreateTables lets a crawler create tables in database that point into location:
	// CREATE_TABLE and DESCRIBE on the database and DATA_LOCATION_ACCESS on the location. Lake
	// Formation gives a table's creator every permission on it, which covers the crawler's
	// later updates of its own tables.
	GrantCreateTables(grantee awsiam.IGrantable, database awsglue.IDatabase, location awss3.IBucket) []awslakeformation.CfnPrincipalPermissions
}

type lakeFormation struct {
	constructs.Construct
	role          awsiam.Role
	registrations map[string]awslakeformation.CfnResource // by bucket path
	grants        map[string]*principalGrant              // by principal path and grant ID
	scopes        map[string]principalScope               // by principal scope ID
}

// principalScope holds a principal's grants.
type principalScope struct {
	path  string
	scope constructs.Construct
}

// principalGrant is the one PrincipalPermissions of a principal-resource pair.
type principalGrant struct {
	resource    awslakeformation.CfnPrincipalPermissions
	permissions []string
}

// New creates the data-access role and registers every location. It panics on invalid props.
func New(scope constructs.Construct, id *string, props *Props) LakeFormation {
	if props == nil {
		props = &Props{}
	}
	p := *props
	if err := p.validate(); err != nil {
		panic(err)
	}
	l := &lakeFormation{
		Construct:     constructs.NewConstruct(scope, id),
		registrations: map[string]awslakeformation.CfnResource{},
		grants:        map[string]*principalGrant{},
		scopes:        map[string]principalScope{},
	}
	l.role = awsiam.NewRole(l.Construct, jsii.String(DataAccessRoleID), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String(LakeFormationServicePrincipal), nil),
		Description: jsii.String("Lake Formation data access: vends credentials for the lake's registered buckets"),
		// Inline, so the role and its permissions exist together before any registration uses them.
		InlinePolicies: &map[string]awsiam.PolicyDocument{"Locations": locationsPolicy(p.Locations)},
	})
	for _, bucket := range p.Locations {
		reg := awslakeformation.NewCfnResource(l.Construct, jsii.String(LocationIDPrefix+logicalID(bucket)), &awslakeformation.CfnResourceProps{
			ResourceArn:          bucket.BucketArn(),
			UseServiceLinkedRole: jsii.Bool(false),
			RoleArn:              l.role.RoleArn(),
		})
		l.registrations[*bucket.Node().Path()] = reg
	}
	l.suppressFindings(p.Locations)
	return l
}

// locationsPolicy is what Lake Formation's registration role needs (Lake Formation developer
// guide, "Requirements for roles used to register locations"): list each bucket; read, write
// and delete its objects; decrypt and generate data keys with its KMS key (SSE-KMS reads and
// writes). Nothing else.
func locationsPolicy(buckets []awss3.IBucket) awsiam.PolicyDocument {
	var bucketArns, objectArns, keyArns []*string
	seenKeys := map[string]bool{}
	for _, b := range buckets {
		bucketArns = append(bucketArns, b.BucketArn())
		objectArns = append(objectArns, b.ArnForObjects(jsii.String("*")))
		if k := b.EncryptionKey(); k != nil && !seenKeys[*k.Node().Path()] {
			seenKeys[*k.Node().Path()] = true
			keyArns = append(keyArns, k.KeyArn())
		}
	}
	statements := []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("ListLocations"), Actions: jsii.Strings("s3:ListBucket"), Resources: &bucketArns,
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("ReadWriteLocations"),
			Actions:   jsii.Strings(LocationObjectActions...),
			Resources: &objectArns,
		}),
	}
	if len(keyArns) > 0 {
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("UseLocationKeys"), Actions: jsii.Strings(LocationKeyActions...), Resources: &keyArns,
		}))
	}
	return awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &statements})
}

// suppressFindings accepts, on the data-access role only, its object wildcards: Lake
// Formation vends credentials for any object of a registered location.
func (l *lakeFormation) suppressFindings(buckets []awss3.IBucket) {
	var objects []any
	for _, b := range buckets {
		objects = append(objects, nag.Resource(l.Construct, b.BucketArn(), "/*"))
	}
	cdknag.NagSuppressions_AddResourceSuppressions(l.role, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("The objects of each bucket registered with Lake Formation: it assumes this role to vend " +
			"credentials, scoped down to the table being read, for any object of a registered location."),
		AppliesTo: &objects,
	}}, jsii.Bool(true))
}

func (l *lakeFormation) DataAccessRole() awsiam.IRole { return l.role }

func (l *lakeFormation) Registration(bucket awss3.IBucket) awslakeformation.CfnResource {
	reg, ok := l.registrations[*bucket.Node().Path()]
	if !ok {
		panic(fmt.Sprintf("lakeformation: bucket %s is not a registered location (Props.Locations)", *bucket.Node().Path()))
	}
	return reg
}

func (l *lakeFormation) catalogID() *string { return awscdk.Stack_Of(l.Construct).Account() }

func (l *lakeFormation) GrantDatabase(grantee awsiam.IGrantable, database awsglue.IDatabase, permissions ...string) awslakeformation.CfnPrincipalPermissions {
	return l.grant(grantee, DatabaseGrantPrefix+logicalID(database), nil, &awslakeformation.CfnPrincipalPermissions_ResourceProperty{
		Database: &awslakeformation.CfnPrincipalPermissions_DatabaseResourceProperty{
			CatalogId: l.catalogID(),
			Name:      database.DatabaseName(),
		},
	}, permissions)
}

func (l *lakeFormation) GrantTable(grantee awsiam.IGrantable, database awsglue.IDatabase, table awsglue.ITable, permissions ...string) awslakeformation.CfnPrincipalPermissions {
	return l.grant(grantee, TableGrantPrefix+logicalID(table), nil, &awslakeformation.CfnPrincipalPermissions_ResourceProperty{
		Table: &awslakeformation.CfnPrincipalPermissions_TableResourceProperty{
			CatalogId:    l.catalogID(),
			DatabaseName: database.DatabaseName(),
			Name:         table.TableName(),
		},
	}, permissions)
}

func (l *lakeFormation) GrantDataLocation(grantee awsiam.IGrantable, location awss3.IBucket) awslakeformation.CfnPrincipalPermissions {
	// A data location permission exists only on a registered location.
	registration := l.Registration(location)
	return l.grant(grantee, LocationGrantPrefix+logicalID(location), registration, &awslakeformation.CfnPrincipalPermissions_ResourceProperty{
		DataLocation: &awslakeformation.CfnPrincipalPermissions_DataLocationResourceProperty{
			CatalogId:   l.catalogID(),
			ResourceArn: location.BucketArn(),
		},
	}, []string{DataLocationAccess})
}

func (l *lakeFormation) GrantDataAccess(grantee awsiam.IGrantable) awsiam.Grant {
	_, principal := principalOf(grantee) // panics before any change for a principal Lake Formation cannot grant
	grant := awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(DataAccessAction),
		ResourceArns: jsii.Strings("*"),
	})
	target := principal
	if policy := defaultPolicy(principal); policy != nil {
		target = policy
	}
	cdknag.NagSuppressions_AddResourceSuppressions(target, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("lakeformation:GetDataAccess supports no resource-level permissions (Resource \"*\" is the only form); " +
			"what it may read is decided by this principal's Lake Formation grants, each on a named table."),
		AppliesTo: &[]any{"Resource::*"},
	}}, jsii.Bool(true))
	return grant
}

func (l *lakeFormation) GrantRead(grantee awsiam.IGrantable, database awsglue.IDatabase, tables []awsglue.ITable) awsiam.Grant {
	// The IAM part first: it creates the principal's default policy, which the grants below
	// then order themselves before.
	grant := l.GrantDataAccess(grantee)
	l.GrantDatabase(grantee, database, ReadDatabasePermissions...)
	for _, t := range tables {
		l.GrantTable(grantee, database, t, ReadTablePermissions...)
	}
	return grant
}

func (l *lakeFormation) GrantCreateTables(grantee awsiam.IGrantable, database awsglue.IDatabase, location awss3.IBucket) []awslakeformation.CfnPrincipalPermissions {
	return []awslakeformation.CfnPrincipalPermissions{
		l.GrantDatabase(grantee, database, CreateTablesPermissions...),
		l.GrantDataLocation(grantee, location),
	}
}

// grant creates, or widens, the one PrincipalPermissions of the grantee on a resource. The
// resource's names are references, which order the grant after the database or table; after
// orders it after what no reference names (a location's registration). The principal's default
// policy depends on the grant, so whatever waits for the principal's IAM grants (a QuickSight
// data source, a crawler) also waits for its Lake Formation grants.
func (l *lakeFormation) grant(grantee awsiam.IGrantable, id string, after constructs.IConstruct,
	resource *awslakeformation.CfnPrincipalPermissions_ResourceProperty, permissions []string) awslakeformation.CfnPrincipalPermissions {
	if len(permissions) == 0 {
		panic(fmt.Sprintf("lakeformation: grant %s: got no permissions, must grant at least one", id))
	}
	arn, principal := principalOf(grantee)
	path := *principal.Node().Path()
	key := path + "|" + id
	g, ok := l.grants[key]
	if !ok {
		scope := l.principalScope(principal)
		g = &principalGrant{}
		g.resource = awslakeformation.NewCfnPrincipalPermissions(scope, jsii.String(id), &awslakeformation.CfnPrincipalPermissionsProps{
			Principal: &awslakeformation.CfnPrincipalPermissions_DataLakePrincipalProperty{DataLakePrincipalIdentifier: arn},
			Resource:  resource,
			// Never grantable: principals of this stack only use what they are given.
			PermissionsWithGrantOption: &[]*string{},
			Permissions:                &[]*string{},
		})
		if after != nil {
			g.resource.Node().AddDependency(after)
		}
		if policy := defaultPolicy(principal); policy != nil {
			policy.Node().AddDependency(g.resource)
		}
		l.grants[key] = g
	}
	for _, perm := range permissions {
		if !slices.Contains(g.permissions, perm) {
			g.permissions = append(g.permissions, perm)
		}
	}
	sort.Strings(g.permissions)
	g.resource.SetPermissions(jsii.Strings(g.permissions...))
	return g.resource
}

// principalScope is the construct holding a principal's grants, named after its logical ID.
func (l *lakeFormation) principalScope(principal constructs.IConstruct) constructs.Construct {
	id, path := logicalID(principal), *principal.Node().Path()
	if s, ok := l.scopes[id]; ok {
		if s.path != path {
			panic(fmt.Sprintf("lakeformation: principals %s and %s have the same ID %s", s.path, path, id))
		}
		return s.scope
	}
	s := principalScope{path: path, scope: constructs.NewConstruct(l.Construct, jsii.String(id))}
	l.scopes[id] = s
	return s.scope
}

// principalOf returns the Lake Formation principal of a grantee: the ARN of its IAM role or
// user, and that construct.
func principalOf(grantee awsiam.IGrantable) (*string, constructs.IConstruct) {
	switch p := grantee.GrantPrincipal().(type) {
	case awsiam.IRole:
		return p.RoleArn(), p
	case awsiam.IUser:
		return p.UserArn(), p
	}
	panic(fmt.Sprintf("lakeformation: grantee %T: Lake Formation grants need an IAM role or user as principal", grantee.GrantPrincipal()))
}

// defaultPolicy is the policy CDK's grants add a role's or user's statements to, or nil.
func defaultPolicy(principal constructs.IConstruct) constructs.IConstruct {
	return principal.Node().TryFindChild(jsii.String("DefaultPolicy"))
}

// logicalID names grants and registrations after what they are on: the logical ID of the
// construct's CloudFormation resource, stable for as long as that resource is (a replaced role
// or table needs new grants anyway), else a unique ID from its path.
func logicalID(c constructs.IConstruct) string {
	cfn, ok := c.(awscdk.CfnElement)
	if !ok {
		cfn, ok = c.Node().DefaultChild().(awscdk.CfnElement)
	}
	if ok && cfn != nil {
		stack := awscdk.Stack_Of(c)
		if id, ok := stack.Resolve(stack.GetLogicalId(cfn)).(string); ok {
			return id
		}
	}
	return *awscdk.Names_UniqueId(c)
}
