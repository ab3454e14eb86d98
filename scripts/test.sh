#!/usr/bin/env bash
# The one test command: builds everything and runs every test suite. Installs and starts what the tests need.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The PostgreSQL storage suites run against this server; each test class makes (and drops) its own database on it.
bash scripts/postgres.sh start
export HERALD_TEST_PG_HOST="${HERALD_TEST_PG_HOST:-127.0.0.1}"
export HERALD_TEST_PG_PORT="${HERALD_TEST_PG_PORT:-5432}"
export HERALD_TEST_PG_DATABASE="${HERALD_TEST_PG_DATABASE:-herald}"
export HERALD_TEST_PG_USER="${HERALD_TEST_PG_USER:-herald}"
export HERALD_TEST_PG_PASSWORD="${HERALD_TEST_PG_PASSWORD:-herald}"
# Slack's official Node SDKs for the conformance suite (SdkConformanceTest), exactly as locked, from the npm registry.
npm ci --prefix verticles/src/test/node --no-audit --no-fund

mvn -B -ntp verify
