package lakeformation

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/internal/constructtest"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

// One stack for the package: two buckets under one key, a database with two tables, a reader
// (role), a crawler (role), an analyst (user) and a reader granted twice.
var (
	stack                      awscdk.Stack
	lf                         LakeFormation
	raw, curated, other        awss3.Bucket
	db                         awsglue.Database
	tables                     []awsglue.ITable
	reader, crawlerRole, twice awsiam.Role
	analyst                    awsiam.User
	template                   map[string]any
)

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)
	stack = awscdk.NewStack(app, jsii.String("Lake"), nil)
	awscdk.Aspects_Of(stack).Add(nag.Checks(), nil)
	key := awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
	bucket := func(id string) awss3.Bucket {
		return awss3.NewBucket(stack, jsii.String(id), &awss3.BucketProps{
			Encryption: awss3.BucketEncryption_KMS, EncryptionKey: key, EnforceSSL: jsii.Bool(true),
			BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(), ServerAccessLogsPrefix: jsii.String("logs/"),
		})
	}
	raw, curated, other = bucket("Raw"), bucket("Curated"), bucket("Other")
	lf = New(stack, jsii.String("LakeFormation"), &Props{Locations: []awss3.IBucket{raw, curated}})

	db = awsglue.NewDatabase(stack, jsii.String("Database"), &awsglue.DatabaseProps{DatabaseName: jsii.String("shop_live")})
	for _, name := range []string{"events", "sessions"} {
		tables = append(tables, awsglue.NewS3Table(stack, jsii.String(strings.ToUpper(name[:1])+name[1:]), &awsglue.S3TableProps{
			Database: db, TableName: jsii.String(name), Storage: awsglue.S3TableStorage_FromBucket(curated), S3Prefix: jsii.String(name + "/"),
			DataFormat: awsglue.DataFormat_PARQUET(),
			Columns:    &[]*awsglue.Column{{Name: jsii.String("id"), Type: awsglue.Schema_STRING()}},
		}))
	}
	role := func(id, service string) awsiam.Role {
		return awsiam.NewRole(stack, jsii.String(id), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String(service), nil)})
	}
	reader, crawlerRole, twice = role("Reader", "quicksight.amazonaws.com"), role("Crawler", "glue.amazonaws.com"), role("Twice", "athena.amazonaws.com")
	analyst = awsiam.NewUser(stack, jsii.String("Analyst"), nil)

	lf.GrantRead(reader, db, tables)
	// As the crawler construct does: its S3 read first, so it has a default policy.
	raw.GrantRead(crawlerRole, jsii.String("events/*"))
	lf.GrantCreateTables(crawlerRole, db, raw)
	lf.GrantRead(analyst, db, tables[:1])
	lf.GrantRead(twice, db, tables)
	lf.GrantRead(twice, db, tables)
	lf.GrantDatabase(twice, db, CreateTable)

	template = *assertions.Template_FromStack(stack, nil).ToJSON()
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

type resource struct {
	ID         string
	Properties map[string]any
	DependsOn  []string
}

