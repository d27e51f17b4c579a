package dashboardspec

import (
	"fmt"

	qs "github.com/aws/aws-cdk-go/awscdk/v2/awsquicksight"
	"github.com/aws/jsii-runtime-go"
)

// Dashboard validates the definition and emits it as the typed CloudFormation shape of
// AWS::QuickSight::Dashboard's Definition. dataSetArns maps every dataset identifier to the ARN
// of the QuickSight dataset (a token is fine).
func (d Definition) Dashboard(dataSetArns map[string]*string) (*qs.CfnDashboard_DashboardVersionDefinitionProperty, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	declarations := make([]*qs.CfnDashboard_DataSetIdentifierDeclarationProperty, 0, len(d.Datasets))
	var calculated []*qs.CfnDashboard_CalculatedFieldProperty
	for _, ds := range d.Datasets {
		arn, ok := dataSetArns[ds.Identifier]
		if !ok || arn == nil {
			return nil, fmt.Errorf("dashboardspec: dataset %s: no dataset ARN given", ds.Identifier)
		}
		declarations = append(declarations, &qs.CfnDashboard_DataSetIdentifierDeclarationProperty{
			Identifier: jsii.String(ds.Identifier),
			DataSetArn: arn,
		})
		for _, cf := range ds.Calculated {
			calculated = append(calculated, &qs.CfnDashboard_CalculatedFieldProperty{
				DataSetIdentifier: jsii.String(ds.Identifier),
				Name:              jsii.String(cf.Name),
				Expression:        jsii.String(cf.Expression),
			})
		}
	}
	sheets := make([]*qs.CfnDashboard_SheetDefinitionProperty, 0, len(d.Sheets))
	for _, sh := range d.Sheets {
		sheets = append(sheets, d.sheet(sh))
	}
	out := &qs.CfnDashboard_DashboardVersionDefinitionProperty{
		DataSetIdentifierDeclarations: &declarations,
		ParameterDeclarations:         d.parameters(),
		FilterGroups:                  d.filterGroups(),
		Sheets:                        &sheets,
	}
	if len(calculated) > 0 {
		out.CalculatedFields = &calculated
	}
	return out, nil
}

// parameters declares the date range's start and end, defaulting to the last DefaultDays days.
func (d Definition) parameters() *[]*qs.CfnDashboard_ParameterDeclarationProperty {
	today := "truncDate('DD', now())"
	param := func(name, expression string) *qs.CfnDashboard_ParameterDeclarationProperty {
		return &qs.CfnDashboard_ParameterDeclarationProperty{
			DateTimeParameterDeclaration: &qs.CfnDashboard_DateTimeParameterDeclarationProperty{
				Name:            jsii.String(name),
				TimeGranularity: jsii.String("DAY"),
				DefaultValues: &qs.CfnDashboard_DateTimeDefaultValuesProperty{
					RollingDate: &qs.CfnDashboard_RollingDateConfigurationProperty{Expression: jsii.String(expression)},
				},
			},
		}
	}
	return &[]*qs.CfnDashboard_ParameterDeclarationProperty{
		param(d.DateRange.StartParameter, fmt.Sprintf("addDateTime(-%d, 'DD', %s)", d.DateRange.DefaultDays, today)),
		param(d.DateRange.EndParameter, today),
	}
}

