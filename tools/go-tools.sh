#!/usr/bin/env bash
# Builds the real tools the chart and Kubernetes tests run — Helm, kustomize, etcd, kube-apiserver,
# kube-controller-manager — from their published Go modules, pinned below, into a cache outside the
# repo: $SYNCPROOF_CI_CACHE/tools/<name>-<version>/bin/<name>. A tool already there is not rebuilt,
# so a warm run costs nothing. No tool source or binary is ever written into the repo.
#
#   bash tools/go-tools.sh [--print] NAME...   NAME: helm kustomize etcd kube (apiserver + controller-manager)
#                                              argo-health (tools/argo-health/main.go on gitops-engine)
#                                              or all; --print: only print each tool's path, build nothing
# Prints one line per tool: NAME PATH. Cold build times on the 2-core CI machine: docs/verification.md.
set -euo pipefail

HELM_VERSION=v3.22.0
KUSTOMIZE_VERSION=v5.8.2       # v5.8.3 needs Go 1.27
ETCD_VERSION=v3.7.3
KUBE_VERSION=v1.37.2           # k8s.io/kubernetes; its staging modules are published as v0.37.2
KUBE_STAGING_VERSION=v0.37.2
# The standalone gitops-engine (Argo CD's sync and health engine before it moved into the argo-cd
# repo, whose gitops-engine/v3 module does not build here), at its last commit on the proxy.
GITOPS_ENGINE_VERSION=v0.7.1-0.20260512161450-ff8d2f5207dc

CACHE="${SYNCPROOF_CI_CACHE:-/var/cache/syncproof-ci}"
TOOLS="$CACHE/tools"
export GOTOOLCHAIN=local       # Go 1.26 builds every pin above; never fetch another toolchain
export GOFLAGS="-buildvcs=false -trimpath"
export GOCACHE="${GOCACHE:-$CACHE/go-build}"
export CGO_ENABLED=0

print_only=0
if [ "${1:-}" = "--print" ]; then print_only=1; shift; fi
[ $# -gt 0 ] || set -- all
[ "$1" = all ] && set -- helm kustomize etcd kube argo-health

log() { echo "go-tools: $*" >&2; }
timed() { local t0=$SECONDS; "$@"; log "$name built in $((SECONDS - t0)) s"; }

# go install of a module's main package at a version: for modules without replace directives.
install_pkg() { # dir pkg@version
  mkdir -p "$1/bin.tmp"
  GOBIN="$1/bin.tmp" nice -n 10 go install "$2"
  mv "$1/bin.tmp" "$1/bin"
}

# A throwaway main module in the cache (never in the repo) for tools whose own go.mod carries
# replace directives, which `go install pkg@version` refuses.
build_wrapped() { # dir go.mod-body ldflags out pkg...   (out: a file name, or "" for one binary per package)
  local dir="$1" mod="$2" ldflags="$3" out="$4"; shift 4
  local src="$dir/src"
  rm -rf "$src" "$dir/bin.tmp"; mkdir -p "$src" "$dir/bin.tmp"
  printf '%s\n' "$mod" > "$src/go.mod"
  { echo '//go:build tools'; echo; echo 'package tools'; echo; echo 'import ('
    for p in "$@"; do echo "	_ \"$p\""; done; echo ')'; } > "$src/tools.go"
  (cd "$src" && nice -n 10 go mod tidy && nice -n 10 go build -ldflags "$ldflags" -o "$dir/bin.tmp/$out" "$@")
  mv "$dir/bin.tmp" "$dir/bin"
}

# Our own main package (from the repo) in a generated module in the cache.
build_main() { # dir go.mod-body main.go out
  local dir="$1" src="$1/src"
  rm -rf "$src" "$dir/bin.tmp"; mkdir -p "$src" "$dir/bin.tmp"
  printf '%s\n' "$2" > "$src/go.mod"
  cp "$3" "$src/main.go"
  (cd "$src" && nice -n 10 go mod tidy && nice -n 10 go build -o "$dir/bin.tmp/$4" .)
  mv "$dir/bin.tmp" "$dir/bin"
}

kube_mod() {
  echo "module syncproof.local/kube-tools"; echo; echo "go 1.26.0"; echo; echo "godebug default=go1.26"; echo
  echo "require k8s.io/kubernetes $KUBE_VERSION"; echo; echo "replace ("
  for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider \
           cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api \
           cri-client cri-streaming csi-translation-lib dynamic-resource-allocation endpointslice \
           externaljwt kms kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl \
           kubelet metrics mount-utils pod-security-admission sample-apiserver streaming; do
    echo "	k8s.io/$m => k8s.io/$m $KUBE_STAGING_VERSION"
  done
  echo ")"
}

# tools/argo-health (our program) against gitops-engine, with gitops-engine's own replace block.
argo_mod() {
  local gomod
  gomod=$(go mod download -json "github.com/argoproj/gitops-engine@$GITOPS_ENGINE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  echo "module syncproof.local/argo-health"; echo; echo "go 1.26.0"; echo
  echo "require github.com/argoproj/gitops-engine $GITOPS_ENGINE_VERSION"; echo
  sed -n '/^replace (/,/^)/p' "$gomod"
}
argo_src="$(cd "$(dirname "$0")" && pwd)/argo-health/main.go"

for name in "$@"; do
  case "$name" in
    helm)      dir="$TOOLS/helm-$HELM_VERSION"; bins=(helm) ;;
    kustomize) dir="$TOOLS/kustomize-$KUSTOMIZE_VERSION"; bins=(kustomize) ;;
    etcd)      dir="$TOOLS/etcd-$ETCD_VERSION"; bins=(etcd) ;;
    kube)      dir="$TOOLS/kube-$KUBE_VERSION"; bins=(kube-apiserver kube-controller-manager) ;;
    argo-health) dir="$TOOLS/argo-health-$GITOPS_ENGINE_VERSION-$(sha256sum "$argo_src" | cut -c1-12)"; bins=(argo-health) ;;
    *) echo "go-tools: unknown tool '$name' (helm, kustomize, etcd, kube, argo-health, all)" >&2; exit 2 ;;
  esac
  if [ $print_only = 0 ] && [ ! -x "$dir/bin/${bins[0]}" ]; then
    # One build per tool at a time (two test runs on one machine wait for each other).
    mkdir -p "$TOOLS"; exec {lock}>"$dir.lock"; flock "$lock"
  fi
  if [ $print_only = 0 ] && [ ! -x "$dir/bin/${bins[0]}" ]; then
    log "building $name (once per version; see docs/verification.md for the time)"
    case "$name" in
      helm)      timed install_pkg "$dir" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" ;;
      kustomize) timed install_pkg "$dir" "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" ;;
      etcd)      timed build_wrapped "$dir" "$(printf 'module syncproof.local/etcd\n\ngo 1.26.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION")" \
                   "" etcd go.etcd.io/etcd/server/v3 ;;
      kube)      timed build_wrapped "$dir" "$(kube_mod)" \
                   "-X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=37" \
                   "" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager ;;
      argo-health) timed build_main "$dir" "$(argo_mod)" "$argo_src" argo-health ;;
    esac
  fi
  for b in "${bins[@]}"; do echo "$b $dir/bin/$b"; done
done
