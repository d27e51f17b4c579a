// Package lakestorage provides the data lake's storage: raw, curated, Athena-results, assets
// and access-log buckets under one customer-managed KMS key, secure by default.
package lakestorage

import (
	"errors"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Props configures LakeStorage. Every field is optional.
type Props struct {
	// EncryptionKey encrypts the raw, curated, results and assets buckets.
	// Default: - a customer-managed KMS key with yearly rotation is created.
	EncryptionKey awskms.IKey
	// RawInfrequentAccessDays moves raw objects to Standard-IA. Must be at least 30.
	// Default: config.DefaultRawInfrequentAccessDays (30).
	RawInfrequentAccessDays *int
	// RawGlacierDays moves raw objects to Glacier Instant Retrieval; after RawInfrequentAccessDays.
	// Default: config.DefaultRawGlacierDays (90).
	RawGlacierDays *int
	// RawRetentionDays expires raw objects (the whole raw bucket: events and delivery errors),
	// after RawGlacierDays (config.RawRetentionDays). Default: config.DefaultRawRetentionDays (395).
	RawRetentionDays *int
	// QuarantineRetentionDays expires the quarantine table's files (raw lines), at most
	// RawRetentionDays. Default: config.DefaultQuarantineRetentionDays (30).
	QuarantineRetentionDays *int
	// AthenaResultsRetentionDays expires query results. Default: config.DefaultAthenaResultsRetentionDays (30).
	AthenaResultsRetentionDays *int
	// NoncurrentVersionExpirationDays expires noncurrent versions of raw and curated objects.
	// Default: DefaultNoncurrentVersionExpirationDays (30).
	NoncurrentVersionExpirationDays *int
	// AccessLogRetentionDays expires server access logs. Default: DefaultAccessLogRetentionDays (365).
	AccessLogRetentionDays *int
	// RemovalPolicy of the buckets and the key. DESTROY also empties the buckets on deletion.
	// Default: props.DefaultRemovalPolicy (RETAIN_ON_UPDATE_OR_DELETE: kept on
	// update and deletion, removed when its own creation fails).
	RemovalPolicy awscdk.RemovalPolicy
}

// withDefaults returns a copy of p with every unset field defaulted; p is not modified.
func (p Props) withDefaults() Props {
	p.RawInfrequentAccessDays = props.IntOr(p.RawInfrequentAccessDays, config.DefaultRawInfrequentAccessDays)
	p.RawGlacierDays = props.IntOr(p.RawGlacierDays, config.DefaultRawGlacierDays)
	p.RawRetentionDays = props.IntOr(p.RawRetentionDays, config.DefaultRawRetentionDays)
	p.QuarantineRetentionDays = props.IntOr(p.QuarantineRetentionDays, config.DefaultQuarantineRetentionDays)
	p.AthenaResultsRetentionDays = props.IntOr(p.AthenaResultsRetentionDays, config.DefaultAthenaResultsRetentionDays)
	p.NoncurrentVersionExpirationDays = props.IntOr(p.NoncurrentVersionExpirationDays, DefaultNoncurrentVersionExpirationDays)
	p.AccessLogRetentionDays = props.IntOr(p.AccessLogRetentionDays, DefaultAccessLogRetentionDays)
	p.RemovalPolicy = props.RemovalPolicyOr(p.RemovalPolicy)
	return p
}

// validate checks defaulted props and reports every problem at once.
func (p Props) validate() error {
	var errs []error
	check := func(name string, r config.Range, v int) bool {
		if msg := r.CheckInt(v); msg != "" {
			errs = append(errs, fmt.Errorf("lakestorage: %s: %s", name, msg))
			return false
		}
		return true
	}
	iaOK := check("RawInfrequentAccessDays", config.RawInfrequentAccessDays, *p.RawInfrequentAccessDays)
	glacierOK := check("RawGlacierDays", config.RetentionDays, *p.RawGlacierDays)
	if g, ia := *p.RawGlacierDays, *p.RawInfrequentAccessDays; glacierOK && iaOK && g <= ia {
		errs = append(errs, fmt.Errorf("lakestorage: RawGlacierDays: got %d, must be greater than RawInfrequentAccessDays (%d)", g, ia))
	}
	rawOK := check("RawRetentionDays", config.RawRetentionDays, *p.RawRetentionDays)
	if r, g := *p.RawRetentionDays, *p.RawGlacierDays; rawOK && glacierOK && r <= g {
		errs = append(errs, fmt.Errorf("lakestorage: RawRetentionDays: got %d, must be greater than RawGlacierDays (%d): raw objects would expire before their move to Glacier Instant Retrieval", r, g))
	}
	if q, r := *p.QuarantineRetentionDays, *p.RawRetentionDays; check("QuarantineRetentionDays", config.RetentionDays, q) && rawOK && q > r {
		errs = append(errs, fmt.Errorf("lakestorage: QuarantineRetentionDays: got %d, must be at most RawRetentionDays (%d): quarantined rows are raw lines", q, r))
	}
	check("AthenaResultsRetentionDays", config.RetentionDays, *p.AthenaResultsRetentionDays)
	check("NoncurrentVersionExpirationDays", config.RetentionDays, *p.NoncurrentVersionExpirationDays)
	check("AccessLogRetentionDays", config.RetentionDays, *p.AccessLogRetentionDays)
	errs = append(errs, props.RetainOrDestroy("lakestorage", p.RemovalPolicy))
	return errors.Join(errs...)
}

// LakeStorage is the lake's storage layer.
type LakeStorage interface {
	constructs.Construct
	// EncryptionKey encrypts every data bucket.
	EncryptionKey() awskms.IKey
	// RawBucket receives raw clickstream events (events/year=/month=/day=/hour=/).
	RawBucket() awss3.IBucket
	// CuratedBucket holds the curated Parquet tables and the ETL's reports and state.
	CuratedBucket() awss3.IBucket
	// AthenaResultsBucket holds Athena query results.
	AthenaResultsBucket() awss3.IBucket
	// AssetsBucket holds Glue temporary files and Spark UI event logs.
	AssetsBucket() awss3.IBucket
	// AccessLogsBucket receives the server access logs of every other bucket.
	AccessLogsBucket() awss3.IBucket
}

type lakeStorage struct {
	constructs.Construct
	key                                      awskms.IKey
	raw, curated, results, assets, accessLog awss3.Bucket
}

// New creates the lake storage. It panics with every validation problem, which fails synth.
func New(scope constructs.Construct, id *string, props *Props) LakeStorage {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	s := &lakeStorage{Construct: constructs.NewConstruct(scope, id)}
	destroy := p.RemovalPolicy == awscdk.RemovalPolicy_DESTROY

	s.key = p.EncryptionKey
	if s.key == nil {
		s.key = awskms.NewKey(s.Construct, jsii.String(KeyID), &awskms.KeyProps{
			Description:       jsii.String("Encrypts the clickstream data lake: raw, curated, query results and Glue assets"),
			EnableKeyRotation: jsii.Bool(true),
			RemovalPolicy:     p.RemovalPolicy,
			PendingWindow:     awscdk.Duration_Days(jsii.Number(30)),
		})
	}

	// Server access logs cannot be delivered to a KMS-encrypted bucket: S3-managed encryption.
	s.accessLog = awss3.NewBucket(s.Construct, jsii.String(AccessLogsID), &awss3.BucketProps{
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(MinimumTLSVersion),
		// ObjectOwnership is left to CDK: it must be ObjectWriter where the
		// serverAccessLogsUseBucketPolicy feature flag is off and log delivery uses ACLs.
		Versioned:         jsii.Bool(true),
		RemovalPolicy:     p.RemovalPolicy,
		AutoDeleteObjects: jsii.Bool(destroy),
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("expire-access-logs"),
			Expiration:                          days(*p.AccessLogRetentionDays),
			NoncurrentVersionExpiration:         days(DefaultAbortIncompleteMultipartUploadDays),
			AbortIncompleteMultipartUploadAfter: days(DefaultAbortIncompleteMultipartUploadDays),
		}},
	})

	dataBucket := func(id, logPrefix string, versioned bool, rules ...*awss3.LifecycleRule) awss3.Bucket {
		return awss3.NewBucket(s.Construct, jsii.String(id), &awss3.BucketProps{
			Encryption:             awss3.BucketEncryption_KMS,
			EncryptionKey:          s.key,
			BucketKeyEnabled:       jsii.Bool(true),
			BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
			EnforceSSL:             jsii.Bool(true),
			MinimumTLSVersion:      jsii.Number(MinimumTLSVersion),
			ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
			Versioned:              jsii.Bool(versioned),
			ServerAccessLogsBucket: s.accessLog,
			ServerAccessLogsPrefix: jsii.String(logPrefix),
			RemovalPolicy:          p.RemovalPolicy,
			AutoDeleteObjects:      jsii.Bool(destroy),
			LifecycleRules:         &rules,
		})
	}
	abortUploads := days(DefaultAbortIncompleteMultipartUploadDays)
	noncurrent := days(*p.NoncurrentVersionExpirationDays)

	s.raw = dataBucket(RawID, "raw/", true, &awss3.LifecycleRule{
		Id: jsii.String("tier-raw-events"),
		Transitions: &[]*awss3.Transition{
			{StorageClass: awss3.StorageClass_INFREQUENT_ACCESS(), TransitionAfter: days(*p.RawInfrequentAccessDays)},
			{StorageClass: awss3.StorageClass_GLACIER_INSTANT_RETRIEVAL(), TransitionAfter: days(*p.RawGlacierDays)},
		},
		Expiration:                          days(*p.RawRetentionDays),
		NoncurrentVersionExpiration:         noncurrent,
		AbortIncompleteMultipartUploadAfter: abortUploads,
	})
	s.curated = dataBucket(CuratedID, "curated/", true, &awss3.LifecycleRule{
		Id:                                  jsii.String("expire-noncurrent-curated"),
		NoncurrentVersionExpiration:         noncurrent,
		AbortIncompleteMultipartUploadAfter: abortUploads,
	}, &awss3.LifecycleRule{
		// Quarantined rows are whole raw lines: they go with the raw data, or sooner.
		Id:         jsii.String("expire-quarantine"),
		Prefix:     jsii.String(QuarantinePrefix),
		Expiration: days(*p.QuarantineRetentionDays),
	}, &awss3.LifecycleRule{
		// Requests name the visitors to erase; once processed only hashes are kept (state).
		Id:         jsii.String("expire-erasure-requests"),
		Prefix:     jsii.String(ErasureRequestsPrefix),
		Expiration: days(DefaultErasureRequestRetentionDays),
	})
	s.results = dataBucket(ResultsID, "athena-results/", false, &awss3.LifecycleRule{
		Id:                                  jsii.String("expire-query-results"),
		Expiration:                          days(*p.AthenaResultsRetentionDays),
		AbortIncompleteMultipartUploadAfter: abortUploads,
	})
	s.assets = dataBucket(AssetsID, "assets/", false,
		&awss3.LifecycleRule{Id: jsii.String("expire-glue-temp"), Prefix: jsii.String(TempPrefix), Expiration: days(DefaultTempRetentionDays)},
		&awss3.LifecycleRule{Id: jsii.String("expire-spark-ui-logs"), Prefix: jsii.String(SparkUILogsPrefix), Expiration: days(DefaultTempRetentionDays)},
		&awss3.LifecycleRule{Id: jsii.String("abort-incomplete-uploads"), AbortIncompleteMultipartUploadAfter: abortUploads},
	)
	s.suppressScannerFindings(destroy)
	return s
}

func days(n int) awscdk.Duration { return awscdk.Duration_Days(jsii.Number(float64(n))) }

func (s *lakeStorage) EncryptionKey() awskms.IKey         { return s.key }
func (s *lakeStorage) RawBucket() awss3.IBucket           { return s.raw }
func (s *lakeStorage) CuratedBucket() awss3.IBucket       { return s.curated }
func (s *lakeStorage) AthenaResultsBucket() awss3.IBucket { return s.results }
func (s *lakeStorage) AssetsBucket() awss3.IBucket        { return s.assets }
func (s *lakeStorage) AccessLogsBucket() awss3.IBucket    { return s.accessLog }
