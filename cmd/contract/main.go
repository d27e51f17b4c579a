// Command contract prints the curated data contract as JSON (contract.JSON): the Glue
// script, the SQL harness and the tools read the tables and job arguments from it, and the
// script's tests compare what it writes with the tables CDK declares.
package main

import (
	"os"

	"github.com/clickstream-analytics/datalake/contract"
)

func main() {
	if _, err := os.Stdout.Write(contract.JSON()); err != nil {
		os.Stderr.WriteString("contract: " + err.Error() + "\n")
		os.Exit(1)
	}
}
