package stacks

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/internal/nag"
)

// LoadEnvironments reads the "environments" context (cdk.json) and the optional "env"
// selector (`-c env=prod`) of the app and returns the validated environments.
func LoadEnvironments(app awscdk.App) ([]config.Environment, error) {
	raw, err := json.Marshal(app.Node().TryGetContext(jsii.String(config.ContextKey)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", config.ContextKey, err)
	}
	selected := ""
	if v := app.Node().TryGetContext(jsii.String(config.SelectContextKey)); v != nil {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%s: got %v, must be an environment name", config.SelectContextKey, v)
		}
		selected = s
	}
	return config.Parse(raw, selected)
}

// Build adds one stack per environment to the app and returns them in environment order.
// Every stack is checked against cdk-nag's AwsSolutions pack: an unsuppressed finding is an
// error or warning annotation on the offending resource, which test/ turns into a failure.
func Build(app awscdk.App, envs []config.Environment) []awscdk.Stack {
	stacks := make([]awscdk.Stack, 0, len(envs))
	for _, env := range envs {
		stack := NewClickstreamStack(app, jsii.String(env.StackName()), &ClickstreamStackProps{Environment: env})
		awscdk.Aspects_Of(stack).Add(nag.Checks(), nil)
		stacks = append(stacks, stack)
	}
	return stacks
}