// filterGroups filters every dataset with a date column by the date range, on every sheet.
func (d Definition) filterGroups() *[]*qs.CfnDashboard_FilterGroupProperty {
	scopes := make([]*qs.CfnDashboard_SheetVisualScopingConfigurationProperty, 0, len(d.Sheets))
	for _, sh := range d.Sheets {
		scopes = append(scopes, &qs.CfnDashboard_SheetVisualScopingConfigurationProperty{
			SheetId: jsii.String(sh.ID),
			Scope:   jsii.String("ALL_VISUALS"),
		})
	}
	var groups []*qs.CfnDashboard_FilterGroupProperty
	for _, ds := range d.Datasets {
		if ds.DateColumn == "" {
			continue
		}
		id := DateRangeFilterGroupID(ds)
		groups = append(groups, &qs.CfnDashboard_FilterGroupProperty{
			FilterGroupId: jsii.String(id),
			CrossDataset:  jsii.String("SINGLE_DATASET"),
			Status:        jsii.String("ENABLED"),
			ScopeConfiguration: &qs.CfnDashboard_FilterScopeConfigurationProperty{
				SelectedSheets: &qs.CfnDashboard_SelectedSheetsFilterScopeConfigurationProperty{
					SheetVisualScopingConfigurations: &scopes,
				},
			},
			Filters: &[]*qs.CfnDashboard_FilterProperty{{
				TimeRangeFilter: &qs.CfnDashboard_TimeRangeFilterProperty{
					FilterId:          jsii.String(id + "-filter"),
					Column:            columnID(ds, ds.DateColumn),
					NullOption:        jsii.String("NON_NULLS_ONLY"),
					IncludeMinimum:    jsii.Bool(true),
					IncludeMaximum:    jsii.Bool(true),
					TimeGranularity:   jsii.String("DAY"),
					RangeMinimumValue: &qs.CfnDashboard_TimeRangeFilterValueProperty{Parameter: jsii.String(d.DateRange.StartParameter)},
					RangeMaximumValue: &qs.CfnDashboard_TimeRangeFilterValueProperty{Parameter: jsii.String(d.DateRange.EndParameter)},
				},
			}},
		})
	}
	return &groups
}

// DateRangeFilterGroupID is the ID of the filter group applying the date range to ds.
func DateRangeFilterGroupID(ds *Dataset) string { return "date-range-" + slug(ds.Identifier) }

func (d Definition) sheet(sh Sheet) *qs.CfnDashboard_SheetDefinitionProperty {
	var visuals []*qs.CfnDashboard_VisualProperty
	var elements []*qs.CfnDashboard_GridLayoutElementProperty
	rowIndex := 0
	for _, row := range sh.Rows {
		height, column := 0, 0
		for i, v := range row {
			id := visualID(sh, v)
			visuals = append(visuals, v.emit(id))
			span := GridColumns / len(row)
			if i == len(row)-1 {
				span = GridColumns - column
			}
			elements = append(elements, &qs.CfnDashboard_GridLayoutElementProperty{
				ElementId:   jsii.String(id),
				ElementType: jsii.String("VISUAL"),
				ColumnIndex: jsii.Number(float64(column)),
				ColumnSpan:  jsii.Number(float64(span)),
				RowIndex:    jsii.Number(float64(rowIndex)),
				RowSpan:     jsii.Number(float64(v.rowSpan())),
			})
			column += span
			height = max(height, v.rowSpan())
		}
		rowIndex += height
	}

	// The date range pickers, on every sheet: the parameters are shared, so picking a range on
	// one sheet filters them all.
	var controls []*qs.CfnDashboard_ParameterControlProperty
	var controlElements []*qs.CfnDashboard_GridLayoutElementProperty
	zone := ""
	if d.DateRange.TimeZone != "" {
		zone = " (" + d.DateRange.TimeZone + ")"
	}
	for i, p := range []struct{ param, name string }{
		{d.DateRange.StartParameter, "Start date"},
		{d.DateRange.EndParameter, "End date"},
	} {
		// The control ID is the name's (a stable ID whatever the zone).
		id, title := sh.ID+"-"+slug(p.name), p.name+zone
		controls = append(controls, &qs.CfnDashboard_ParameterControlProperty{
			DateTimePicker: &qs.CfnDashboard_ParameterDateTimePickerControlProperty{
				ParameterControlId:  jsii.String(id),
				SourceParameterName: jsii.String(p.param),
				Title:               jsii.String(title),
			},
		})
		controlElements = append(controlElements, &qs.CfnDashboard_GridLayoutElementProperty{
			ElementId:   jsii.String(id),
			ElementType: jsii.String("PARAMETER_CONTROL"),
			ColumnIndex: jsii.Number(float64(i * controlColumnSpan)),
			ColumnSpan:  jsii.Number(controlColumnSpan),
			RowIndex:    jsii.Number(0),
			RowSpan:     jsii.Number(controlRowSpan),
		})
	}

	out := &qs.CfnDashboard_SheetDefinitionProperty{
		SheetId:     jsii.String(sh.ID),
		Name:        jsii.String(sh.Name),
		Title:       jsii.String(sh.Name),
		ContentType: jsii.String("INTERACTIVE"),
		Visuals:     &visuals,
		Layouts: &[]*qs.CfnDashboard_LayoutProperty{{
			Configuration: &qs.CfnDashboard_LayoutConfigurationProperty{
				GridLayout: &qs.CfnDashboard_GridLayoutConfigurationProperty{Elements: &elements},
			},
		}},
		ParameterControls: &controls,
		SheetControlLayouts: &[]*qs.CfnDashboard_SheetControlLayoutProperty{{
			Configuration: &qs.CfnDashboard_SheetControlLayoutConfigurationProperty{
				GridLayout: &qs.CfnDashboard_GridLayoutConfigurationProperty{Elements: &controlElements},
			},
		}},
	}
	if sh.Description != "" {
		out.Description = jsii.String(sh.Description)
	}
	return out
}

