// Command envconfig prints the environments of cdk.json exactly as the CDK app sees them:
// parsed, defaulted and validated by config.Parse, as JSON keyed by environment name. Tools
// outside Go (make cost) read it, so no default is retyped in another language.
//
//	go run ./cmd/envconfig [-cdk-json cdk.json] [-env prod] [-names]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/clickstream-analytics/datalake/config"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "envconfig:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	flags := flag.NewFlagSet("envconfig", flag.ContinueOnError)
	path := flags.String("cdk-json", "cdk.json", "the CDK app file holding context."+config.ContextKey)
	env := flags.String("env", "", "print only this environment (default: all)")
	names := flags.Bool("names", false, "print only the environment names, one a line")
	if err := flags.Parse(args); err != nil {
		return err
	}
	envs, err := load(*path, *env)
	if err != nil {
		return err
	}
	if *names {
		for _, e := range envs {
			if _, err := fmt.Fprintln(out, e.Name); err != nil {
				return err
			}
		}
		return nil
	}
	byName := make(map[string]config.Environment, len(envs))
	for _, e := range envs {
		byName[e.Name] = e
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(byName)
}

// load reads context.environments of a cdk.json file and parses it as the app does.
func load(path, selected string) ([]config.Environment, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Context map[string]json.RawMessage `json:"context"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	raw, ok := file.Context[config.ContextKey]
	if !ok {
		return nil, errors.New(path + ": no context." + config.ContextKey)
	}
	return config.Parse(raw, selected)
}
