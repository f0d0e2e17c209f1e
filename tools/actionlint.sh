#!/usr/bin/env bash
# Checks .github/workflows/*.yml with actionlint, built from its Go module at a pinned version into
# the CI cache (never into the repository): tools/actionlint.sh [actionlint args…]
# The first build takes about a minute on 2 cores (under nice); later runs use the cached binary.
set -euo pipefail
cd "$(dirname "$0")/.."

version=v1.7.12
cache=${SYNCPROOF_CI_CACHE:-/var/cache/syncproof-ci}
bin="$cache/tools/actionlint-$version"

if [ ! -x "$bin" ]; then
  command -v go >/dev/null || { echo "actionlint.sh: needs Go (https://go.dev/dl/)" >&2; exit 1; }
  mkdir -p "$cache/tools"
  gobin=$(mktemp -d)
  trap 'rm -rf "$gobin"' EXIT
  GOBIN="$gobin" GOFLAGS=-mod=mod GOMODCACHE="$cache/go-mod" GOCACHE="$cache/go-build" \
    nice -n 10 go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
  mv "$gobin/actionlint" "$bin"
fi

exec "$bin" "$@"