func (v Visual) rowSpan() int {
	switch v.Kind {
	case KindKPI:
		return kpiRowSpan
	case KindTable:
		return tableRowSpan
	}
	return chartRowSpan
}

func columnID(ds *Dataset, column string) *qs.CfnDashboard_ColumnIdentifierProperty {
	return &qs.CfnDashboard_ColumnIdentifierProperty{
		DataSetIdentifier: jsii.String(ds.Identifier),
		ColumnName:        jsii.String(column),
	}
}

func dimensionFieldID(visual string, i int) string { return fmt.Sprintf("%s.d%d", visual, i) }
func measureFieldID(visual string, i int) string   { return fmt.Sprintf("%s.m%d", visual, i) }

func (f Dimension) emit(id string) *qs.CfnDashboard_DimensionFieldProperty {
	col := columnID(f.dataset, f.column)
	if f.granularity != "" {
		return &qs.CfnDashboard_DimensionFieldProperty{DateDimensionField: &qs.CfnDashboard_DateDimensionFieldProperty{
			FieldId: jsii.String(id), Column: col, DateGranularity: jsii.String(f.granularity),
		}}
	}
	if c, _ := f.dataset.Column(f.column); c.Type.numeric() {
		return &qs.CfnDashboard_DimensionFieldProperty{NumericalDimensionField: &qs.CfnDashboard_NumericalDimensionFieldProperty{
			FieldId: jsii.String(id), Column: col,
		}}
	}
	return &qs.CfnDashboard_DimensionFieldProperty{CategoricalDimensionField: &qs.CfnDashboard_CategoricalDimensionFieldProperty{
		FieldId: jsii.String(id), Column: col,
	}}
}

func (m Measure) emit(id string) *qs.CfnDashboard_MeasureFieldProperty {
	col := columnID(m.dataset, m.column)
	if m.agg == aggNone {
		// An aggregated calculated field carries its own aggregation.
		return &qs.CfnDashboard_MeasureFieldProperty{NumericalMeasureField: &qs.CfnDashboard_NumericalMeasureFieldProperty{
			FieldId: jsii.String(id), Column: col,
		}}
	}
	c, _ := m.dataset.Column(m.column)
	if !c.Type.numeric() {
		// Only COUNT and DISTINCT_COUNT pass validation for non-numeric columns.
		if c.Type == DateTime {
			return &qs.CfnDashboard_MeasureFieldProperty{DateMeasureField: &qs.CfnDashboard_DateMeasureFieldProperty{
				FieldId: jsii.String(id), Column: col, AggregationFunction: jsii.String(string(m.agg)),
			}}
		}
		return &qs.CfnDashboard_MeasureFieldProperty{CategoricalMeasureField: &qs.CfnDashboard_CategoricalMeasureFieldProperty{
			FieldId: jsii.String(id), Column: col, AggregationFunction: jsii.String(string(m.agg)),
		}}
	}
	return &qs.CfnDashboard_MeasureFieldProperty{NumericalMeasureField: &qs.CfnDashboard_NumericalMeasureFieldProperty{
		FieldId: jsii.String(id), Column: col, AggregationFunction: m.numericalAggregation(),
	}}
}

