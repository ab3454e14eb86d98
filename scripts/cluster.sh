#!/usr/bin/env bash
# A Herald cluster of separate JVMs on this machine, on PostgreSQL:
#   scripts/cluster.sh up       build if needed, start PostgreSQL and the JVMs, print where to connect
#   scripts/cluster.sh down     stop exactly the JVMs that "up" started (SIGTERM: Channel servers drain), by PID
#   scripts/cluster.sh status   which of them are running
#
# The JVMs (NAME: roles, ports):
#   web1: webapp admin   Web API on 8080       web2: webapp admin   Web API on 8090
#   cs1, cs2: channel                           ps1: presence
#   gw1: gateway         websocket on 8081     gw2: gateway         websocket on 8091
# Change the ports with HERALD_CLUSTER_SH_PORT_BASE (default 8080: web1=base, gw1=base+1, web2=base+10,
# gw2=base+11). The Hazelcast cluster is named HERALD_CLUSTER_NAME (default herald-local) and uses ports from 5701.
# PIDs and logs live in run/cluster/ (NAME.pid, NAME.log). JAVA_OPTS is passed to every JVM.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/verticles/target/herald.jar"
state="$root/run/cluster"
base="${HERALD_CLUSTER_SH_PORT_BASE:-8080}"
export HERALD_CLUSTER_NAME="${HERALD_CLUSTER_NAME:-herald-local}"

# NAME ROLES..., in start order.
nodes=(
  "web1 webapp admin"
  "cs1 channel"
  "cs2 channel"
  "ps1 presence"
  "web2 webapp admin"
  "gw1 gateway"
  "gw2 gateway"
)

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

needs_build() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root/shared" "$root/verticles/pom.xml" "$root/verticles/src/main" "$root/conf" \
      -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}

# The PID recorded for NAME, if that process is still the JVM we started.
live_pid() {
  local file="$state/$1.pid" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "herald.jar" || return 1
  echo "$pid"
}

node_env() {
  local name="$1"
  case "$name" in
    web1) echo "HERALD_WEBAPP_PORT=$base" ;;
    web2) echo "HERALD_WEBAPP_PORT=$((base + 10))" ;;
    gw1) echo "HERALD_GATEWAY_PORT=$((base + 1))" ;;
    gw2) echo "HERALD_GATEWAY_PORT=$((base + 11))" ;;
  esac
}

up() {
  mkdir -p "$state"
  for spec in "${nodes[@]}"; do
    name="${spec%% *}"
    if live_pid "$name" >/dev/null; then
      echo "cluster: $name is already running (pid $(live_pid "$name")); run scripts/cluster.sh down first" >&2
      exit 1
    fi
  done
  if needs_build; then
    echo "cluster: building $jar ..." >&2
    (cd "$root" && mvn -q -B -DskipTests -pl verticles -am package) >&2
  fi
  if [ -x "$root/scripts/postgres.sh" ]; then
    "$root/scripts/postgres.sh" start >&2
  fi
  # Every JVM on the one PostgreSQL database (several Webapps need it; see docs/deployment.md).
  export HERALD_STORAGE_KIND=postgres
  export HERALD_STORAGE_PG_PASSWORD="${HERALD_STORAGE_PG_PASSWORD:-herald}"

  local started=()
  for spec in "${nodes[@]}"; do
    read -r name roles <<<"$spec"
    : > "$state/$name.log"
    # shellcheck disable=SC2046,SC2086
    env $(node_env "$name") java ${JAVA_OPTS:-} -jar "$jar" $roles --cluster \
      >> "$state/$name.log" 2>&1 < /dev/null &
    echo $! > "$state/$name.pid"
    started+=("$name")
    if [ "$name" = web1 ]; then
      # The first JVM forms the cluster and migrates the schema; the others join it.
      wait_ready web1 || { down; exit 1; }
    fi
  done
  for name in "${started[@]}"; do
    wait_ready "$name" || { down; exit 1; }
  done
  echo "cluster: $HERALD_CLUSTER_NAME is up (${#started[@]} JVMs, logs in run/cluster/)"
  for name in "${started[@]}"; do
    echo "  $name (pid $(cat "$state/$name.pid")): $(grep -m1 '^herald ready:' "$state/$name.log" | sed 's/^herald ready: //')"
  done
  echo "Web API: http://127.0.0.1:$base/api/ and http://127.0.0.1:$((base + 10))/api/"
  echo "         (rtm.connect hands out websocket URLs on either Gateway: ports $((base + 1)) and $((base + 11)))"
}

wait_ready() {
  local name="$1" pid
  pid="$(cat "$state/$name.pid")"
  for _ in $(seq 1 900); do
    if grep -q '^herald ready:' "$state/$name.log" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "cluster: $name exited; last lines of run/cluster/$name.log:" >&2
      tail -20 "$state/$name.log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "cluster: $name not ready after 180 s; see run/cluster/$name.log" >&2
  return 1
}

down() {
  local stopping=()
  # Gateways and Webapps first, then the Channel servers (which drain), the first JVM last.
  for ((i = ${#nodes[@]} - 1; i >= 0; i--)); do
    name="${nodes[$i]%% *}"
    if pid="$(live_pid "$name")"; then
      kill -TERM "$pid"
      stopping+=("$name:$pid")
    fi
  done
  for entry in "${stopping[@]+"${stopping[@]}"}"; do
    name="${entry%%:*}"
    pid="${entry##*:}"
    for _ in $(seq 1 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "cluster: $name (pid $pid) did not stop in 40 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "cluster: stopped $name (pid $pid)"
  done
  for spec in "${nodes[@]}"; do
    rm -f "$state/${spec%% *}.pid"
  done
  [ ${#stopping[@]} -gt 0 ] || echo "cluster: nothing was running"
}

status() {
  local running=0
  for spec in "${nodes[@]}"; do
    read -r name roles <<<"$spec"
    if pid="$(live_pid "$name")"; then
      echo "$name: running (pid $pid): $(grep -m1 '^herald ready:' "$state/$name.log" 2>/dev/null | sed 's/^herald ready: //')"
      running=$((running + 1))
    elif [ -f "$state/$name.pid" ]; then
      echo "$name: not running (exited; see run/cluster/$name.log)"
    fi
  done
  [ "$running" -gt 0 ] || { echo "cluster: not running"; return 3; }
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) usage ;;
esac
