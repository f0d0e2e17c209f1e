// argo-health: what Argo CD computes for live objects, with gitops-engine's own code (pkg/health
// and pkg/sync/hook), built by tools/go-tools.sh against the pinned gitops-engine module.
//
// Reads a JSON array of Kubernetes objects on stdin; prints a JSON array, one entry per object:
// its health status and message (health.GetResourceHealth, no overrides), whether Argo CD treats
// it as a hook and of which types, its delete policies, and the hook phase Argo CD derives from
// that health (the switch of syncContext.getOperationPhase in pkg/sync/sync_context.go, which is
// unexported and so restated here: Unknown/Degraded → Failed, Progressing/Suspended → Running,
// Healthy → Succeeded, no health → Succeeded "<name> created").
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/argoproj/gitops-engine/pkg/health"
	"github.com/argoproj/gitops-engine/pkg/sync/hook"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

type verdict struct {
	Kind           string   `json:"kind"`
	Name           string   `json:"name"`
	Health         string   `json:"health"`
	Message        string   `json:"message"`
	IsHook         bool     `json:"isHook"`
	HookTypes      []string `json:"hookTypes"`
	DeletePolicies []string `json:"deletePolicies"`
	Phase          string   `json:"phase"`
	PhaseMessage   string   `json:"phaseMessage"`
}

func main() {
	input, err := io.ReadAll(io.LimitReader(os.Stdin, 16<<20))
	if err != nil {
		fail(err)
	}
	var objects []map[string]interface{}
	if err := json.Unmarshal(input, &objects); err != nil {
		fail(err)
	}
	out := []verdict{}
	for _, raw := range objects {
		obj := &unstructured.Unstructured{Object: raw}
		status, err := health.GetResourceHealth(obj, nil)
		if err != nil {
			fail(err)
		}
		v := verdict{Kind: obj.GetKind(), Name: obj.GetName(), IsHook: hook.IsHook(obj), HookTypes: []string{}, DeletePolicies: []string{}}
		for _, t := range hook.Types(obj) {
			v.HookTypes = append(v.HookTypes, string(t))
		}
		for _, p := range hook.DeletePolicies(obj) {
			v.DeletePolicies = append(v.DeletePolicies, string(p))
		}
		v.Phase, v.PhaseMessage = "Succeeded", obj.GetName()+" created"
		if status != nil {
			v.Health, v.Message = string(status.Status), status.Message
			switch status.Status {
			case health.HealthStatusUnknown, health.HealthStatusDegraded:
				v.Phase, v.PhaseMessage = "Failed", status.Message
			case health.HealthStatusProgressing, health.HealthStatusSuspended:
				v.Phase, v.PhaseMessage = "Running", status.Message
			case health.HealthStatusHealthy:
				v.Phase, v.PhaseMessage = "Succeeded", status.Message
			}
		}
		out = append(out, v)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "argo-health:", err)
	os.Exit(1)
}
