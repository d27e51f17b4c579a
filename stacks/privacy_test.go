package stacks

import (
	"fmt"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/constructs/erasurejob"
	"github.com/clickstream-analytics/datalake/constructs/ingestion/collector"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
	"github.com/clickstream-analytics/datalake/contract"
)

// Every retention rule and IP setting of every environment of cdk.json, as synthesized.
func TestPrivacyPerEnvironment(t *testing.T) {
	for _, name := range []string{"dev", "staging", "prod"} {
		env, tpl := envs[name], templates[name]
		rules := map[string]map[string]any{}
		for _, res := range *tpl.FindResources(jsii.String("AWS::S3::Bucket"), nil) {
			lc, _ := (*res)["Properties"].(map[string]any)["LifecycleConfiguration"].(map[string]any)
			list, _ := lc["Rules"].([]any)
			for _, r := range list {
				rule := r.(map[string]any)
				rules[rule["Id"].(string)] = rule
			}
		}
		days := func(rule map[string]any, key string) any {
			if rule == nil {
				return nil
			}
			return rule[key]
		}
		t.Run(name+" raw objects expire after privacy.rawRetentionDays, their noncurrent versions after that", func(t *testing.T) {
			r := rules["tier-raw-events"]
			if days(r, "ExpirationInDays") != float64(env.Privacy.RawRetentionDays) || r["Prefix"] != nil ||
				fmt.Sprint(r["NoncurrentVersionExpiration"]) != fmt.Sprintf("map[NoncurrentDays:%d]", lakestorage.DefaultNoncurrentVersionExpirationDays) {
				t.Fatalf("raw rule %v, want expiry after %d days", r, env.Privacy.RawRetentionDays)
			}
		})
		t.Run(name+" quarantined lines expire after privacy.quarantineRetentionDays", func(t *testing.T) {
			r := rules["expire-quarantine"]
			if days(r, "ExpirationInDays") != float64(env.Privacy.QuarantineRetentionDays) || r["Prefix"] != contract.Quarantine().Prefix {
				t.Fatalf("quarantine rule %v, want expiry after %d days", r, env.Privacy.QuarantineRetentionDays)
			}
		})
		t.Run(name+" curated noncurrent versions and erasure requests expire", func(t *testing.T) {
			if days(rules["expire-noncurrent-curated"], "NoncurrentVersionExpiration") == nil ||
				days(rules["expire-erasure-requests"], "ExpirationInDays") != float64(lakestorage.DefaultErasureRequestRetentionDays) ||
				rules["expire-erasure-requests"]["Prefix"] != lakestorage.ErasureRequestsPrefix {
				t.Fatalf("rules %v", rules)
			}
		})
		t.Run(name+" the ETL applies privacy.ip and privacy.curatedRetentionDays", func(t *testing.T) {
			jobs := tpl.FindResources(jsii.String("AWS::Glue::Job"), nil)
			found := false
			for _, res := range *jobs {
				args := (*res)["Properties"].(map[string]any)["DefaultArguments"].(map[string]any)
				if _, etl := args["--"+contract.ArgSessionTimeoutMinutes]; !etl {
					continue
				}
				found = true
				retention, set := args["--"+contract.ArgCuratedRetentionDays]
				want := env.Privacy.CuratedRetentionDays
				if args["--"+contract.ArgIPMode] != env.Privacy.IP || set != (want != nil) || (want != nil && retention != fmt.Sprint(*want)) {
					t.Fatalf("arguments %v, want ip %s and retention %v", args, env.Privacy.IP, want)
				}
			}
			if !found {
				t.Fatal("no ETL job")
			}
		})
		if env.Ingestion.Enabled {
			t.Run(name+" the collector applies privacy.ip", func(t *testing.T) {
				for _, res := range *tpl.FindResources(jsii.String("AWS::Lambda::Function"), nil) {
					fnEnv, _ := (*res)["Properties"].(map[string]any)["Environment"].(map[string]any)
					vars, _ := fnEnv["Variables"].(map[string]any)
					if _, ok := vars[collector.EnvDeliveryStream]; ok && vars[collector.EnvIPMode] != env.Privacy.IP {
						t.Fatalf("collector environment %v, want ip mode %s", vars, env.Privacy.IP)
					}
				}
			})
		}
	}
	t.Run("cdk.json sets retention in dev, and staging and prod keep the defaults", func(t *testing.T) {
		if envs["dev"].Privacy.CuratedRetentionDays == nil || envs["prod"].Privacy.CuratedRetentionDays != nil {
			t.Fatal("the environments no longer cover both an ETL retention and none")
		}
	})
}

// Every environment gets the erasure job, its schedule and its failure notification.
func TestErasurePerEnvironment(t *testing.T) {
	for _, name := range []string{"dev", "staging", "prod"} {
		tpl := templates[name]
		t.Run(name+" runs the erasure job on a schedule and notifies its failures", func(t *testing.T) {
			var erasure string
			for id, res := range *tpl.FindResources(jsii.String("AWS::Glue::Job"), nil) {
				args := (*res)["Properties"].(map[string]any)["DefaultArguments"].(map[string]any)
				if _, ok := args["--"+contract.ArgRequestsPath]; ok {
					erasure = id
				}
			}
			if erasure == "" {
				t.Fatal("no erasure job")
			}
			triggers := tpl.FindResources(jsii.String("AWS::Glue::Trigger"), nil)
			scheduled := false
			for _, res := range *triggers {
				p := (*res)["Properties"].(map[string]any)
				if p["Schedule"] == erasurejob.DefaultSchedule && fmt.Sprint(p["Actions"]) == fmt.Sprintf("[map[JobName:map[Ref:%s]]]", erasure) {
					scheduled = true
				}
			}
			if !scheduled {
				t.Fatalf("no schedule starts %s: %v", erasure, *triggers)
			}
		})
	}
}
