"""The stack outputs the smoke check reads: the CfnOutput keys of ClickstreamAnalytics-<env>."""

RAW_BUCKET = "RawBucketName"
CURATED_BUCKET = "CuratedBucketName"
ATHENA_RESULTS_BUCKET = "AthenaResultsBucketName"
DATABASE = "DatabaseName"
WORKGROUP = "WorkGroupName"
WORKFLOW = "WorkflowName"
JOB = "JobName"
CRAWLER = "CrawlerName"
FAILURE_TOPIC = "FailureTopicArn"
# Only when QuickSight is enabled in the environment.
DASHBOARD = "DashboardId"

REQUIRED = (
    RAW_BUCKET,
    CURATED_BUCKET,
    ATHENA_RESULTS_BUCKET,
    DATABASE,
    WORKGROUP,
    WORKFLOW,
    JOB,
    CRAWLER,
    FAILURE_TOPIC,
)
