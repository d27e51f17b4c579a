package test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"testing"
)

// Template invariants, our own checks over every environment's template, independent of the
// scanners. A failure names the resource and the rule it breaks.

// retainedTypes hold data: where an environment keeps data, deleting the stack or replacing
// the resource must never delete them.
var retainedTypes = []string{"AWS::S3::Bucket", "AWS::KMS::Key", "AWS::Glue::Database", "AWS::Glue::Table"}

func violation(t *testing.T, r resource, rule, format string, args ...any) {
	t.Helper()
	t.Errorf("%s (%s) breaks %q: %s", r.LogicalID, r.Type, rule, fmt.Sprintf(format, args...))
}

func TestBuckets(t *testing.T) {
	forEachEnvironment(t, func(t *testing.T, env environment) {
		buckets := env.resources("AWS::S3::Bucket")
		if len(buckets) == 0 {
			t.Fatal("no bucket in the template")
		}
		policies := env.resources("AWS::S3::BucketPolicy")
		logDestinations := map[string]bool{}
		for _, b := range buckets {
			if dest, ok := dig(b.Properties, "LoggingConfiguration", "DestinationBucketName").(map[string]any); ok {
				if ref, ok := dest["Ref"].(string); ok {
					logDestinations[ref] = true
				}
			}
		}
		for _, b := range buckets {
			t.Run(b.LogicalID, func(t *testing.T) {
				if !encrypted(b) {
					violation(t, b, "every bucket is encrypted", "BucketEncryption sets no SSEAlgorithm")
				}
				if !sslOnly(b, policies) {
					violation(t, b, "every bucket is SSL-only", "no bucket policy denies s3:* to every principal on the bucket and its objects when aws:SecureTransport is false")
				}
				for _, flag := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
					if dig(b.Properties, "PublicAccessBlockConfiguration", flag) != true {
						violation(t, b, "every bucket blocks public access", "PublicAccessBlockConfiguration.%s is not true", flag)
					}
				}
				// The log destination itself is the one bucket that cannot log (to itself).
				if dig(b.Properties, "LoggingConfiguration", "DestinationBucketName") == nil && !logDestinations[b.LogicalID] {
					violation(t, b, "every bucket is access-logged", "no LoggingConfiguration.DestinationBucketName, and no bucket logs to it")
				}
			})
		}
	})
}

func encrypted(b resource) bool {
	rules, _ := dig(b.Properties, "BucketEncryption", "ServerSideEncryptionConfiguration").([]any)
	for _, r := range rules {
		if alg, _ := dig(r, "ServerSideEncryptionByDefault", "SSEAlgorithm").(string); alg != "" {
			return true
		}
	}
	return false
}

// sslOnly looks for CDK's enforceSSL statement: Deny s3:* to everyone on the bucket and its
// objects unless the request came over TLS.
func sslOnly(b resource, policies []resource) bool {
	arn := map[string]any{"Fn::GetAtt": []any{b.LogicalID, "Arn"}}
	objects := map[string]any{"Fn::Join": []any{"", []any{arn, "/*"}}}
	for _, p := range policies {
		if !reflect.DeepEqual(p.Properties["Bucket"], map[string]any{"Ref": b.LogicalID}) {
			continue
		}
		for _, s := range statements(dig(p.Properties, "PolicyDocument")) {
			if s["Effect"] != "Deny" || dig(s, "Condition", "Bool", "aws:SecureTransport") != "false" {
				continue
			}
			everyone := s["Principal"] == "*" || dig(s, "Principal", "AWS") == "*"
			allActions := contains(asList(s["Action"]), "s3:*") || contains(asList(s["Action"]), "*")
			resources := asList(s["Resource"])
			if everyone && allActions && contains(resources, arn) && contains(resources, objects) {
				return true
			}
		}
	}
	return false
}

// wildcardAction matches "*" and "service:*".
var wildcardAction = regexp.MustCompile(`^(\*|[A-Za-z0-9-]+:\*)$`)