func (m Measure) numericalAggregation() *qs.CfnDashboard_NumericalAggregationFunctionProperty {
	if m.agg == aggPercentile {
		return &qs.CfnDashboard_NumericalAggregationFunctionProperty{
			PercentileAggregation: &qs.CfnDashboard_PercentileAggregationProperty{PercentileValue: jsii.Number(m.percentile)},
		}
	}
	return &qs.CfnDashboard_NumericalAggregationFunctionProperty{SimpleNumericalAggregation: jsii.String(string(m.agg))}
}

func (v Visual) fields(id string) (dims *[]*qs.CfnDashboard_DimensionFieldProperty, values *[]*qs.CfnDashboard_MeasureFieldProperty) {
	d := make([]*qs.CfnDashboard_DimensionFieldProperty, 0, len(v.dims))
	for i, f := range v.dims {
		d = append(d, f.emit(dimensionFieldID(id, i)))
	}
	m := make([]*qs.CfnDashboard_MeasureFieldProperty, 0, len(v.values))
	for i, f := range v.values {
		m = append(m, f.emit(measureFieldID(id, i)))
	}
	return &d, &m
}

func sortBy(fieldID, direction string) *[]*qs.CfnDashboard_FieldSortOptionsProperty {
	return &[]*qs.CfnDashboard_FieldSortOptionsProperty{{
		FieldSort: &qs.CfnDashboard_FieldSortProperty{FieldId: jsii.String(fieldID), Direction: jsii.String(direction)},
	}}
}

func (v Visual) itemsLimit() *qs.CfnDashboard_ItemsLimitConfigurationProperty {
	if v.limit == 0 {
		return nil
	}
	return &qs.CfnDashboard_ItemsLimitConfigurationProperty{ItemsLimit: jsii.Number(float64(v.limit)), OtherCategories: jsii.String("INCLUDE")}
}

