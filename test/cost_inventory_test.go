package test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/clickstream-analytics/datalake/constructs/quicksight"
)

// costInventory is tools/cost/inventory.json: the resources and lifecycle facts `make cost`
// prices. Each entry is checked here against every synthesized environment.
type costInventory struct {
	KMSKeys                         int    `json:"kms_keys"`
	CloudWatchAlarms                int    `json:"cloudwatch_alarms"`
	IngestionCloudWatchAlarms       int    `json:"ingestion_cloudwatch_alarms"`
	CloudWatchDashboards            int    `json:"cloudwatch_dashboards"`
	SNSTopics                       int    `json:"sns_topics"`
	GlueJobs                        int    `json:"glue_jobs"`
	GlueCrawlers                    int    `json:"glue_crawlers"`
	GlueWorkerType                  string `json:"glue_worker_type"`
	GlueVersion                     string `json:"glue_version"`
	NoncurrentVersionExpirationDays int    `json:"noncurrent_version_expiration_days"`
	AccessLogRetentionDays          int    `json:"access_log_retention_days"`
	TempRetentionDays               int    `json:"temp_retention_days"`
	QuickSightDateRangeDays         int    `json:"quicksight_date_range_days"`
}

func TestCostInventoryMatchesTheStack(t *testing.T) {
	data, err := os.ReadFile("../tools/cost/inventory.json")
	if err != nil {
		t.Fatal(err)
	}
	var inv costInventory
	if err := json.Unmarshal(data, &inv); err != nil {
		t.Fatal(err)
	}
	if inv.QuickSightDateRangeDays != quicksight.DefaultDateRangeDays {
		t.Errorf("quicksight_date_range_days = %d, quicksight.DefaultDateRangeDays = %d", inv.QuickSightDateRangeDays, quicksight.DefaultDateRangeDays)
	}
	forEachEnvironment(t, func(t *testing.T, env environment) {
		alarms := inv.CloudWatchAlarms
		if env.config.Ingestion.Enabled {
			alarms += inv.IngestionCloudWatchAlarms
		}
		for typ, want := range map[string]int{
			"AWS::KMS::Key":              inv.KMSKeys,
			"AWS::CloudWatch::Alarm":     alarms,
			"AWS::CloudWatch::Dashboard": inv.CloudWatchDashboards,
			"AWS::SNS::Topic":            inv.SNSTopics,
			"AWS::Glue::Job":             inv.GlueJobs,
			"AWS::Glue::Crawler":         inv.GlueCrawlers,
		} {
			if got := len(env.resources(typ)); got != want {
				t.Errorf("%s: %d in the template, inventory.json says %d", typ, got, want)
			}
		}
		for _, job := range env.resources("AWS::Glue::Job") {
			if job.Properties["WorkerType"] != inv.GlueWorkerType || job.Properties["GlueVersion"] != inv.GlueVersion {
				t.Errorf("%s: worker %v, Glue %v; inventory.json says %s, %s", job.LogicalID,
					job.Properties["WorkerType"], job.Properties["GlueVersion"], inv.GlueWorkerType, inv.GlueVersion)
			}
		}
		buckets := env.resources("AWS::S3::Bucket")
		logTargets := map[string]bool{}
		for _, b := range buckets {
			if ref, ok := dig(b.Properties, "LoggingConfiguration", "DestinationBucketName", "Ref").(string); ok {
				logTargets[ref] = true
			}
		}
		noncurrent, temp := 0, map[string]bool{}
		for _, b := range buckets {
			for _, rule := range asList(dig(b.Properties, "LifecycleConfiguration", "Rules")) {
				// The access-log bucket's own noncurrent rule is not a data bucket's undo window.
				if days := dig(rule, "NoncurrentVersionExpiration", "NoncurrentDays"); days != nil && !logTargets[b.LogicalID] {
					noncurrent++
					if days != float64(inv.NoncurrentVersionExpirationDays) {
						t.Errorf("%s: noncurrent versions expire after %v days, inventory.json says %d", b.LogicalID, days, inv.NoncurrentVersionExpirationDays)
					}
				}
				if prefix, _ := dig(rule, "Prefix").(string); prefix == "temp/" || prefix == "spark-ui-logs/" {
					temp[prefix] = true
					if days := dig(rule, "ExpirationInDays"); days != float64(inv.TempRetentionDays) {
						t.Errorf("%s: %s expires after %v days, inventory.json says %d", b.LogicalID, prefix, days, inv.TempRetentionDays)
					}
				}
			}
		}
		if noncurrent == 0 || len(temp) != 2 {
			t.Errorf("found %d noncurrent-expiry rules and temp rules %v: the lifecycle layout changed", noncurrent, temp)
		}
		if len(logTargets) != 1 {
			t.Fatalf("access logs go to %d buckets, want 1", len(logTargets))
		}
		for _, b := range buckets {
			if !logTargets[b.LogicalID] {
				continue
			}
			if days := dig(asList(dig(b.Properties, "LifecycleConfiguration", "Rules"))[0], "ExpirationInDays"); days != float64(inv.AccessLogRetentionDays) {
				t.Errorf("%s: access logs expire after %v days, inventory.json says %d", b.LogicalID, days, inv.AccessLogRetentionDays)
			}
		}
	})
}
