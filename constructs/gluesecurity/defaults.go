package gluesecurity

// Log group patterns Glue writes to. Glue derives the exact names from the security
// configuration and the role (e.g. /aws-glue/jobs/<config>-role/<role>/output,
// /aws-glue/crawlers-role/<role>-<config>), so grants are scoped to these families.
const (
	// JobLogGroups holds the output, error and continuous logs of Glue jobs.
	JobLogGroups = "/aws-glue/jobs/*"
	// CrawlerLogGroups holds the logs of Glue crawlers.
	CrawlerLogGroups = "/aws-glue/crawlers*"
	// GlueLogGroups is every Glue log group: the key policy lets CloudWatch Logs use the key
	// only for these.
	GlueLogGroups = "/aws-glue/*"
)

// ResourceID is the construct ID of the security configuration.
const ResourceID = "Resource"
