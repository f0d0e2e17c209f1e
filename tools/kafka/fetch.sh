#!/usr/bin/env bash
# Fetches Apache Kafka's broker (its own jars and their dependencies, from Maven Central) into
# /var/cache/syncproof-ci/kafka-<version>/libs for the kafka probe's tests (test/support/kafka.ts).
# Idempotent: a complete cache (libs/ and its .complete marker) is kept. Nothing is compiled.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
cache="${SYNCPROOF_KAFKA_CACHE:-/var/cache/syncproof-ci}/kafka-$version"
if [ -f "$cache/.complete" ]; then echo "$cache"; exit 0; fi
mkdir -p "$cache"
rm -rf "$cache/libs"
nice -n 10 mvn -B -q -f "$here/pom.xml" dependency:copy-dependencies \
  -DoutputDirectory="$cache/libs" -DincludeScope=runtime >&2
touch "$cache/.complete"
echo "$cache"
