package lakestorage

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/contract"
	"github.com/clickstream-analytics/datalake/internal/constructtest"
)

// One app for the package: a jsii runtime and a synth per test would multiply the run time.
var (
	defaultTemplate, optionsTemplate assertions.Template
	defaultStorage                   LakeStorage
)

func TestMain(m *testing.M) {
	app := awscdk.NewApp(nil)

	defaultStack := awscdk.NewStack(app, jsii.String("Defaults"), nil)
	defaultStorage = New(defaultStack, jsii.String("Storage"), nil)

	optionsStack := awscdk.NewStack(app, jsii.String("Options"), nil)
	ia, glacier, results, noncurrent, logs, raw, quarantine := 45, 200, 3, 7, 90, 201, 10
	New(optionsStack, jsii.String("Storage"), &Props{
		RawInfrequentAccessDays:         &ia,
		RawGlacierDays:                  &glacier,
		RawRetentionDays:                &raw,
		QuarantineRetentionDays:         &quarantine,
		AthenaResultsRetentionDays:      &results,
		NoncurrentVersionExpirationDays: &noncurrent,
		AccessLogRetentionDays:          &logs,
		RemovalPolicy:                   awscdk.RemovalPolicy_DESTROY,
	})

	// Synthesize only once the whole tree is built.
	defaultTemplate = assertions.Template_FromStack(defaultStack, nil)
	optionsTemplate = assertions.Template_FromStack(optionsStack, nil)

	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func obj(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

// bucketProps finds the bucket whose logical ID starts with the construct path prefix.
func bucketProps(t *testing.T, tpl assertions.Template, idPrefix string) map[string]any {
	t.Helper()
	for id, res := range *tpl.FindResources(jsii.String("AWS::S3::Bucket"), nil) {
		if strings.HasPrefix(id, idPrefix) {
			return (*res)["Properties"].(map[string]any)
		}
	}
	t.Fatalf("no bucket with logical ID prefix %s", idPrefix)
	return nil
}

func lifecycleRule(t *testing.T, tpl assertions.Template, idPrefix, ruleID string) map[string]any {
	t.Helper()
	rules := bucketProps(t, tpl, idPrefix)["LifecycleConfiguration"].(map[string]any)["Rules"].([]any)
	for _, r := range rules {
		if r.(map[string]any)["Id"] == ruleID {
			return r.(map[string]any)
		}
	}
	t.Fatalf("bucket %s has no lifecycle rule %s: %v", idPrefix, ruleID, rules)
	return nil
}

func num(v any) int { return int(v.(float64)) }

var dataBuckets = []string{"StorageRawBucket", "StorageCuratedBucket", "StorageAthenaResultsBucket", "StorageAssetsBucket"}

func TestDefaults(t *testing.T) {
	t.Run("creates five buckets and one rotating key", func(t *testing.T) {
		defaultTemplate.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(5))
		defaultTemplate.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(1))
		defaultTemplate.HasResourceProperties(jsii.String("AWS::KMS::Key"), obj(map[string]any{"EnableKeyRotation": true}))
	})
	for _, b := range dataBuckets {
		t.Run(b+" is encrypted with the lake key and bucket keys", func(t *testing.T) {
			enc := bucketProps(t, defaultTemplate, b)["BucketEncryption"].(map[string]any)["ServerSideEncryptionConfiguration"].([]any)[0].(map[string]any)
			sse := enc["ServerSideEncryptionByDefault"].(map[string]any)
			if sse["SSEAlgorithm"] != "aws:kms" || enc["BucketKeyEnabled"] != true {
				t.Fatalf("got %v", enc)
			}
			keyArn := sse["KMSMasterKeyID"].(map[string]any)["Fn::GetAtt"].([]any)
			if !strings.HasPrefix(keyArn[0].(string), "StorageKey") {
				t.Fatalf("encrypted with %v, want the lake key", keyArn)
			}
		})
		t.Run(b+" logs to the access-log bucket", func(t *testing.T) {
			logging := bucketProps(t, defaultTemplate, b)["LoggingConfiguration"].(map[string]any)
			ref := logging["DestinationBucketName"].(map[string]any)["Ref"].(string)
			if !strings.HasPrefix(ref, "StorageAccessLogsBucket") || logging["LogFilePrefix"] == "" {
				t.Fatalf("got %v", logging)
			}
		})
	}
	t.Run("every bucket blocks public access", func(t *testing.T) {
		for id, res := range *defaultTemplate.FindResources(jsii.String("AWS::S3::Bucket"), nil) {
			pab := (*res)["Properties"].(map[string]any)["PublicAccessBlockConfiguration"].(map[string]any)
			for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
				if pab[k] != true {
					t.Errorf("%s: %s = %v", id, k, pab[k])
				}
			}
		}
	})
	t.Run("every bucket policy denies insecure transport and old TLS", func(t *testing.T) {
		policies := defaultTemplate.FindResources(jsii.String("AWS::S3::BucketPolicy"), nil)
		if len(*policies) != 5 {
			t.Fatalf("got %d bucket policies, want 5", len(*policies))
		}
		for id := range *policies {
			doc := (*(*policies)[id])["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)
			var ssl, tls bool
			for _, s := range doc["Statement"].([]any) {
				st := s.(map[string]any)
				cond, _ := st["Condition"].(map[string]any)
				if st["Effect"] != "Deny" || cond == nil {
					continue
				}
				if b, ok := cond["Bool"].(map[string]any); ok && b["aws:SecureTransport"] == "false" {
					ssl = true
				}
				if n, ok := cond["NumericLessThan"].(map[string]any); ok && n["s3:TlsVersion"] == MinimumTLSVersion {
					tls = true
				}
			}
			if !ssl || !tls {
				t.Errorf("%s: deny insecure transport %v, deny TLS < %v %v", id, ssl, MinimumTLSVersion, tls)
			}
		}
	})
	t.Run("access-log bucket uses S3-managed encryption", func(t *testing.T) {
		enc := bucketProps(t, defaultTemplate, "StorageAccessLogsBucket")["BucketEncryption"].(map[string]any)["ServerSideEncryptionConfiguration"].([]any)[0].(map[string]any)
		if enc["ServerSideEncryptionByDefault"].(map[string]any)["SSEAlgorithm"] != "AES256" {
			t.Fatalf("got %v", enc)
		}
	})
	t.Run("raw and curated are versioned, results are not", func(t *testing.T) {
		for b, want := range map[string]any{"StorageRawBucket": "Enabled", "StorageCuratedBucket": "Enabled", "StorageAthenaResultsBucket": nil} {
			v, _ := bucketProps(t, defaultTemplate, b)["VersioningConfiguration"].(map[string]any)
			var got any
			if v != nil {
				got = v["Status"]
			}
			if got != want {
				t.Errorf("%s versioning %v, want %v", b, got, want)
			}
		}
	})
	t.Run("raw tiers to infrequent access then glacier instant retrieval", func(t *testing.T) {
		r := lifecycleRule(t, defaultTemplate, "StorageRawBucket", "tier-raw-events")
		tr := r["Transitions"].([]any)
		ia, gl := tr[0].(map[string]any), tr[1].(map[string]any)
		if ia["StorageClass"] != "STANDARD_IA" || num(ia["TransitionInDays"]) != config.DefaultRawInfrequentAccessDays ||
			gl["StorageClass"] != "GLACIER_IR" || num(gl["TransitionInDays"]) != config.DefaultRawGlacierDays {
			t.Fatalf("got %v", tr)
		}
	})
	t.Run("raw objects expire after config.DefaultRawRetentionDays, after their Glacier move", func(t *testing.T) {
		r := lifecycleRule(t, defaultTemplate, "StorageRawBucket", "tier-raw-events")
		if r["Prefix"] != nil || num(r["ExpirationInDays"]) != config.DefaultRawRetentionDays || config.DefaultRawRetentionDays != 395 ||
			config.DefaultRawRetentionDays <= config.DefaultRawGlacierDays {
			t.Fatalf("got %v", r)
		}
	})
	t.Run("quarantined lines expire after config.DefaultQuarantineRetentionDays", func(t *testing.T) {
		r := lifecycleRule(t, defaultTemplate, "StorageCuratedBucket", "expire-quarantine")
		if r["Prefix"] != "quarantine/" || QuarantinePrefix != contract.Quarantine().Prefix ||
			num(r["ExpirationInDays"]) != config.DefaultQuarantineRetentionDays || config.DefaultQuarantineRetentionDays != 30 {
			t.Fatalf("got %v", r)
		}
	})
	t.Run("erasure requests expire after DefaultErasureRequestRetentionDays", func(t *testing.T) {
		r := lifecycleRule(t, defaultTemplate, "StorageCuratedBucket", "expire-erasure-requests")
		if r["Prefix"] != ErasureRequestsPrefix || num(r["ExpirationInDays"]) != DefaultErasureRequestRetentionDays || DefaultErasureRequestRetentionDays != 30 {
			t.Fatalf("got %v", r)
		}
	})
	t.Run("noncurrent versions expire", func(t *testing.T) {
		for b, rule := range map[string]string{"StorageRawBucket": "tier-raw-events", "StorageCuratedBucket": "expire-noncurrent-curated"} {
			r := lifecycleRule(t, defaultTemplate, b, rule)
			if num(r["NoncurrentVersionExpiration"].(map[string]any)["NoncurrentDays"]) != DefaultNoncurrentVersionExpirationDays {
				t.Errorf("%s: %v", b, r)
			}
		}
	})
	t.Run("incomplete multipart uploads are aborted after one day", func(t *testing.T) {
		for b, rule := range map[string]string{"StorageRawBucket": "tier-raw-events", "StorageCuratedBucket": "expire-noncurrent-curated",
			"StorageAthenaResultsBucket": "expire-query-results", "StorageAssetsBucket": "abort-incomplete-uploads", "StorageAccessLogsBucket": "expire-access-logs"} {
			r := lifecycleRule(t, defaultTemplate, b, rule)
			if num(r["AbortIncompleteMultipartUpload"].(map[string]any)["DaysAfterInitiation"]) != DefaultAbortIncompleteMultipartUploadDays {
				t.Errorf("%s: %v", b, r)
			}
		}
	})
	t.Run("athena results expire", func(t *testing.T) {
		if r := lifecycleRule(t, defaultTemplate, "StorageAthenaResultsBucket", "expire-query-results"); num(r["ExpirationInDays"]) != config.DefaultAthenaResultsRetentionDays {
			t.Fatalf("got %v", r)
		}
	})
	t.Run("access logs expire", func(t *testing.T) {
		if r := lifecycleRule(t, defaultTemplate, "StorageAccessLogsBucket", "expire-access-logs"); num(r["ExpirationInDays"]) != DefaultAccessLogRetentionDays {
			t.Fatalf("got %v", r)
		}
	})
	t.Run("glue temp and spark ui logs expire", func(t *testing.T) {
		for rule, prefix := range map[string]string{"expire-glue-temp": TempPrefix, "expire-spark-ui-logs": SparkUILogsPrefix} {
			r := lifecycleRule(t, defaultTemplate, "StorageAssetsBucket", rule)
			if r["Prefix"] != prefix || num(r["ExpirationInDays"]) != DefaultTempRetentionDays {
				t.Errorf("%s: %v", rule, r)
			}
		}
	})
	t.Run("stateful resources are retained", func(t *testing.T) {
		for _, typ := range []string{"AWS::S3::Bucket", "AWS::KMS::Key"} {
			for id, res := range *defaultTemplate.FindResources(jsii.String(typ), nil) {
				r := (*res)
				if r["DeletionPolicy"] != "RetainExceptOnCreate" || r["UpdateReplacePolicy"] != "Retain" {
					t.Errorf("%s: DeletionPolicy %v UpdateReplacePolicy %v", id, r["DeletionPolicy"], r["UpdateReplacePolicy"])
				}
			}
		}
	})
	t.Run("no auto-delete custom resource when retaining", func(t *testing.T) {
		defaultTemplate.ResourceCountIs(jsii.String("Custom::S3AutoDeleteObjects"), jsii.Number(0))
	})
	t.Run("exposes its buckets and key", func(t *testing.T) {
		if defaultStorage.RawBucket() == nil || defaultStorage.CuratedBucket() == nil || defaultStorage.AthenaResultsBucket() == nil ||
			defaultStorage.AssetsBucket() == nil || defaultStorage.AccessLogsBucket() == nil || defaultStorage.EncryptionKey() == nil {
			t.Fatal("an accessor returned nil")
		}
	})
}

