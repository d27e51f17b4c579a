"""Intrinsics in policies resolve to ARNs; principals collect every statement attached to them."""

from __future__ import annotations

import pytest

from iamcheck.template import SynthContext, Unresolvable, principals, resolve

TEMPLATE = {
    "Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
        "Named": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": {"Fn::Sub": "logs-${AWS::AccountId}"}},
        },
        "Key": {"Type": "AWS::KMS::Key", "Properties": {}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}},
        "Db": {
            "Type": "AWS::Glue::Database",
            "Properties": {"DatabaseInput": {"Name": "shop_dev"}},
        },
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/service/"}},
        "Stream": {
            "Type": "AWS::KinesisFirehose::DeliveryStream",
            "Properties": {"DeliveryStreamName": "shop-dev-events"},
        },
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
    }
}
CTX = SynthContext(TEMPLATE, "App")


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ({"Ref": "AWS::Partition"}, "aws"),
        ({"Ref": "Db"}, "shop_dev"),
        ({"Ref": "Bucket"}, "bucket"),
        ({"Ref": "Named"}, "logs-123456789012"),
        ({"Ref": "Topic"}, "arn:aws:sns:us-east-1:123456789012:topic"),
        ({"Fn::GetAtt": ["Bucket", "Arn"]}, "arn:aws:s3:::bucket"),
        ({"Fn::GetAtt": "Key.Arn"}, "arn:aws:kms:us-east-1:123456789012:key/key"),
        (
            {"Fn::GetAtt": ["Role", "Arn"]},
            "arn:aws:iam::123456789012:role/service/role",
        ),
        (
            {"Fn::GetAtt": ["Stream", "Arn"]},
            "arn:aws:firehose:us-east-1:123456789012:deliverystream/shop-dev-events",
        ),
        (
            {"Fn::GetAtt": ["Logs", "Arn"]},
            "arn:aws:logs:us-east-1:123456789012:log-group:logs:*",
        ),
        (
            {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/events/*"]]},
            "arn:aws:s3:::bucket/events/*",
        ),
        (
            {
                "Fn::Sub": "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/${Db}"
            },
            "arn:aws:glue:us-east-1:123456789012:database/shop_dev",
        ),
        (
            {"Fn::Sub": ["${B}/${!Literal}", {"B": {"Fn::GetAtt": ["Bucket", "Arn"]}}]},
            "arn:aws:s3:::bucket/${Literal}",
        ),
        ({"Fn::Sub": "${Bucket.Arn}/*"}, "arn:aws:s3:::bucket/*"),
        ({"Fn::Select": [1, {"Fn::Split": [",", "a,b,c"]}]}, "b"),
        (["*", {"Ref": "AWS::URLSuffix"}], ["*", "amazonaws.com"]),
    ],
)
def test_resolve(value, want):
    assert resolve(value, CTX) == want


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"Ref": "AWS::NotificationARNs"},
            "Ref AWS::NotificationARNs: pseudo parameter not supported",
        ),
        (
            {"Fn::GetAtt": ["Db", "Arn"]},
            "ARN of Db (AWS::Glue::Database): resource type not supported",
        ),
        (
            {"Fn::GetAtt": ["Bucket", "DomainName"]},
            "Fn::GetAtt Bucket.DomainName (AWS::S3::Bucket): attribute not supported",
        ),
        ({"Fn::If": ["C", "a", "b"]}, "Fn::If: intrinsic not supported in policies"),
        ({"Ref": "Nope"}, "Nope: no such resource in the template"),
    ],
)
def test_unresolvable(value, message):
    with pytest.raises(
        Unresolvable, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        resolve(value, CTX)


def test_principals_collect_inline_attached_and_external_policies():
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    tpl = {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "Policies": [
                        {
                            "PolicyName": "p",
                            "PolicyDocument": {"Statement": [statement]},
                        }
                    ]
                },
                "Metadata": {"aws:cdk:path": "App/Role/Resource"},
            },
            "Policy": {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyDocument": {"Statement": statement},
                    "Roles": [{"Ref": "Role"}, "imported-role"],
                },
            },
        }
    }
    found = {p.logical_id: p for p in principals(tpl, SynthContext(tpl))}
    assert set(found) == {"Role", "role:imported-role"}
    assert [s.policy for s in found["Role"].statements] == ["Role", "Policy"]
    assert found["Role"].label == "Role (App/Role/Resource)"
    assert found["role:imported-role"].statements[0].actions == ("s3:GetObject",)
