package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
)

// Capabilities is .Capabilities as `helm template` provides it (no cluster: a fixed version).
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions APIVersions
	HelmVersion map[string]string
}

type KubeVersion struct{ Version, Major, Minor string }

func (k KubeVersion) String() string     { return k.Version }
func (k KubeVersion) GitVersion() string { return k.Version }

type APIVersions []string

func (a APIVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

type Release struct {
	Name, Namespace, Service string
	IsInstall, IsUpgrade     bool
	Revision                 int
}

// funcMap is sprig's text functions as Helm exposes them, plus Helm's own.
func funcMap(t **template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	depth := map[string]int{}
	f["include"] = func(name string, data interface{}) (string, error) {
		if depth[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		depth[name]++
		defer func() { depth[name]-- }()
		var b strings.Builder
		err := (*t).ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := (*t).Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		if err := parsed.Execute(&b, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(b.String(), "<no value>", ""), nil
	}
	f["required"] = func(message string, v interface{}) (interface{}, error) {
		if v == nil {
			return v, errors.New(message)
		}
		if s, ok := v.(string); ok && s == "" {
			return v, errors.New(message)
		}
		return v, nil
	}
	f["toYaml"] = toYaml
	f["fromYaml"] = func(s string) map[string]interface{} {
		v, err := parseValues([]byte(s))
		if err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		return v
	}
	f["toJson"] = func(v interface{}) string {
		data, _ := json.Marshal(v)
		return string(data)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil // helm template has no cluster either
	}
	return f
}

type chartScope struct {
	chart  *Chart
	values Values
}

// flatten lists every chart with its final values, parents first.
func flatten(c *Chart, vals Values) []chartScope {
	out := []chartScope{{c, vals}}
	for _, sub := range c.Subcharts {
		key, _ := valuesKey(c, sub)
		subVals, _ := vals[key].(map[string]interface{})
		out = append(out, flatten(sub, subVals)...)
	}
	return out
}

type Rendered struct{ Name, Content string }

// render executes every template of every chart in one template set (so `define`s are shared,
// as in Helm), each with its own chart's .Values. Partials (_*) and, unless notes, NOTES.txt
// produce no output.
func render(top *Chart, vals Values, rel Release, caps Capabilities, notes bool) ([]Rendered, error) {
	var t *template.Template
	t = template.New("gotpl").Option("missingkey=zero").Funcs(funcMap(&t))
	scopes := flatten(top, vals)
	for _, s := range scopes {
		for _, tpl := range s.chart.Templates {
			if _, err := t.New(tpl.Name).Parse(tpl.Data); err != nil {
				return nil, fmt.Errorf("parse error at (%s): %w", tpl.Name, err)
			}
		}
	}
	var out []Rendered
	for i, s := range scopes {
		for _, tpl := range s.chart.Templates {
			base := path.Base(tpl.Name)
			isNotes := base == "NOTES.txt"
			if strings.HasPrefix(base, "_") || isNotes != notes || (isNotes && i > 0) {
				continue
			}
			data := map[string]interface{}{
				"Values":       s.values,
				"Release":      rel,
				"Chart":        s.chart.Metadata,
				"Capabilities": caps,
				"Template":     map[string]string{"Name": tpl.Name, "BasePath": s.chart.Path + "/templates"},
				"Files":        map[string]interface{}{},
			}
			var b strings.Builder
			if err := t.ExecuteTemplate(&b, tpl.Name, data); err != nil {
				return nil, err
			}
			content := strings.ReplaceAll(b.String(), "<no value>", "")
			if strings.TrimSpace(content) != "" {
				out = append(out, Rendered{tpl.Name, content})
			}
		}
	}
	return out, nil
}