func TestOptions(t *testing.T) {
	t.Run("transition days from props", func(t *testing.T) {
		tr := lifecycleRule(t, optionsTemplate, "StorageRawBucket", "tier-raw-events")["Transitions"].([]any)
		if num(tr[0].(map[string]any)["TransitionInDays"]) != 45 || num(tr[1].(map[string]any)["TransitionInDays"]) != 200 {
			t.Fatalf("got %v", tr)
		}
	})
	t.Run("raw and quarantine retention from props", func(t *testing.T) {
		if r := lifecycleRule(t, optionsTemplate, "StorageRawBucket", "tier-raw-events"); num(r["ExpirationInDays"]) != 201 {
			t.Fatalf("got %v", r)
		}
		if r := lifecycleRule(t, optionsTemplate, "StorageCuratedBucket", "expire-quarantine"); num(r["ExpirationInDays"]) != 10 {
			t.Fatalf("got %v", r)
		}
	})
	t.Run("results retention from props", func(t *testing.T) {
		if r := lifecycleRule(t, optionsTemplate, "StorageAthenaResultsBucket", "expire-query-results"); num(r["ExpirationInDays"]) != 3 {
			t.Fatalf("got %v", r)
		}
	})
	t.Run("noncurrent expiry from props", func(t *testing.T) {
		r := lifecycleRule(t, optionsTemplate, "StorageCuratedBucket", "expire-noncurrent-curated")
		if num(r["NoncurrentVersionExpiration"].(map[string]any)["NoncurrentDays"]) != 7 {
			t.Fatalf("got %v", r)
		}
	})
	t.Run("access log retention from props", func(t *testing.T) {
		if r := lifecycleRule(t, optionsTemplate, "StorageAccessLogsBucket", "expire-access-logs"); num(r["ExpirationInDays"]) != 90 {
			t.Fatalf("got %v", r)
		}
	})
	t.Run("destroy deletes buckets and empties them", func(t *testing.T) {
		for id, res := range *optionsTemplate.FindResources(jsii.String("AWS::S3::Bucket"), nil) {
			if (*res)["DeletionPolicy"] != "Delete" {
				t.Errorf("%s: %v", id, (*res)["DeletionPolicy"])
			}
		}
		optionsTemplate.ResourceCountIs(jsii.String("Custom::S3AutoDeleteObjects"), jsii.Number(5))
	})
}

