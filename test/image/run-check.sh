#!/usr/bin/env bash
# Runs a built syncproof image the way the chart's PostSync Job runs it and checks what a user sees.
# Usage: test/image/run-check.sh IMAGE   (called by .ci/image-check, which sets CONTAINERS_CONF; needs
# podman, node, and the real helm of tools/go-tools.sh, see test/chart/support/tools.ts)
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
# The bundle (dependencies inside it) and its compile cache only: no node_modules, no npm, no sources,
# nothing the user can write.
inside /bin/sh -c 'test -f /app/dist/cli.js && test -f /app/dist/host-lookup-helper.js && test -f /app/dist/THIRD-PARTY-LICENSES.txt &&
  ! test -e /app/src && ! test -e /app/node_modules && ! command -v npm && test -n "$(ls /app/compile-cache/*/)" &&
  ! test -w /app && ! test -w /app/compile-cache && ! test -w /app/compile-cache/*/ && ! test -w "$(ls -d /app/compile-cache/*/* | head -1)"' >/dev/null ||
  fail "the image holds more (or less) than the bundled CLI and its compile cache"
# The shipped compile cache is the one the runtime user's Node accepts (else every start compiles dist/ again).
cache_trace=$(podman run --rm --network none --read-only -e NODE_DEBUG_NATIVE=COMPILE_CACHE "$image" --version 2>&1)
grep -qF 'code cache for ESM file:///app/dist/cli.js was accepted' <<<"$cache_trace" || { echo "$cache_trace" >&2; fail "the image's compile cache is not used"; }
size=$(field '{{.Size}}')
echo "user 10001:10001, node v$node_version, size $size bytes ($((size / 1000000)) MB)"

echo "-- a real target on 127.0.0.1"
# The token is given to the target only: the container gets it through the chart's values, or not at all.
token="tok-$RANDOM$RANDOM-secret"
TARGET_TOKEN=$token node "$here/target.ts" >"$work/port" &
target_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || fail "the target did not start"
port=$(cat "$work/port")

# What the values refer to, as it would be in the cluster: the target's address and its token.
cat >"$work/cluster.yaml" <<EOF
apiVersion: v1
kind: ConfigMap
metadata: {name: orders-target, namespace: orders}
data: {TARGET_HOST: 127.0.0.1, TARGET_PORT: "$port"}
---
apiVersion: v1
kind: Secret
metadata: {name: orders-target-token, namespace: orders}
type: Opaque
data: {token: $(printf %s "$token" | base64 -w0)}
EOF

revision=$(git rev-parse HEAD 2>/dev/null || echo 3f2a9c1e0d4b5a6978877665544332211aabbccd)
# Render the chart (release orders in namespace orders, the revision as Argo CD passes it in
# helm.parameters) with test/image/NAME-values.yaml, and run its Job's container as kubelet would
# (test/image/kubelet.ts): the rendered ConfigMap and Secret volumes in kubelet's layout, the Job's
# env, args, security context, memory limit, activeDeadlineSeconds and termination-message file.
# Not from the Job: host network, so that the container reaches the target on 127.0.0.1.
run_job() {
  local name=$1 dir="$work/$1" options command
  node "$here/job-to-podman.ts" "$dir" "$work/cluster.yaml" orders --namespace orders -f "$here/$name-values.yaml" \
    --set-string "app.revision=$revision" --set-string "image.repository=${image%:*}" --set-string "image.tag=${image##*:}" \
    >"$work/$name.podman" || fail "$name: the chart's Job could not be rendered or translated"
  cat "$work/$name.podman"
  mapfile -d '' -t options <"$dir/podman-options"
  mapfile -d '' -t command <"$dir/podman-command"
  set +e
  podman run --network host "${options[@]}" "${command[@]}" >"$work/$name.stdout" 2>"$work/$name.stderr"
  echo $? >"$work/$name.rc"
  set -e
  cp "$dir/termination-log" "$work/$name.termination"
  echo "exit $(cat "$work/$name.rc"); stdout:"; cat "$work/$name.stdout"
  echo "termination message:"; cat "$work/$name.termination"; echo
  # Diagnostics are JSON log lines only: a Node warning (e.g. about an unwritable path) would show here.
  node -e 'for (const l of require("fs").readFileSync(process.argv[1], "utf8").split("\n")) if (l) JSON.parse(l)' \
    "$work/$name.stderr" || { cat "$work/$name.stderr"; fail "$name: stderr is not only JSON log lines"; }
  for out in stdout stderr termination podman; do lacks "$work/$name.$out" "$token"; done
}

