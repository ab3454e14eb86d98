#!/usr/bin/env bash
# The one test command: builds everything and runs every test suite. Installs and starts what the tests need.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mvn -B -ntp verify
