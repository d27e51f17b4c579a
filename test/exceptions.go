// Package test holds the cross-cutting gates over every environment's synthesized template:
// cdk-nag findings, template invariants and the pinned logical IDs of stateful resources.
// cfn-lint and checkov run over cdk.out from mk/scan.mk.
//
// This file is the ONE place where an invariant admits an exception, each with its reason.
package test

// iamException admits one kind of Allow statement with a wildcard action: only in the
// policy document at Property of a resource of ResourceType, only for Action, only when the
// statement's Principal is exactly Principal.
type iamException struct {
	ResourceType, Property, Action string
	Principal                      any
	Reason                         string
}

// accountRoot is the principal "this account" (arn:<partition>:iam::<account>:root) as CDK
// renders it.
var accountRoot = map[string]any{"AWS": map[string]any{"Fn::Join": []any{"", []any{
	"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::", map[string]any{"Ref": "AWS::AccountId"}, ":root",
}}}}

var iamExceptions = []iamException{{
	ResourceType: "AWS::KMS::Key",
	Property:     "KeyPolicy",
	Action:       "kms:*",
	Principal:    accountRoot,
	Reason: "the default key policy: it delegates the key's access control to IAM in the owning account " +
		"(the resource \"*\" of a key policy is the key itself). Without it no IAM policy could grant " +
		"use of the key and the key could become unmanageable; grants to roles stay least-privilege.",
}}
