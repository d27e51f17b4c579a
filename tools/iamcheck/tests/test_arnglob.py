from __future__ import annotations

import pytest

from iamcheck import arnglob


def tokens(reference, service, name):
    return list(reference.resource_type(service, name).tokens)


@pytest.mark.parametrize(
    ("glob", "service", "type_name", "want"),
    [
        # Glue: the root catalog is the literal `catalog`; a named catalog needs a name.
        (
            "arn:aws:glue:us-east-1:1:catalog",
            "glue",
            "rootcatalog",
            "arn:aws:glue:us-east-1:1:catalog",
        ),
        ("arn:aws:glue:us-east-1:1:catalog", "glue", "catalog", None),
        (
            "arn:aws:glue:us-east-1:1:database/db",
            "glue",
            "database",
            "arn:aws:glue:us-east-1:1:database/db",
        ),
        ("arn:aws:glue:us-east-1:1:database/db", "glue", "table", None),
        (
            "arn:aws:glue:us-east-1:1:table/db/*",
            "glue",
            "table",
            "arn:aws:glue:us-east-1:1:table/db/x",
        ),
        ("arn:aws:glue:us-east-1:1:table/db/raw_*", "glue", "database", None),
        # S3: a bucket name holds no `/` (the object pattern continues the bucket's with it).
        ("arn:aws:s3:::bucket", "s3", "bucket", "arn:aws:s3:::bucket"),
        ("arn:aws:s3:::bucket", "s3", "object", None),
        (
            "arn:aws:s3:::bucket/events/*",
            "s3",
            "object",
            "arn:aws:s3:::bucket/events/x",
        ),
        ("arn:aws:s3:::bucket/events/*", "s3", "bucket", None),
        # A star spans `:`, as in IAM: a log-group glob covers the streams of its groups.
        (
            "arn:aws:logs:us-east-1:1:log-group:/aws-glue/jobs/*",
            "logs",
            "log-stream",
            "arn:aws:logs:us-east-1:1:log-group:/aws-glue/jobs/x:log-stream:x",
        ),
        (
            "arn:aws:logs:us-east-1:1:log-group:/aws-glue/jobs",
            "logs",
            "log-stream",
            None,
        ),
        (
            "arn:aws:logs:us-east-1:1:log-group:/aws-glue/jobs",
            "logs",
            "log-group",
            "arn:aws:logs:us-east-1:1:log-group:/aws-glue/jobs",
        ),
        ("arn:aws:athena:us-east-1:1:workgroup/wg", "athena", "datacatalog", None),
        ("arn:aws:kms:*:1:key/?bc", "kms", "key", "arn:aws:kms:x:1:key/xbc"),
    ],
)
def test_witness(reference, glob, service, type_name, want):
    assert arnglob.witness(glob, tokens(reference, service, type_name)) == want


def test_variables_exclude_the_separator_that_follows_them():
    tokens = arnglob.pattern_tokens(
        "arn:${Partition}:glue:${Region}:${Account}:table/${DatabaseName}/${TableName}"
    )
    variables = [t for t in tokens if isinstance(t, arnglob.Var)]
    assert [(v.name, sorted(v.excluded)) for v in variables] == [
        ("Partition", [":"]),
        ("Region", [":"]),
        ("Account", [":"]),
        ("DatabaseName", ["/"]),
        ("TableName", []),
    ]


def test_continuations_come_from_sibling_patterns():
    siblings = [
        "arn:${Partition}:s3:::${BucketName}",
        "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
    ]
    assert arnglob.continuations(siblings[0], siblings) == frozenset("/")
    assert arnglob.continuations(siblings[1], siblings) == frozenset()