func resources(typ string) []resource {
	var out []resource
	for id, raw := range template["Resources"].(map[string]any) {
		r := raw.(map[string]any)
		if r["Type"] != typ {
			continue
		}
		res := resource{ID: id}
		res.Properties, _ = r["Properties"].(map[string]any)
		deps, _ := r["DependsOn"].([]any)
		for _, d := range deps {
			res.DependsOn = append(res.DependsOn, d.(string))
		}
		out = append(out, res)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// logicalIDOf resolves the logical ID of a construct's CloudFormation resource.
func logicalIDOf(t *testing.T, c constructs.IConstruct) string {
	t.Helper()
	return logicalID(c)
}

func getAtt(id string) map[string]any { return map[string]any{"Fn::GetAtt": []any{id, "Arn"}} }

func asJSON(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

// grants returns the PrincipalPermissions of a principal (by logical ID), keyed by the JSON of
// their Resource, with their sorted permissions.
func grants(principalID string) map[string][]any {
	out := map[string][]any{}
	for _, r := range resources("AWS::LakeFormation::PrincipalPermissions") {
		if asJSON(r.Properties["Principal"]) != asJSON(map[string]any{"DataLakePrincipalIdentifier": getAtt(principalID)}) {
			continue
		}
		out[asJSON(r.Properties["Resource"])] = r.Properties["Permissions"].([]any)
	}
	return out
}

func databaseResource(t *testing.T) string {
	return asJSON(map[string]any{"Database": map[string]any{
		"CatalogId": map[string]any{"Ref": "AWS::AccountId"}, "Name": map[string]any{"Ref": logicalIDOf(t, db)},
	}})
}

func tableResource(t *testing.T, table awsglue.ITable) string {
	return asJSON(map[string]any{"Table": map[string]any{
		"CatalogId":    map[string]any{"Ref": "AWS::AccountId"},
		"DatabaseName": map[string]any{"Ref": logicalIDOf(t, db)},
		"Name":         map[string]any{"Ref": logicalIDOf(t, table)},
	}})
}

func locationResource(t *testing.T, bucket awss3.IBucket) string {
	return asJSON(map[string]any{"DataLocation": map[string]any{
		"CatalogId": map[string]any{"Ref": "AWS::AccountId"}, "ResourceArn": getAtt(logicalIDOf(t, bucket)),
	}})
}

func TestDataAccessRole(t *testing.T) {
	roleID := logicalIDOf(t, lf.DataAccessRole())
	var role map[string]any
	for _, r := range resources("AWS::IAM::Role") {
		if r.ID == roleID {
			role = r.Properties
		}
	}
	t.Run("is assumed by Lake Formation only", func(t *testing.T) {
		got := asJSON(role["AssumeRolePolicyDocument"].(map[string]any)["Statement"])
		want := asJSON([]any{map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow",
			"Principal": map[string]any{"Service": LakeFormationServicePrincipal}}})
		if got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
	t.Run("may list, read, write and delete exactly the registered buckets and use their key", func(t *testing.T) {
		objects := func(b awss3.IBucket) map[string]any {
			return map[string]any{"Fn::Join": []any{"", []any{getAtt(logicalIDOf(t, b)), "/*"}}}
		}
		want := []any{
			map[string]any{"Sid": "ListLocations", "Action": "s3:ListBucket", "Effect": "Allow",
				"Resource": []any{getAtt(logicalIDOf(t, raw)), getAtt(logicalIDOf(t, curated))}},
			map[string]any{"Sid": "ReadWriteLocations", "Action": []any{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, "Effect": "Allow",
				"Resource": []any{objects(raw), objects(curated)}},
			map[string]any{"Sid": "UseLocationKeys", "Action": []any{"kms:Decrypt", "kms:GenerateDataKey"}, "Effect": "Allow",
				"Resource": getAtt(logicalIDOf(t, raw.EncryptionKey()))},
		}
		policies := role["Policies"].([]any)
		if len(policies) != 1 {
			t.Fatalf("got %d inline policies, want 1", len(policies))
		}
		got := policies[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"]
		if asJSON(got) != asJSON(want) {
			t.Fatalf("got %s\nwant %s", asJSON(got), asJSON(want))
		}
	})
	t.Run("has no managed or attached policy", func(t *testing.T) {
		if role["ManagedPolicyArns"] != nil {
			t.Fatal(role["ManagedPolicyArns"])
		}
		for _, p := range resources("AWS::IAM::Policy") {
			if strings.Contains(asJSON(p.Properties["Roles"]), roleID) {
				t.Fatalf("%s is attached to the data-access role", p.ID)
			}
		}
	})
}

func TestRegistrations(t *testing.T) {
	regs := resources("AWS::LakeFormation::Resource")
	t.Run("each location is registered with the data-access role, not the service-linked role", func(t *testing.T) {
		var got []string
		for _, r := range regs {
			if r.Properties["UseServiceLinkedRole"] != false || asJSON(r.Properties["RoleArn"]) != asJSON(getAtt(logicalIDOf(t, lf.DataAccessRole()))) {
				t.Errorf("%s: %v", r.ID, r.Properties)
			}
			got = append(got, asJSON(r.Properties["ResourceArn"]))
		}
		want := []string{asJSON(getAtt(logicalIDOf(t, curated))), asJSON(getAtt(logicalIDOf(t, raw)))}
		sort.Strings(got)
		sort.Strings(want)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("registered %v, want %v", got, want)
		}
	})
	t.Run("Registration returns a location's registration and panics for any other bucket", func(t *testing.T) {
		if lf.Registration(raw) == nil {
			t.Fatal("no registration of the raw bucket")
		}
		constructtest.Panics(t, "lakeformation: bucket Lake/Other is not a registered location", func() { lf.Registration(other) })
	})
}

func TestGrantRead(t *testing.T) {
	readerID := logicalIDOf(t, reader)
	t.Run("DESCRIBE on the database, SELECT and DESCRIBE on each table by name", func(t *testing.T) {
		want := map[string][]any{databaseResource(t): {"DESCRIBE"}}
		for _, table := range tables {
			want[tableResource(t, table)] = []any{"DESCRIBE", "SELECT"}
		}
		if got := grants(readerID); !reflect.DeepEqual(got, want) {
			t.Fatalf("got %v\nwant %v", got, want)
		}
	})
	t.Run("no grant is a table wildcard or grantable", func(t *testing.T) {
		for _, r := range resources("AWS::LakeFormation::PrincipalPermissions") {
			if strings.Contains(asJSON(r.Properties), "TableWildcard") {
				t.Errorf("%s uses a table wildcard", r.ID)
			}
			if asJSON(r.Properties["PermissionsWithGrantOption"]) != "[]" {
				t.Errorf("%s: PermissionsWithGrantOption %v", r.ID, r.Properties["PermissionsWithGrantOption"])
			}
		}
	})
	t.Run("allows lakeformation:GetDataAccess, which has no resource-level permissions", func(t *testing.T) {
		policy := defaultPolicyOf(t, reader)
		want := asJSON(map[string]any{"Action": DataAccessAction, "Effect": "Allow", "Resource": "*"})
		if !strings.Contains(asJSON(policy.Properties["PolicyDocument"]), want) {
			t.Fatalf("no %s in %s", want, asJSON(policy.Properties["PolicyDocument"]))
		}
	})
	t.Run("the reader's policy waits for its grants", func(t *testing.T) {
		policy := defaultPolicyOf(t, reader)
		if n := countGrants(policy.DependsOn); n != 1+len(tables) {
			t.Fatalf("depends on %d grants (%v), want %d", n, policy.DependsOn, 1+len(tables))
		}
	})
	t.Run("an IAM user is a principal too", func(t *testing.T) {
		want := map[string][]any{databaseResource(t): {"DESCRIBE"}, tableResource(t, tables[0]): {"DESCRIBE", "SELECT"}}
		if got := grants(logicalIDOf(t, analyst)); !reflect.DeepEqual(got, want) {
			t.Fatalf("got %v\nwant %v", got, want)
		}
	})
	t.Run("granting again widens the one grant of a principal and resource", func(t *testing.T) {
		want := map[string][]any{databaseResource(t): {"CREATE_TABLE", "DESCRIBE"}}
		for _, table := range tables {
			want[tableResource(t, table)] = []any{"DESCRIBE", "SELECT"}
		}
		if got := grants(logicalIDOf(t, twice)); !reflect.DeepEqual(got, want) {
			t.Fatalf("got %v\nwant %v", got, want)
		}
	})
	t.Run("a principal that is not a role or user panics", func(t *testing.T) {
		constructtest.Panics(t, "Lake Formation grants need an IAM role or user", func() {
			lf.GrantDatabase(awsiam.NewServicePrincipal(jsii.String("athena.amazonaws.com"), nil), db, Describe)
		})
	})
	t.Run("a grant of no permissions panics", func(t *testing.T) {
		constructtest.Panics(t, "got no permissions", func() { lf.GrantDatabase(reader, db) })
	})
}

func TestGrantCreateTables(t *testing.T) {
	crawlerID := logicalIDOf(t, crawlerRole)
	t.Run("CREATE_TABLE and DESCRIBE on the database, DATA_LOCATION_ACCESS on the location, nothing on tables", func(t *testing.T) {
		want := map[string][]any{
			databaseResource(t):      {"CREATE_TABLE", "DESCRIBE"},
			locationResource(t, raw): {"DATA_LOCATION_ACCESS"},
		}
		if got := grants(crawlerID); !reflect.DeepEqual(got, want) {
			t.Fatalf("got %v\nwant %v", got, want)
		}
	})
	t.Run("the location grant waits for the registration", func(t *testing.T) {
		regID := logicalIDOf(t, lf.Registration(raw))
		for _, r := range resources("AWS::LakeFormation::PrincipalPermissions") {
			if strings.Contains(asJSON(r.Properties["Resource"]), "DataLocation") && !contains(r.DependsOn, regID) {
				t.Fatalf("%s depends on %v, not on %s", r.ID, r.DependsOn, regID)
			}
		}
	})
	t.Run("the crawler's policy waits for its grants", func(t *testing.T) {
		if n := countGrants(defaultPolicyOf(t, crawlerRole).DependsOn); n != 2 {
			t.Fatalf("depends on %d grants, want 2", n)
		}
	})
	t.Run("data location access only on a registered location", func(t *testing.T) {
		constructtest.Panics(t, "is not a registered location", func() { lf.GrantDataLocation(crawlerRole, other) })
	})
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		props Props
		want  string
	}{
		{"no locations", Props{}, "lakeformation: Locations: got none, must name at least one bucket to register"},
		{"nil location", Props{Locations: []awss3.IBucket{nil}}, "lakeformation: Locations[0]: got nil, must be a bucket"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.props.validate(); err == nil || err.Error() != c.want {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "lakeformation: Locations: got none", func() { New(stack, jsii.String("Invalid"), nil) })
	})
}

func TestNag(t *testing.T) {
	t.Run("no unsuppressed AwsSolutions findings", func(t *testing.T) {
		constructtest.NoNagFindings(t, lf)
		// The readers' policies hold GetDataAccess on "*" and nothing else (the crawler's holds
		// this test's own S3 grant).
		constructtest.NoNagFindings(t, reader)
		constructtest.NoNagFindings(t, analyst)
	})
}

func defaultPolicyOf(t *testing.T, role awsiam.Role) resource {
	t.Helper()
	id := logicalIDOf(t, role.Node().FindChild(jsii.String("DefaultPolicy")))
	for _, r := range resources("AWS::IAM::Policy") {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no policy %s", id)
	return resource{}
}

func countGrants(ids []string) int {
	n := 0
	for _, id := range ids {
		for _, g := range resources("AWS::LakeFormation::PrincipalPermissions") {
			if g.ID == id {
				n++
			}
		}
	}
	return n
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