func TestIAMStatements(t *testing.T) {
	used := make([]bool, len(iamExceptions))
	forEachEnvironment(t, func(t *testing.T, env environment) {
		t.Run("no Allow statement with action * or service:*", func(t *testing.T) {
			for _, r := range env.resources() {
				for prop, value := range r.Properties {
					walkPolicies(value, prop, func(path string, s map[string]any) {
						if s["Effect"] != "Allow" {
							return // Deny s3:* is how SSL-only is enforced
						}
						if s["NotAction"] != nil {
							violation(t, r, "no IAM statement allows * or service:*", "%s allows NotAction %v, i.e. every other action", path, s["NotAction"])
						}
						for _, a := range asList(s["Action"]) {
							action, _ := a.(string)
							if !wildcardAction.MatchString(action) {
								continue
							}
							if i := exceptionFor(r, prop, action, s); i >= 0 {
								used[i] = true
								continue
							}
							violation(t, r, "no IAM statement allows * or service:*", "%s allows %q on %s; list the exact actions, or justify a scoped exception in test/exceptions.go", path, action, compact(s["Resource"]))
						}
					})
				}
			}
		})
	})
	t.Run("every exception is still needed", func(t *testing.T) {
		for i, e := range iamExceptions {
			if !used[i] {
				t.Errorf("exception for %s %s %s matched no statement: remove it from test/exceptions.go", e.ResourceType, e.Property, e.Action)
			}
		}
	})
}

func exceptionFor(r resource, prop, action string, s map[string]any) int {
	for i, e := range iamExceptions {
		if e.ResourceType == r.Type && e.Property == prop && e.Action == action && reflect.DeepEqual(e.Principal, s["Principal"]) {
			return i
		}
	}
	return -1
}

// walkPolicies calls f for every statement of every policy document below v (a role's
// inline policies, a bucket or key policy, a managed policy...), so a new resource type with
// a policy is checked without being listed here.
func walkPolicies(v any, path string, f func(path string, statement map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["Statement"]; ok {
			for i, s := range statements(x) {
				f(fmt.Sprintf("%s.Statement[%d]", path, i), s)
			}
			return
		}
		for k, child := range x {
			walkPolicies(child, path+"."+k, f)
		}
	case []any:
		for i, child := range x {
			walkPolicies(child, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

func TestKMSKeysRotate(t *testing.T) {
	forEachEnvironment(t, func(t *testing.T, env environment) {
		for _, k := range env.resources("AWS::KMS::Key") {
			if k.Properties["EnableKeyRotation"] != true {
				violation(t, k, "every KMS key rotates", "EnableKeyRotation is %v", k.Properties["EnableKeyRotation"])
			}
		}
	})
}

func TestStatefulResourcesRetained(t *testing.T) {
	forEachEnvironment(t, func(t *testing.T, env environment) {
		if env.config.AllowDestroyData {
			t.Run("buckets that are deleted are emptied first", func(t *testing.T) {
				emptied := map[string]bool{}
				for _, c := range env.resources("Custom::S3AutoDeleteObjects") {
					if ref, ok := dig(c.Properties, "BucketName", "Ref").(string); ok {
						emptied[ref] = true
					}
				}
				for _, b := range env.resources("AWS::S3::Bucket") {
					if b.DeletionPolicy == "Delete" && !emptied[b.LogicalID] {
						violation(t, b, "a deleted bucket is emptied first", "DeletionPolicy Delete without autoDeleteObjects: stack deletion would fail on a non-empty bucket")
					}
				}
			})
			return
		}
		t.Run("stateful resources are retained", func(t *testing.T) {
			for _, r := range env.resources(retainedTypes...) {
				if r.DeletionPolicy != "RetainExceptOnCreate" || r.UpdateReplacePolicy != "Retain" {
					violation(t, r, "stateful resources are retained where data is kept",
						"DeletionPolicy %v, UpdateReplacePolicy %v; want RetainExceptOnCreate and Retain (environment %s keeps data; a failed creation leaves nothing behind)", r.DeletionPolicy, r.UpdateReplacePolicy, env.config.Name)
				}
			}
		})
	})
}

// statements returns a policy document's statements; CloudFormation allows a single object.
func statements(doc any) []map[string]any {
	var out []map[string]any
	for _, s := range asList(dig(doc, "Statement")) {
		if m, ok := s.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// dig follows keys through nested maps; nil when any is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// asList returns v as a list: CloudFormation accepts a single value where a list is expected.
func asList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	default:
		return []any{x}
	}
}

// compact renders a template value as one line of JSON.
func compact(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

func contains(list []any, want any) bool {
	for _, v := range list {
		if reflect.DeepEqual(v, want) {
			return true
		}
	}
	return false
}
