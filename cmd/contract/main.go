// Command contract prints the curated data contract as JSON, so the Glue script's tests
// compare what the script writes with the tables CDK declares.
package main

import (
	"encoding/json"
	"os"

	"github.com/clickstream-analytics/datalake/contract"
)

func main() {
	out := map[string]any{
		"tables":                 contract.Tables(),
		"rawEvent":               contract.RawEvent(),
		"jobArguments":           contract.JobArgumentNames(),
		"optionalJobArguments":   contract.OptionalJobArgumentNames(),
		"partitionDateFormat":    contract.PartitionDateFormat,
		"newVisitorLookbackDays": contract.NewVisitorLookbackDays,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		os.Stderr.WriteString("contract: " + err.Error() + "\n")
		os.Exit(1)
	}
}
