// helm-render renders a Helm chart the way `helm template` does, for CI machines without helm:
// Go text/template with sprig (Helm's engine), Helm's own functions, values coalescing with
// dependencies, values.schema.json validation and the chart's kubeVersion constraint.
//
//	helm-render template RELEASE CHART_DIR [-n NS] [-f values.yaml]... [--set k=v]...
//	            [--set-string k=v]... [--kube-version 1.31.0] [--notes]
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/Masterminds/semver"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

type options struct {
	release, chart, namespace, kubeVersion string
	valueFiles                             []string
	sets                                   [][2]string // {"set"|"set-string", "k=v"}
	notes                                  bool
}

func parseArgs(args []string) (*options, error) {
	o := &options{namespace: "default", kubeVersion: "1.31.0"}
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() (string, error) {
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", a)
			}
			i++
			return args[i], nil
		}
		var err error
		var v string
		switch {
		case a == "-n" || a == "--namespace":
			o.namespace, err = next()
		case a == "-f" || a == "--values":
			v, err = next()
			o.valueFiles = append(o.valueFiles, v)
		case a == "--set" || a == "--set-string":
			v, err = next()
			o.sets = append(o.sets, [2]string{strings.TrimPrefix(a, "--"), v})
		case a == "--kube-version":
			o.kubeVersion, err = next()
		case a == "--notes":
			o.notes = true
		case strings.HasPrefix(a, "-"):
			err = fmt.Errorf("unknown flag %s", a)
		default:
			positional = append(positional, a)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(positional) != 3 || positional[0] != "template" {
		return nil, fmt.Errorf("usage: helm-render template RELEASE CHART_DIR [flags]")
	}
	o.release, o.chart = positional[1], positional[2]
	return o, nil
}

// setScalar types a --set value as Helm's strvals does; --set-string keeps it a string.
func setScalar(kind, s string) interface{} {
	if kind == "set-string" {
		return s
	}
	switch s {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && (s == "0" || !strings.HasPrefix(s, "0")) {
		return n
	}
	return s
}

func userValues(o *options) (Values, error) {
	vals := Values{}
	for _, f := range o.valueFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		v, err := parseValues(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		vals = coalesce(vals, v)
	}
	for _, s := range o.sets {
		k, v, ok := strings.Cut(s[1], "=")
		if !ok {
			return nil, fmt.Errorf("--%s %q: key=value expected", s[0], s[1])
		}
		setValue(vals, strings.Split(k, "."), setScalar(s[0], v))
	}
	return vals, nil
}

func run(args []string) error {
	o, err := parseArgs(args)
	if err != nil {
		return err
	}
	chart, err := loadChart(o.chart, "")
	if err != nil {
		return err
	}
	kube, err := semver.NewVersion(o.kubeVersion)
	if err != nil {
		return fmt.Errorf("--kube-version: %w", err)
	}
	if chart.Metadata.KubeVersion != "" {
		constraint, err := semver.NewConstraint(chart.Metadata.KubeVersion)
		if err != nil {
			return fmt.Errorf("Chart.yaml kubeVersion: %w", err)
		}
		if !constraint.Check(kube) {
			return fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes v%s", chart.Metadata.KubeVersion, kube)
		}
	}
	user, err := userValues(o)
	if err != nil {
		return err
	}
	vals := scopeValues(chart, user)
	if err := validateSchemas(chart, vals); err != nil {
		return err
	}
	rel := Release{Name: o.release, Namespace: o.namespace, Service: "Helm", IsInstall: true, Revision: 1}
	caps := Capabilities{
		KubeVersion: KubeVersion{Version: "v" + kube.String(), Major: strconv.FormatUint(kube.Major(), 10), Minor: strconv.FormatUint(kube.Minor(), 10)},
		APIVersions: APIVersions{"v1", "batch/v1", "apps/v1"},
		HelmVersion: map[string]string{"version": "v3-compatible (helm-render)"},
	}
	docs, err := render(chart, vals, rel, caps, o.notes)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if o.notes {
			fmt.Print(d.Content)
			continue
		}
		fmt.Printf("---\n# Source: %s\n%s\n", d.Name, strings.TrimSpace(d.Content))
	}
	return nil
}