func TestValidate(t *testing.T) {
	n := func(v int) *int { return &v }
	cases := []struct {
		name  string
		props Props
		want  string
	}{
		{"zero results retention", Props{AthenaResultsRetentionDays: n(0)}, "AthenaResultsRetentionDays: got 0, must be a positive number of days"},
		{"negative noncurrent", Props{NoncurrentVersionExpirationDays: n(-1)}, "NoncurrentVersionExpirationDays: got -1"},
		{"infrequent access too early", Props{RawInfrequentAccessDays: n(29)}, "RawInfrequentAccessDays: got 29, must be at least 30"},
		{"glacier before infrequent access", Props{RawInfrequentAccessDays: n(60), RawGlacierDays: n(40)}, "RawGlacierDays: got 40, must be greater than RawInfrequentAccessDays (60)"},
		{"raw retention inside the reprocessing window", Props{RawRetentionDays: n(29)}, "lakestorage: RawRetentionDays: got 29, must be at least 30 days (the reprocessing window"},
		{"raw expiring before its Glacier move", Props{RawGlacierDays: n(400)}, "lakestorage: RawRetentionDays: got 395, must be greater than RawGlacierDays (400): raw objects would expire before their move to Glacier Instant Retrieval"},
		{"quarantine outliving raw", Props{RawRetentionDays: n(100), QuarantineRetentionDays: n(101)}, "lakestorage: QuarantineRetentionDays: got 101, must be at most RawRetentionDays (100)"},
		{"zero quarantine retention", Props{QuarantineRetentionDays: n(0)}, "lakestorage: QuarantineRetentionDays: got 0, must be a positive number of days"},
		{"snapshot removal policy", Props{RemovalPolicy: awscdk.RemovalPolicy_SNAPSHOT}, "RemovalPolicy: got SNAPSHOT, must be RETAIN_ON_UPDATE_OR_DELETE, RETAIN or DESTROY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.props.withDefaults().validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("defaults are valid", func(t *testing.T) {
		if err := (Props{}).withDefaults().validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("withDefaults does not modify the caller's props", func(t *testing.T) {
		p := Props{}
		_ = p.withDefaults()
		if p.RawGlacierDays != nil || p.RemovalPolicy != "" {
			t.Fatalf("caller's props changed: %+v", p)
		}
	})
	t.Run("New panics on invalid props", func(t *testing.T) {
		constructtest.Panics(t, "RawGlacierDays", func() {
			stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil)
			New(stack, jsii.String("Storage"), &Props{RawGlacierDays: n(1)})
		})
	})
}
