#!/usr/bin/env bash
# Runs Herald: scripts/run.sh [ROLE...] [--cluster] [--conf FILE]
# ROLE is all (the default), webapp, admin, channel or gateway. Builds the fat jar first when it is missing or
# older than any source, pom or conf file. JVM options can be passed in JAVA_OPTS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/verticles/target/herald.jar"

needs_build() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root/shared" "$root/verticles/pom.xml" "$root/verticles/src/main" "$root/conf" \
      -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}

if needs_build; then
  echo "herald: building $jar ..." >&2
  (cd "$root" && mvn -q -B -DskipTests -pl verticles -am package) >&2
fi

# exec: the JVM gets Ctrl-C / SIGTERM directly and stops cleanly.
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
