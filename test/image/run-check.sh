#!/usr/bin/env bash
# Runs a built syncproof image the way the PostSync Job runs it and checks what a user sees.
# Usage: test/image/run-check.sh IMAGE   (called by .ci/image-check, which sets CONTAINERS_CONF; needs podman, node)
set -euo pipefail
cd "$(dirname "$0")/../.."
image=$1
here=test/image
work=$(mktemp -d)
target_pid=
cleanup() { [ -n "$target_pid" ] && kill "$target_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { printf 'image run check FAILED: %s\n' "$*" >&2; exit 1; }
has() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 lacks: $2"; }; }
lacks() { ! grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 contains: $2"; }; }
field() { podman image inspect --format "$1" "$image"; }
inside() { podman run --rm --network none --entrypoint "$1" "$image" "${@:2}"; }

echo "-- image configuration"
version=$(node -p 'require("./package.json").version')
node_version=$(node -p 'require("./package.json").devDependencies.node')
[ "$(field '{{.Config.User}}')" = "10001:10001" ] || fail "user is $(field '{{.Config.User}}'), not 10001:10001"
[ "$(field '{{json .Config.Entrypoint}}')" = '["/usr/local/bin/node","/app/bin/syncproof.js"]' ] || fail "entrypoint $(field '{{json .Config.Entrypoint}}')"
[ "$(field '{{json .Config.Cmd}}')" = '["run"]' ] || fail "cmd $(field '{{json .Config.Cmd}}')"
[ "$(field '{{index .Labels "org.opencontainers.image.version"}}')" = "$version" ] || fail "version label"
[ "$(field '{{index .Labels "org.opencontainers.image.licenses"}}')" = "Apache-2.0" ] || fail "licenses label"
# The build's CA secret (NODE_EXTRA_CA_CERTS for npm behind an intercepting proxy) stays in the build.
! field '{{json .Config.Env}}' | grep -q NODE_EXTRA_CA_CERTS || fail "NODE_EXTRA_CA_CERTS leaked into the image"
[ "$(inside /usr/local/bin/node --version)" = "v$node_version" ] || fail "node is not v$node_version"
[ "$(inside /usr/bin/id -u)" = 10001 ] || fail "runs as uid $(inside /usr/bin/id -u)"
[ "$(inside /app/bin/syncproof.js --version 2>/dev/null || podman run --rm --network none "$image" --version)" = "syncproof $version" ] ||
  fail "--version"
# Production dependencies and built code only: no npm, no sources, no compiler, nothing the user can write.
inside /bin/sh -c 'test -f /app/dist/cli.js && ! test -e /app/src && ! test -e /app/node_modules/typescript &&
  ! test -e /app/node_modules/@types/pg && ! test -e /app/node_modules/fast-check && ! command -v npm && test -d /app/node_modules/pg && ! test -w /app' >/dev/null ||
  fail "the image holds more (or less) than the built CLI and its production dependencies"
size=$(field '{{.Size}}')
echo "user 10001:10001, node v$node_version, size $size bytes ($((size / 1000000)) MB)"

echo "-- a real target on 127.0.0.1"
export TARGET_TOKEN="tok-$RANDOM$RANDOM-secret"
node "$here/target.ts" >"$work/port" &
target_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || fail "the target did not start"
export TARGET_PORT; TARGET_PORT=$(cat "$work/port")
export TARGET_URL="http://127.0.0.1:$TARGET_PORT"

# The layout kubelet gives a ConfigMap volume: keys are links into ..data, itself a link to a
# timestamped directory (swapped atomically on update).
configmap() {
  local dir="$work/$1" stamp
  stamp="..$(date -u +%Y_%m_%d_%H_%M_%S).$RANDOM"
  mkdir -p "$dir/$stamp"
  cp "$here/suites/$1"/*.yaml "$dir/$stamp/"
  ln -s "$stamp" "$dir/..data"
  for key in "$dir/$stamp"/*.yaml; do ln -s "..data/$(basename "$key")" "$dir/$(basename "$key")"; done
  chmod -R a+rX "$dir"
  echo "$dir"
}

revision=$(git rev-parse HEAD 2>/dev/null || echo 3f2a9c1e0d4b5a6978877665544332211aabbccd)
# As the Job runs it: restricted security context, read-only root with no writable tmpfs anywhere,
# the suite at /etc/syncproof, a termination-log file kubelet provides (world-writable), the Job's env.
run_job() {
  local name=$1; shift
  : >"$work/$name.termination"; chmod 666 "$work/$name.termination"
  set +e
  podman run --rm --network host --read-only --read-only-tmpfs=false \
    --cap-drop ALL --security-opt no-new-privileges \
    -v "$(configmap "$name"):/etc/syncproof:ro" \
    -v "$work/$name.termination:/dev/termination-log" \
    -e POD_NAME="orders-syncproof-x7k2p" -e ARGOCD_APP_NAME=orders -e ARGOCD_APP_NAMESPACE=orders \
    -e ARGOCD_APP_PROJECT_NAME=default -e ARGOCD_APP_REVISION="$revision" \
    -e ARGOCD_APP_SOURCE_REPO_URL=https://git.example.com/orders.git \
    -e TARGET_URL -e TARGET_PORT -e TARGET_TOKEN \
    "$image" "$@" >"$work/$name.stdout" 2>"$work/$name.stderr"
  echo $? >"$work/$name.rc"
  set -e
  echo "exit $(cat "$work/$name.rc"); stdout:"; cat "$work/$name.stdout"
  echo "termination message:"; cat "$work/$name.termination"; echo
  # Diagnostics are pino JSON lines only: a Node warning (e.g. about an unwritable path) would show here.
  node -e 'for (const l of require("fs").readFileSync(process.argv[1], "utf8").split("\n")) if (l) JSON.parse(l)' \
    "$work/$name.stderr" || { cat "$work/$name.stderr"; fail "$name: stderr is not only JSON log lines"; }
  for out in stdout stderr termination; do lacks "$work/$name.$out" "$TARGET_TOKEN"; done
}

echo "-- a passing suite, default command"
run_job pass
[ "$(cat "$work/pass.rc")" = 0 ] || { cat "$work/pass.stderr"; fail "passing suite exited $(cat "$work/pass.rc")"; }
has "$work/pass.stdout" "syncproof $version · suite image-check · app orders@${revision:0:7}"
has "$work/pass.stdout" "✓ orders health: 200 in"
has "$work/pass.stdout" "✓ orders port: connected in"
has "$work/pass.stdout" "! readiness: status = 503 (expected < 300)"
has "$work/pass.stdout" "PASSED: 2 probes passed in"
has "$work/pass.termination" "PASSED: 2 probes passed in"

echo "-- a failing suite, run --output json"
run_job fail run --output json
[ "$(cat "$work/fail.rc")" = 1 ] || { cat "$work/fail.stderr"; fail "failing suite exited $(cat "$work/fail.rc")"; }
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const check = (ok, what) => { if (!ok) { console.error("record: " + what); process.exit(1); } };
  check(r.verdict === "failed", "verdict");
  check(r.app.name === "orders" && r.app.revision === process.argv[2], "app from ARGOCD_APP_*");
  check(r.runner.pod === "orders-syncproof-x7k2p", "runner.pod from POD_NAME");
  const ready = r.probes.find((p) => p.name === "readiness");
  check(ready?.verdict === "failed" && ready.observed.status === 503, "readiness failed with 503");
' "$work/fail.stdout" "$revision" || fail "the failing run's record"
has "$work/fail.termination" "FAILED: 1 of 2 probes failed in"
has "$work/fail.termination" "✗ readiness: status = 503 (expected == 200)"
lacks "$work/fail.termination" "orders health"
echo "image run check passed"
