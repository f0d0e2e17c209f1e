package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// validateSchemas checks each chart's final values against its values.schema.json with the
// library Helm 3 uses, the way Helm does before rendering.
func validateSchemas(c *Chart, vals Values) error {
	var problems []string
	for _, s := range flatten(c, vals) {
		if s.chart.Schema == nil {
			continue
		}
		doc, err := json.Marshal(s.values)
		if err != nil {
			return err
		}
		result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(s.chart.Schema), gojsonschema.NewBytesLoader(doc))
		if err != nil {
			return fmt.Errorf("%s: values.schema.json: %w", s.chart.Metadata.Name, err)
		}
		if !result.Valid() {
			problems = append(problems, s.chart.Metadata.Name+":")
			for _, e := range result.Errors() {
				problems = append(problems, "- "+e.String())
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\n%s", strings.Join(problems, "\n"))
	}
	return nil
}
