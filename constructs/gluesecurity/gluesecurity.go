// Package gluesecurity provides the Glue security configuration shared by the crawler and the
// ETL job: SSE-KMS for the job's S3 writes, KMS-encrypted CloudWatch logs and client-side
// KMS encryption of job bookmarks, all with one customer-managed key.
package gluesecurity

import (
	"errors"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/clickstream-analytics/datalake/internal/nag"
	"github.com/clickstream-analytics/datalake/internal/props"
)

// Props configures the security configuration.
type Props struct {
	// SecurityConfigurationName names the configuration. Required: letters, digits, hyphens
	// and underscores, at most 255 characters.
	SecurityConfigurationName *string
	// EncryptionKey encrypts S3 writes, CloudWatch logs and job bookmarks. Required. When it
	// is a key of this app, its policy is extended so CloudWatch Logs may use it for Glue log
	// groups; an imported key's policy must already allow that.
	EncryptionKey awskms.IKey
	// RemovalPolicy of the (named) security configuration. Default: props.DefaultRemovalPolicy
	// (RETAIN_ON_UPDATE_OR_DELETE: kept on update and deletion, removed when its own creation fails).
	RemovalPolicy awscdk.RemovalPolicy
}

func (p Props) withDefaults() Props {
	p.RemovalPolicy = props.RemovalPolicyOr(p.RemovalPolicy)
	return p
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

func (p Props) validate() error {
	var errs []error
	if err := props.Name("gluesecurity", "SecurityConfigurationName", p.SecurityConfigurationName, namePattern,
		"be 1-255 letters, digits, hyphens or underscores"); err != nil {
		errs = append(errs, err)
	}
	if p.EncryptionKey == nil {
		errs = append(errs, errors.New("gluesecurity: EncryptionKey: required"))
	}
	errs = append(errs, props.RetainOrDestroy("gluesecurity", p.RemovalPolicy))
	return errors.Join(errs...)
}

// GlueSecurity is the encryption setup of the Glue crawler and jobs.
type GlueSecurity interface {
	constructs.Construct
	// SecurityConfiguration is attached to crawlers and jobs.
	SecurityConfiguration() awsglue.ISecurityConfiguration
	// SecurityConfigurationName is the configuration's name.
	SecurityConfigurationName() *string
	// EncryptionKey is the key of every encryption setting.
	EncryptionKey() awskms.IKey
	// GrantWriteLogs lets grantee create and write the encrypted Glue log groups matching
	// logGroups (JobLogGroups or CrawlerLogGroups) and associate them with the key.
	GrantWriteLogs(grantee awsiam.IGrantable, logGroups string) awsiam.Grant
}

type glueSecurity struct {
	constructs.Construct
	config awsglue.SecurityConfiguration
	key    awskms.IKey
}

// New creates the security configuration. It panics on invalid props, which fails synth.
func New(scope constructs.Construct, id *string, props *Props) GlueSecurity {
	if props == nil {
		props = &Props{}
	}
	p := props.withDefaults()
	if err := p.validate(); err != nil {
		panic(err)
	}
	s := &glueSecurity{Construct: constructs.NewConstruct(scope, id), key: p.EncryptionKey}
	s.config = awsglue.NewSecurityConfiguration(s.Construct, jsii.String(ResourceID), &awsglue.SecurityConfigurationProps{
		SecurityConfigurationName: p.SecurityConfigurationName,
		S3Encryption:              awsglue.S3Encryption_Kms(p.EncryptionKey),
		CloudWatchEncryption:      awsglue.CloudWatchEncryption_Kms(p.EncryptionKey),
		JobBookmarksEncryption:    awsglue.JobBookmarksEncryption_ClientSideKms(p.EncryptionKey),
	})
	s.config.ApplyRemovalPolicy(p.RemovalPolicy)

	// CloudWatch Logs encrypts with the key itself, so the key policy (not a role) must allow
	// it, limited by the encryption context to Glue's log groups in this account and region.
	stack := awscdk.Stack_Of(s.Construct)
	p.EncryptionKey.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchLogsForGlueLogGroups"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("logs."+*stack.Region()+"."+*stack.UrlSuffix()), nil)},
		Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{
			"ArnLike": map[string]any{"kms:EncryptionContext:aws:logs:arn": LogGroupsArn(stack, GlueLogGroups)},
		},
	}), jsii.Bool(true))
	return s
}

// JobLogsSuppression accepts the wildcard of GrantWriteLogs(grantee, JobLogGroups) on a job's
// role: the one place that explains it for every Glue job.
func JobLogsSuppression(scope constructs.IConstruct) *cdknag.NagPackSuppression {
	return &cdknag.NagPackSuppression{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("Glue names the job's encrypted log groups after the security configuration and the role " +
			"(/aws-glue/jobs/<configuration>-role/<role>/output, error, logs-v2); the grant is limited to job log groups of this account and region."),
		AppliesTo: &[]any{nag.Resource(scope, LogGroupsArn(scope, JobLogGroups), "")},
	}
}

// LogGroupsArn is the ARN pattern of the log groups logGroups (JobLogGroups, CrawlerLogGroups,
// GlueLogGroups) in scope's account and region.
func LogGroupsArn(scope constructs.IConstruct, logGroups string) *string {
	return awscdk.Stack_Of(scope).FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("logs"),
		Resource:     jsii.String("log-group"),
		ResourceName: jsii.String(logGroups),
		ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
}

func (s *glueSecurity) SecurityConfiguration() awsglue.ISecurityConfiguration { return s.config }
func (s *glueSecurity) SecurityConfigurationName() *string {
	return s.config.SecurityConfigurationName()
}
func (s *glueSecurity) EncryptionKey() awskms.IKey { return s.key }

func (s *glueSecurity) GrantWriteLogs(grantee awsiam.IGrantable, logGroups string) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"),
		ResourceArns: &[]*string{LogGroupsArn(s.Construct, logGroups)},
	})
}
