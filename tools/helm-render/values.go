package main

// Values as Helm 3 reads them: YAML 1.1 (gopkg.in/yaml.v2) converted to JSON-shaped data, as
// sigs.k8s.io/yaml does. So numbers are float64 and a bare `on:`/`yes:` key becomes "true".

import (
	"encoding/json"
	"fmt"
	"strconv"

	yaml "gopkg.in/yaml.v2"
)

type Values = map[string]interface{}

// parseValues reads one YAML document into Helm's shape of values.
func parseValues(data []byte) (Values, error) {
	var raw interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw == nil {
		return Values{}, nil
	}
	converted, err := jsonable(raw)
	if err != nil {
		return nil, err
	}
	out, ok := roundTrip(converted).(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("values must be a mapping")
	}
	return out, nil
}

// jsonable mirrors sigs.k8s.io/yaml's convertToJSONableObject for keys.
func jsonable(v interface{}) (interface{}, error) {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, val := range t {
			var key string
			switch kk := k.(type) {
			case string:
				key = kk
			case int:
				key = strconv.Itoa(kk)
			case int64:
				key = strconv.FormatInt(kk, 10)
			case uint64:
				key = strconv.FormatUint(kk, 10)
			case float64:
				key = strconv.FormatFloat(kk, 'g', -1, 64)
			case bool:
				key = strconv.FormatBool(kk)
			case nil:
				key = "null"
			default:
				return nil, fmt.Errorf("unsupported map key %#v", k)
			}
			c, err := jsonable(val)
			if err != nil {
				return nil, err
			}
			out[key] = c
		}
		return out, nil
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, val := range t {
			c, err := jsonable(val)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	default:
		return v, nil
	}
}

func roundTrip(v interface{}) interface{} {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out interface{}
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

// toYaml is Helm's: JSON first, then YAML 1.1 with sorted keys, without the final newline.
func toYaml(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var obj interface{}
	if err := yaml.Unmarshal(data, &obj); err != nil {
		return ""
	}
	out, err := yaml.Marshal(obj)
	if err != nil {
		return ""
	}
	s := string(out)
	if len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return s
}

// coalesce merges src over dst the way Helm merges user values over a chart's defaults:
// maps merge key by key, anything else replaces, and a null removes the key.
func coalesce(dst, src Values) Values {
	out := Values{}
	for k, v := range dst {
		out[k] = v
	}
	for k, v := range src {
		if v == nil {
			delete(out, k)
			continue
		}
		srcMap, srcIsMap := v.(map[string]interface{})
		dstMap, dstIsMap := out[k].(map[string]interface{})
		if srcIsMap && dstIsMap {
			out[k] = coalesce(dstMap, srcMap)
		} else {
			out[k] = v
		}
	}
	return out
}

// setValue applies one --set/--set-string entry (dotted path; no list indexes).
func setValue(vals Values, path []string, value interface{}) {
	cur := vals
	for _, key := range path[:len(path)-1] {
		next, ok := cur[key].(map[string]interface{})
		if !ok {
			next = Values{}
			cur[key] = next
		}
		cur = next
	}
	cur[path[len(path)-1]] = value
}
