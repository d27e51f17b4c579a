package catalog

// Defaults of Props. Tests assert each one in the synthesized template.
const (
	// DefaultProjectionStartDate is the first date Athena's partition projection considers.
	DefaultProjectionStartDate = "2020-01-01"
	// ProjectionEnd ends the projected range one day in the future: the ETL accepts events up
	// to one day after the run's reference time (later ones are quarantined as future_timestamp).
	ProjectionEnd = "NOW+1DAYS"
)

// Construct IDs of the stateful children: renaming one replaces the resource. Each curated
// table's ID is TableID(name).
const (
	DatabaseID = "Database"
	// TableIDSuffix ends every curated table's construct ID.
	TableIDSuffix = "Table"
)

// TableReadActions are the Glue actions a table read needs: those awsglue's Table.GrantRead
// gives on the table ARNs, which GrantRead also gives on the catalog and database ARNs.
var TableReadActions = []string{
	"glue:BatchGetPartition",
	"glue:GetPartition",
	"glue:GetPartitions",
	"glue:GetTable",
	"glue:GetTables",
	"glue:GetTableVersion",
	"glue:GetTableVersions",
}
