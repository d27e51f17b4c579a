package stacks

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/analytics"
	"github.com/clickstream-analytics/datalake/constructs/catalog"
	"github.com/clickstream-analytics/datalake/constructs/crawler"
	"github.com/clickstream-analytics/datalake/constructs/etljob"
	"github.com/clickstream-analytics/datalake/constructs/lakeformation"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/constructs/quicksight"
	"github.com/clickstream-analytics/datalake/contract"
)

// logicalIDAt is the logical ID of the resource at a construct path below the pipeline.
func logicalIDAt(stack awscdk.Stack, path ...string) string {
	var c constructs.IConstruct = stack.Node().FindChild(jsii.String(AnalyticsID))
	for _, id := range path {
		c = c.Node().FindChild(jsii.String(id))
	}
	cfn, ok := c.(awscdk.CfnElement)
	if !ok {
		cfn = c.Node().DefaultChild().(awscdk.CfnElement)
	}
	return stack.Resolve(stack.GetLogicalId(cfn)).(string)
}

func lakeFormationResources(tpl map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tpl["Resources"].(map[string]any) {
		if strings.HasPrefix(r.(map[string]any)["Type"].(string), "AWS::LakeFormation::") {
			out[id] = r.(map[string]any)
		}
	}
	return out
}

// Every grant of every environment, by principal, resource and permissions: what the crawler,
// the QuickSight data source role and nobody else holds.
func TestLakeFormationPerEnvironment(t *testing.T) {
	for name, tpl := range templates {
		stack, env := built[name], envs[name]
		resources := *tpl.ToJSON()
		lf := lakeFormationResources(resources)
		if !env.LakeFormation {
			t.Run(name+" has Lake Formation off and no Lake Formation resource, action or role", func(t *testing.T) {
				if len(lf) != 0 {
					t.Fatalf("got %d Lake Formation resources", len(lf))
				}
				if text := asJSON(resources); strings.Contains(text, "lakeformation") {
					t.Fatal("the template names lakeformation (an action or a service principal)")
				}
			})
			continue
		}
		at := func(path ...string) string { return logicalIDAt(stack, path...) }
		arn := func(id string) map[string]any { return map[string]any{"Fn::GetAtt": []any{id, "Arn"}} }
		account := map[string]any{"Ref": "AWS::AccountId"}
		raw, curated := at(analytics.StorageID, lakestorage.RawID), at(analytics.StorageID, lakestorage.CuratedID)
		dataAccessRole := at(analytics.LakeFormationID, lakeformation.DataAccessRoleID)
		database := map[string]any{"Ref": at(analytics.CatalogID, catalog.DatabaseID)}
		onDatabase := asJSON(map[string]any{"Database": map[string]any{"CatalogId": account, "Name": database}})

		// granted maps principal logical ID -> resource JSON -> permissions JSON.
		granted := map[string]map[string]string{}
		registered := map[string]string{}
		for id, r := range lf {
			props := r["Properties"].(map[string]any)
			switch r["Type"] {
			case "AWS::LakeFormation::PrincipalPermissions":
				principal := props["Principal"].(map[string]any)["DataLakePrincipalIdentifier"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
				if granted[principal] == nil {
					granted[principal] = map[string]string{}
				}
				granted[principal][asJSON(props["Resource"])] = asJSON(props["Permissions"])
				if asJSON(props["PermissionsWithGrantOption"]) != "[]" {
					t.Errorf("%s %s is grantable: %v", name, id, props["PermissionsWithGrantOption"])
				}
			case "AWS::LakeFormation::Resource":
				registered[asJSON(props["ResourceArn"])] = asJSON(props)
			default:
				t.Errorf("%s: unexpected %s %s", name, r["Type"], id)
			}
		}

		t.Run(name+" registers the raw and curated buckets with its own data-access role", func(t *testing.T) {
			for _, bucket := range []string{raw, curated} {
				want := asJSON(map[string]any{"ResourceArn": arn(bucket), "RoleArn": arn(dataAccessRole), "UseServiceLinkedRole": false})
				if got := registered[asJSON(arn(bucket))]; got != want {
					t.Errorf("registration of %s: got %s, want %s", bucket, got, want)
				}
			}
			if len(registered) != 2 {
				t.Fatalf("got %d registrations, want 2", len(registered))
			}
		})
		t.Run(name+" data-access role is assumed by Lake Formation and may use exactly the two buckets and the lake key", func(t *testing.T) {
			role := resources["Resources"].(map[string]any)[dataAccessRole].(map[string]any)["Properties"].(map[string]any)
			trust := asJSON(role["AssumeRolePolicyDocument"].(map[string]any)["Statement"])
			if trust != asJSON([]any{map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow",
				"Principal": map[string]any{"Service": lakeformation.LakeFormationServicePrincipal}}}) {
				t.Errorf("trust policy %s", trust)
			}
			policy := asJSON(role["Policies"])
			for _, want := range []string{raw, curated, at(analytics.StorageID, lakestorage.KeyID)} {
				if !strings.Contains(policy, `"`+want+`"`) {
					t.Errorf("%s missing from %s", want, policy)
				}
			}
			for id, r := range resources["Resources"].(map[string]any) {
				isBucket := r.(map[string]any)["Type"] == "AWS::S3::Bucket"
				if isBucket && id != raw && id != curated && strings.Contains(policy, `"`+id+`"`) {
					t.Errorf("the data-access role names bucket %s", id)
				}
			}
		})
		t.Run(name+" crawler may create tables in the database pointing into the raw bucket, and nothing else", func(t *testing.T) {
			want := map[string]string{
				onDatabase: asJSON(lakeformation.CreateTablesPermissions),
				asJSON(map[string]any{"DataLocation": map[string]any{"CatalogId": account, "ResourceArn": arn(raw)}}): `["DATA_LOCATION_ACCESS"]`,
			}
			if got := granted[at(analytics.RawCrawlerID, crawler.RoleID)]; asJSON(got) != asJSON(want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
		})
		principals := []string{at(analytics.RawCrawlerID, crawler.RoleID)}
		if env.QuickSight.Enabled {
			role := at(analytics.QuickSightID, quicksight.DataSourceRoleID)
			principals = append(principals, role)
			t.Run(name+" QuickSight data source role reads the database and each curated table by name", func(t *testing.T) {
				want := map[string]string{onDatabase: asJSON(lakeformation.ReadDatabasePermissions)}
				for _, table := range contract.Tables() {
					want[asJSON(map[string]any{"Table": map[string]any{"CatalogId": account, "DatabaseName": database,
						"Name": map[string]any{"Ref": at(analytics.CatalogID, catalog.TableID(table.Name))}}})] = asJSON(lakeformation.ReadTablePermissions)
				}
				if got := granted[role]; asJSON(got) != asJSON(want) {
					t.Fatalf("got %v\nwant %v", got, want)
				}
			})
			t.Run(name+" QuickSight data source role may call lakeformation:GetDataAccess, and its policy waits for its grants", func(t *testing.T) {
				policyID := at(analytics.QuickSightID, quicksight.DataSourceRoleID, "DefaultPolicy")
				policy := resources["Resources"].(map[string]any)[policyID].(map[string]any)
				if !strings.Contains(asJSON(policy["Properties"]), asJSON(map[string]any{"Action": lakeformation.DataAccessAction, "Effect": "Allow", "Resource": "*"})) {
					t.Fatal("no GetDataAccess statement")
				}
				var deps []string
				for _, d := range policy["DependsOn"].([]any) {
					deps = append(deps, d.(string))
				}
				for id, r := range lf {
					if r["Type"] == "AWS::LakeFormation::PrincipalPermissions" && strings.Contains(asJSON(r["Properties"]), `"`+role+`"`) && !slices.Contains(deps, id) {
						t.Errorf("the policy does not wait for %s", id)
					}
				}
			})
		}
		t.Run(name+" no other principal holds a grant, the ETL job included", func(t *testing.T) {
			var got []string
			for p := range granted {
				got = append(got, p)
			}
			sort.Strings(got)
			sort.Strings(principals)
			if !slices.Equal(got, principals) {
				t.Fatalf("principals with grants: %v, want %v", got, principals)
			}
			if _, ok := granted[at(analytics.EtlJobID, etljob.RoleID)]; ok {
				t.Fatal("the ETL job has a Lake Formation grant")
			}
		})
		t.Run(name+" no grant is on the raw table or a table wildcard", func(t *testing.T) {
			for _, grants := range granted {
				for resource := range grants {
					if strings.Contains(resource, "TableWildcard") || strings.Contains(resource, crawler.DefaultTablePrefix) {
						t.Errorf("grant on %s", resource)
					}
				}
			}
		})
	}
	t.Run("at least one environment enables Lake Formation, so its resources are synthesized and scanned", func(t *testing.T) {
		for _, env := range envs {
			if env.LakeFormation {
				return
			}
		}
		t.Fatal("no environment in cdk.json sets lakeFormation: true")
	})
}

// Lake Formation mode only adds: the same environment with it off synthesizes every resource
// it has with it on, unchanged, but for the policies of the principals it grants, which gain
// GetDataAccess, their wait for the grants and the suppression of that statement's "*".
func TestLakeFormationOnlyAdds(t *testing.T) {
	var name string
	for n, env := range envs {
		if env.LakeFormation && env.QuickSight.Enabled {
			name = n
		}
	}
	if name == "" {
		t.Fatal("no environment with Lake Formation and QuickSight")
	}
	synth := func(on bool) map[string]any {
		env := envs[name]
		env.LakeFormation = on
		app := awscdk.NewApp(nil)
		stack := NewClickstreamStack(app, jsii.String(env.StackName()), &ClickstreamStackProps{Environment: env})
		data, err := json.Marshal(app.Synth(nil).GetStackArtifact(stack.ArtifactId()).Template())
		if err != nil {
			t.Fatal(err)
		}
		var tpl map[string]any
		if err := json.Unmarshal(data, &tpl); err != nil {
			t.Fatal(err)
		}
		return tpl["Resources"].(map[string]any)
	}
	off, on := synth(false), synth(true)
	stack := built[name]
	widened := []string{
		logicalIDAt(stack, analytics.RawCrawlerID, crawler.RoleID, "DefaultPolicy"),
		logicalIDAt(stack, analytics.QuickSightID, quicksight.DataSourceRoleID, "DefaultPolicy"),
	}
	for id, r := range off {
		if slices.Contains(widened, id) || id == "CDKMetadata" {
			continue
		}
		if asJSON(on[id]) != asJSON(r) {
			t.Errorf("%s differs with Lake Formation on:\n%s", id, firstDifference(asJSON(r), asJSON(on[id])))
		}
	}
	for id, r := range on {
		if _, ok := off[id]; !ok && !strings.HasPrefix(id, analytics.LakeFormationID) {
			t.Errorf("%s (%s) is added outside the Lake Formation construct", id, r.(map[string]any)["Type"])
		}
	}
	t.Run("the granted principals' policies only gain GetDataAccess and their wait for the grants", func(t *testing.T) {
		for _, id := range widened {
			before := asJSON(off[id].(map[string]any)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"])
			after := asJSON(on[id].(map[string]any)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"])
			dataAccess := asJSON(map[string]any{"Action": lakeformation.DataAccessAction, "Effect": "Allow", "Resource": "*"})
			if strings.Contains(id, "RawCrawler") {
				dataAccess = ""
			}
			if stripped := strings.Replace(strings.Replace(after, ","+dataAccess, "", 1), dataAccess+",", "", 1); dataAccess != "" && stripped != before {
				t.Errorf("%s statements: %s", id, firstDifference(before, stripped))
			} else if dataAccess == "" && after != before {
				t.Errorf("%s statements changed: %s", id, firstDifference(before, after))
			}
			if len(on[id].(map[string]any)["DependsOn"].([]any)) == 0 {
				t.Errorf("%s does not wait for its grants", id)
			}
		}
	})
}
