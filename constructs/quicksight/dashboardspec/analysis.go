package dashboardspec

import (
	"bytes"
	"encoding/json"
	"fmt"

	qs "github.com/aws/aws-cdk-go/awscdk/v2/awsquicksight"
)

// AnalysisDefinition converts a dashboard definition into the analysis definition with the same
// content, so the analysis (the editable copy for authors) reuses the one description.
//
// AWS::QuickSight::Analysis and ::Dashboard share every definition shape, but CDK generates a
// separate Go type per resource (CfnAnalysis_* vs CfnDashboard_*). Both types carry the same
// JSON names, so a JSON round trip converts one into the other: the top-level fields land in the
// typed CfnAnalysis_AnalysisDefinitionProperty (unknown ones are an error) and the nested values
// become plain maps, which jsii passes to the same CloudFormation mapping. Nulls of unset
// optional fields are dropped, as CDK would. The stack test proves the synthesized Definition of
// the analysis equals the dashboard's.
func AnalysisDefinition(d *qs.CfnDashboard_DashboardVersionDefinitionProperty) (*qs.CfnAnalysis_AnalysisDefinitionProperty, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("dashboardspec: encode dashboard definition: %w", err)
	}
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return nil, fmt.Errorf("dashboardspec: decode dashboard definition: %w", err)
	}
	if raw, err = json.Marshal(dropNulls(generic)); err != nil {
		return nil, fmt.Errorf("dashboardspec: encode analysis definition: %w", err)
	}
	out := &qs.CfnAnalysis_AnalysisDefinitionProperty{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return nil, fmt.Errorf("dashboardspec: dashboard definition does not fit an analysis definition: %w", err)
	}
	return out, nil
}

// dropNulls removes null values (unset optional fields) from maps, recursively.
func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, item := range x {
			if item == nil {
				delete(x, k)
				continue
			}
			x[k] = dropNulls(item)
		}
	case []any:
		for i, item := range x {
			x[i] = dropNulls(item)
		}
	}
	return v
}
