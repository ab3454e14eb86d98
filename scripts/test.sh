#!/usr/bin/env bash
# The one test command: builds everything and runs every test suite. Installs and starts what the tests need.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Slack's official Node SDKs for the conformance suite (SdkConformanceTest), exactly as locked, from the npm registry.
npm ci --prefix verticles/src/test/node --no-audit --no-fund

mvn -B -ntp verify
