package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	yaml "gopkg.in/yaml.v2"
)

// Metadata is Chart.yaml, exposed to templates as .Chart with Helm's field names.
type Metadata struct {
	APIVersion   string        `yaml:"apiVersion"`
	Name         string        `yaml:"name"`
	Version      string        `yaml:"version"`
	AppVersion   string        `yaml:"appVersion"`
	Description  string        `yaml:"description"`
	Type         string        `yaml:"type"`
	KubeVersion  string        `yaml:"kubeVersion"`
	Keywords     []string      `yaml:"keywords"`
	Dependencies []*Dependency `yaml:"dependencies"`
}

type Dependency struct {
	Name       string `yaml:"name"`
	Version    string `yaml:"version"`
	Repository string `yaml:"repository"`
	Condition  string `yaml:"condition"`
	Alias      string `yaml:"alias"`
}

type Template struct {
	Name string // e.g. parent/charts/syncproof/templates/job.yaml, as Helm names it
	Data string
}

type Chart struct {
	Metadata  *Metadata
	Values    Values
	Schema    []byte
	Templates []Template
	Subcharts []*Chart
	Path      string // the template name prefix: "parent" or "parent/charts/sub"
}

func loadChart(dir, prefix string) (*Chart, error) {
	meta := &Metadata{}
	raw, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	if err := yaml.UnmarshalStrict(raw, meta); err != nil {
		return nil, fmt.Errorf("%s/Chart.yaml: %w", dir, err)
	}
	if meta.APIVersion != "v2" || meta.Name == "" || meta.Version == "" {
		return nil, fmt.Errorf("%s/Chart.yaml: apiVersion v2, name and version are required", dir)
	}
	if prefix == "" {
		prefix = meta.Name
	}
	c := &Chart{Metadata: meta, Values: Values{}, Path: prefix}
	if data, err := os.ReadFile(filepath.Join(dir, "values.yaml")); err == nil {
		if c.Values, err = parseValues(data); err != nil {
			return nil, fmt.Errorf("%s/values.yaml: %w", dir, err)
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "values.schema.json")); err == nil {
		c.Schema = data
	}
	files, _ := filepath.Glob(filepath.Join(dir, "templates", "*"))
	sort.Strings(files)
	for _, f := range files {
		if info, err := os.Stat(f); err != nil || info.IsDir() {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c.Templates = append(c.Templates, Template{Name: prefix + "/templates/" + filepath.Base(f), Data: string(data)})
	}
	for _, dep := range meta.Dependencies {
		subDir := filepath.Join(dir, "charts", dep.Name)
		if _, err := os.Stat(filepath.Join(subDir, "Chart.yaml")); err != nil {
			return nil, fmt.Errorf("%s: dependency %q is in Chart.yaml but missing in charts/ (this renderer reads unpacked charts only)", dir, dep.Name)
		}
		sub, err := loadChart(subDir, prefix+"/charts/"+dep.Name)
		if err != nil {
			return nil, err
		}
		c.Subcharts = append(c.Subcharts, sub)
	}
	return c, nil
}

// valuesKey is the key under which a parent passes values to a dependency.
func valuesKey(parent *Chart, sub *Chart) (string, *Dependency) {
	for _, dep := range parent.Metadata.Dependencies {
		if dep.Name == sub.Metadata.Name {
			if dep.Alias != "" {
				return dep.Alias, dep
			}
			return dep.Name, dep
		}
	}
	return sub.Metadata.Name, nil
}

// scopeValues coalesces a chart's defaults under the given values, recursing into dependencies
// the way Helm does: each subchart sees parent.values[<name or alias>] plus the parent's globals.
// It returns the chart's final values and drops dependencies whose condition is false.
func scopeValues(c *Chart, user Values) Values {
	vals := coalesce(c.Values, user)
	globals, _ := vals["global"].(map[string]interface{})
	var enabled []*Chart
	for _, sub := range c.Subcharts {
		key, dep := valuesKey(c, sub)
		if dep != nil && dep.Condition != "" && !conditionHolds(vals, dep.Condition) {
			continue
		}
		subUser, _ := vals[key].(map[string]interface{})
		if subUser == nil {
			subUser = Values{}
		}
		subGlobals, _ := subUser["global"].(map[string]interface{})
		merged := coalesce(subUser, Values{"global": coalesce(subGlobals, globals)})
		if len(globals) == 0 && subGlobals == nil {
			delete(merged, "global")
		}
		vals[key] = scopeValues(sub, merged)
		enabled = append(enabled, sub)
	}
	c.Subcharts = enabled
	return vals
}

func conditionHolds(vals Values, condition string) bool {
	for _, path := range strings.Split(condition, ",") {
		var cur interface{} = vals
		for _, key := range strings.Split(strings.TrimSpace(path), ".") {
			m, ok := cur.(map[string]interface{})
			if !ok {
				cur = nil
				break
			}
			cur = m[key]
		}
		if b, ok := cur.(bool); ok {
			return b
		}
	}
	return true
}