echo "-- a passing suite, the token in a Secret volume read with \${file:}"
run_job pass
[ "$(cat "$work/pass.rc")" = 0 ] || { cat "$work/pass.stderr"; fail "passing suite exited $(cat "$work/pass.rc")"; }
has "$work/pass.stdout" "syncproof $version · suite image-check · app orders@${revision:0:7}"
has "$work/pass.stdout" "✓ orders health: 200 in"
has "$work/pass.stdout" "✓ orders port: connected in"
has "$work/pass.stdout" "! readiness: status = 503 (expected < 300)"
has "$work/pass.stdout" "PASSED: 2 probes passed in"
has "$work/pass.termination" "PASSED: 2 probes passed in"

echo "-- inside the passing run's container (its options, a shell instead of syncproof)"
mapfile -d '' -t options <"$work/pass/podman-options"
podman run --network host "${options[@]}" --entrypoint /bin/sh "$image" -c '
  grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status
  echo "uid:gid $(id -u):$(id -g)"; echo "hostname $(hostname) POD_NAME $POD_NAME"
  for path in / /tmp /app /etc/syncproof /dev/termination-log; do [ -w "$path" ] && echo "writable $path"; done
  echo "memory limit $(cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null)"
  ls /etc/syncproof; ls /var/run/secrets/target; ls /var/run/secrets/kubernetes.io 2>&1 | sed "s/.*No such.*/no service account token/"
' >"$work/inside" 2>&1 || { cat "$work/inside"; fail "the shell in the passing run's container"; }
pod=$(cat "$work/pass/pod-name")
diff -u - "$work/inside" <<EOF || fail "the container kubelet would start differs (- expected, + found)"
CapEff:	0000000000000000
CapBnd:	0000000000000000
NoNewPrivs:	1
uid:gid 10001:10001
hostname $pod POD_NAME $pod
writable /dev/termination-log
memory limit 268435456
suite.yaml
token
no service account token
EOF
echo "capabilities none, no-new-privileges, 10001:10001, only /dev/termination-log writable, 256Mi, suite.yaml and the token mounted"

echo "-- a failing suite, extraArgs [--output, json], LOG_LEVEL debug"
run_job fail
[ "$(cat "$work/fail.rc")" = 1 ] || { cat "$work/fail.stderr"; fail "failing suite exited $(cat "$work/fail.rc")"; }
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const check = (ok, what) => { if (!ok) { console.error("record: " + what); process.exit(1); } };
  check(r.verdict === "failed", "verdict");
  const app = { name: "orders", namespace: "orders", project: "default", revision: process.argv[2], repoURL: "https://git.example.com/orders.git" };
  check(JSON.stringify(r.app) === JSON.stringify(app), "app from ARGOCD_APP_*: " + JSON.stringify(r.app));
  check(/^orders-syncproof-[a-z0-9]{5}$/.test(r.runner.pod) && r.runner.pod === process.argv[3], "runner.pod from POD_NAME (the downward API)");
  const ready = r.probes.find((p) => p.name === "readiness");
  check(ready?.verdict === "failed" && ready.observed.status === 503, "readiness failed with 503");
' "$work/fail.stdout" "$revision" "$(cat "$work/fail/pod-name")" || fail "the failing run's record"
has "$work/fail.termination" "FAILED: 1 of 2 probes failed in"
has "$work/fail.termination" "✗ readiness: status = 503 (expected == 200)"
lacks "$work/fail.termination" "orders health"
echo "image run check passed"
