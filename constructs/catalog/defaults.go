package catalog

import (
	"fmt"

	"github.com/clickstream-analytics/datalake/contract"
)

// Defaults of Props. Tests assert each one in the synthesized template.
const (
	// DefaultProjectionStartDate is the first date Athena's partition projection considers.
	DefaultProjectionStartDate = "2020-01-01"
)

// ProjectionEnd ends the projected range after the newest date the ETL can write: it accepts
// events up to contract.FutureToleranceDays after the run's reference time (later ones are
// quarantined as future_timestamp), and their local date in a reporting time zone ahead of UTC
// (up to UTC+14) is one more day after Athena's NOW (UTC).
var ProjectionEnd = fmt.Sprintf("NOW+%dDAYS", contract.FutureToleranceDays+1)

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
