#!/usr/bin/env bash
# The Kubernetes API schemas test/chart/support/k8s-schema.ts validates rendered objects with, offline:
# kubernetes-models (compiled validators) and the field lists of @kubernetes/client-node's generated
# models. Pinned; not project dependencies; installed into $SYNCPROOF_CI_CACHE/chart-tools.
#   bash tools/k8s-schemas.sh [--check]   (--check: exit 0 when installed, build nothing)
set -euo pipefail
dir="${SYNCPROOF_CI_CACHE:-/var/cache/syncproof-ci}/chart-tools"
schemas=(kubernetes-models@5.1.0 @kubernetes/client-node@2.0.1)
stamp="$dir/.installed"
[ "$(cat "$stamp" 2>/dev/null)" = "${schemas[*]}" ] && exit 0
[ "${1:-}" = --check ] && exit 1
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --ignore-scripts --no-save --loglevel=error "${schemas[@]}" >&2
echo "${schemas[*]}" > "$stamp"