func (v Visual) emit(id string) *qs.CfnDashboard_VisualProperty {
	title := &qs.CfnDashboard_VisualTitleLabelOptionsProperty{
		Visibility: jsii.String("VISIBLE"),
		FormatText: &qs.CfnDashboard_ShortFormatTextProperty{PlainText: jsii.String(v.Title)},
	}
	dims, values := v.fields(id)
	vid := jsii.String(id)
	firstValueDesc := sortBy(measureFieldID(id, 0), "DESC")
	switch v.Kind {
	case KindKPI:
		return &qs.CfnDashboard_VisualProperty{KpiVisual: &qs.CfnDashboard_KPIVisualProperty{
			VisualId: vid, Title: title,
			ChartConfiguration: &qs.CfnDashboard_KPIConfigurationProperty{
				FieldWells: &qs.CfnDashboard_KPIFieldWellsProperty{Values: values},
			},
		}}
	case KindLine:
		return &qs.CfnDashboard_VisualProperty{LineChartVisual: &qs.CfnDashboard_LineChartVisualProperty{
			VisualId: vid, Title: title,
			ChartConfiguration: &qs.CfnDashboard_LineChartConfigurationProperty{
				Type: jsii.String("LINE"),
				FieldWells: &qs.CfnDashboard_LineChartFieldWellsProperty{
					LineChartAggregatedFieldWells: &qs.CfnDashboard_LineChartAggregatedFieldWellsProperty{Category: dims, Values: values},
				},
				SortConfiguration: &qs.CfnDashboard_LineChartSortConfigurationProperty{CategorySort: sortBy(dimensionFieldID(id, 0), "ASC")},
			},
		}}
	case KindBar:
		return &qs.CfnDashboard_VisualProperty{BarChartVisual: &qs.CfnDashboard_BarChartVisualProperty{
			VisualId: vid, Title: title,
			ChartConfiguration: &qs.CfnDashboard_BarChartConfigurationProperty{
				Orientation:     jsii.String("HORIZONTAL"),
				BarsArrangement: jsii.String("CLUSTERED"),
				FieldWells: &qs.CfnDashboard_BarChartFieldWellsProperty{
					BarChartAggregatedFieldWells: &qs.CfnDashboard_BarChartAggregatedFieldWellsProperty{Category: dims, Values: values},
				},
				SortConfiguration: &qs.CfnDashboard_BarChartSortConfigurationProperty{
					CategorySort: firstValueDesc, CategoryItemsLimit: v.itemsLimit(),
				},
			},
		}}
	case KindDonut:
		return &qs.CfnDashboard_VisualProperty{PieChartVisual: &qs.CfnDashboard_PieChartVisualProperty{
			VisualId: vid, Title: title,
			ChartConfiguration: &qs.CfnDashboard_PieChartConfigurationProperty{
				DonutOptions: &qs.CfnDashboard_DonutOptionsProperty{
					ArcOptions: &qs.CfnDashboard_ArcOptionsProperty{ArcThickness: jsii.String("MEDIUM")},
				},
				FieldWells: &qs.CfnDashboard_PieChartFieldWellsProperty{
					PieChartAggregatedFieldWells: &qs.CfnDashboard_PieChartAggregatedFieldWellsProperty{Category: dims, Values: values},
				},
				SortConfiguration: &qs.CfnDashboard_PieChartSortConfigurationProperty{
					CategorySort: firstValueDesc, CategoryItemsLimit: v.itemsLimit(),
				},
			},
		}}
	case KindTable:
		var labels []*qs.CfnDashboard_TableFieldOptionProperty
		for i, f := range v.dims {
			if f.label != "" {
				labels = append(labels, &qs.CfnDashboard_TableFieldOptionProperty{FieldId: jsii.String(dimensionFieldID(id, i)), CustomLabel: jsii.String(f.label)})
			}
		}
		for i, m := range v.values {
			if m.label != "" {
				labels = append(labels, &qs.CfnDashboard_TableFieldOptionProperty{FieldId: jsii.String(measureFieldID(id, i)), CustomLabel: jsii.String(m.label)})
			}
		}
		config := &qs.CfnDashboard_TableConfigurationProperty{
			FieldWells: &qs.CfnDashboard_TableFieldWellsProperty{
				TableAggregatedFieldWells: &qs.CfnDashboard_TableAggregatedFieldWellsProperty{GroupBy: dims, Values: values},
			},
			SortConfiguration: &qs.CfnDashboard_TableSortConfigurationProperty{RowSort: firstValueDesc},
		}
		if len(labels) > 0 {
			config.FieldOptions = &qs.CfnDashboard_TableFieldOptionsProperty{SelectedFieldOptions: &labels}
		}
		return &qs.CfnDashboard_VisualProperty{TableVisual: &qs.CfnDashboard_TableVisualProperty{
			VisualId: vid, Title: title, ChartConfiguration: config,
		}}
	case KindFunnel:
		order := v.order
		return &qs.CfnDashboard_VisualProperty{FunnelChartVisual: &qs.CfnDashboard_FunnelChartVisualProperty{
			VisualId: vid, Title: title,
			ChartConfiguration: &qs.CfnDashboard_FunnelChartConfigurationProperty{
				FieldWells: &qs.CfnDashboard_FunnelChartFieldWellsProperty{
					FunnelChartAggregatedFieldWells: &qs.CfnDashboard_FunnelChartAggregatedFieldWellsProperty{Category: dims, Values: values},
				},
				SortConfiguration: &qs.CfnDashboard_FunnelChartSortConfigurationProperty{
					CategorySort: &[]*qs.CfnDashboard_FieldSortOptionsProperty{{
						ColumnSort: &qs.CfnDashboard_ColumnSortProperty{
							SortBy:    columnID(order.dataset, order.column),
							Direction: jsii.String("ASC"),
							AggregationFunction: &qs.CfnDashboard_AggregationFunctionProperty{
								NumericalAggregationFunction: order.numericalAggregation(),
							},
						},
					}},
				},
				DataLabelOptions: &qs.CfnDashboard_FunnelChartDataLabelOptionsProperty{
					Visibility:            jsii.String("VISIBLE"),
					MeasureDataLabelStyle: jsii.String("VALUE_AND_PERCENTAGE_BY_FIRST_STAGE"),
				},
			},
		}}
	}
	panic("dashboardspec: unknown visual kind " + string(v.Kind)) // unreachable: Validate rejects it
}
