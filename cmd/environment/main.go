// Command environment prints one environment of cdk.json as JSON, for tools outside Go (the
// post-deploy smoke check): its stack name, account, region, whether it is a production
// environment (config's Environment.IsProduction) and whether QuickSight is enabled.
//
//	go run ./cmd/environment dev
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/clickstream-analytics/datalake/config"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "environment:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) != 1 || args[0] == "" {
		return fmt.Errorf("usage: go run ./cmd/environment <name>")
	}
	data, err := os.ReadFile("cdk.json")
	if err != nil {
		return err
	}
	var cdkJSON struct {
		Context map[string]json.RawMessage `json:"context"`
	}
	if err := json.Unmarshal(data, &cdkJSON); err != nil {
		return fmt.Errorf("cdk.json: %w", err)
	}
	envs, err := config.Parse(cdkJSON.Context[config.ContextKey], args[0])
	if err != nil {
		return err
	}
	if len(envs) != 1 {
		return fmt.Errorf("%s: got %d environments, want 1", args[0], len(envs))
	}
	env := envs[0]
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{
		"name":              env.Name,
		"stackName":         env.StackName(),
		"account":           env.Account,
		"region":            env.Region,
		"production":        env.IsProduction(),
		"quickSightEnabled": env.QuickSight.Enabled,
	})
}
