package crawler

// Defaults of Props. Tests assert each one in the synthesized template.
const (
	// DefaultTablePrefix names the crawled tables (raw_events), keeping them apart from the
	// curated tables the crawler's role may not touch.
	DefaultTablePrefix = "raw_"
	// TableLevel is the S3 path level of the table folder (bucket = 1, events/ = 2): every
	// partition folder below it groups into one table.
	TableLevel = 2
	// TableGroupingPolicy merges compatible schemas of all folders into one table.
	TableGroupingPolicy = "CombineCompatibleSchemas"
	// PartitionUpdateBehavior makes new partitions inherit the table's schema.
	PartitionUpdateBehavior = "InheritFromTable"
	// RecrawlBehavior crawls only folders added since the last crawl.
	RecrawlBehavior = "CRAWL_NEW_FOLDERS_ONLY"
	// SchemaChangeBehavior is LOG for updates and deletes: the only policy Glue accepts with
	// incremental crawls, and it never drops a table or column.
	SchemaChangeBehavior = "LOG"
)

// DefaultExclusions skips files that are not data: Spark/Hadoop markers and checksums,
// temporary and hidden files, S3 console folder markers and metadata files.
var DefaultExclusions = []string{
	"**/_SUCCESS",
	"**/*.crc",
	"**/_temporary/**",
	"**/*.tmp",
	"**/.*",
	"**/*_$folder$",
	"**/_metadata",
	"**/_common_metadata",
	"**/*.metadata",
}

// Construct IDs of the children.
const (
	ResourceID = "Resource"
	RoleID     = "Role"
)
