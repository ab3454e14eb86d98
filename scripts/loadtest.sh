#!/usr/bin/env bash
# The load tester: scripts/loadtest.sh SCENARIO [options]
# SCENARIO is chat, bigroom, sweep, idle, storm or smoke; options are listed in
# loadtest/src/main/java/dev/herald/loadtest/LoadTest.java and docs/benchmarks.md. Builds Herald's jar and the
# load tester's jar first when either is missing or older than its sources. Results go to loadtest-results/
# (results.tsv, one HTML report per invocation, server logs) unless --out says otherwise.
# JVM options for the load generator itself can be passed in LOADTEST_JAVA_OPTS (default -Xmx4g). Past one process's
# 20,000 open files: --gateways N runs Herald as one core JVM and N Gateway JVMs, --generators K (idle) forks K
# child load generators from the same jar (their JVM options: --generator-jvm); see docs/benchmarks.md "Running it".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
herald_jar="$root/verticles/target/herald.jar"
loadtest_jar="$root/loadtest/target/herald-loadtest.jar"

stale() { # stale JAR SOURCES...: true if JAR is missing or any source file is newer
  local jar="$1"; shift
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$@" -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}

if stale "$herald_jar" "$root/pom.xml" "$root/shared" "$root/verticles/pom.xml" "$root/verticles/src/main" "$root/conf" \
  || stale "$loadtest_jar" "$root/pom.xml" "$root/loadtest/pom.xml" "$root/loadtest/src/main"; then
  echo "loadtest: building the jars ..." >&2
  (cd "$root" && mvn -q -B -ntp -DskipTests -pl verticles,loadtest -am package) >&2
fi

cd "$root"
exec java ${LOADTEST_JAVA_OPTS:--Xmx4g} -jar "$loadtest_jar" "$@"
