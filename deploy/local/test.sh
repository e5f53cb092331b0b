#!/usr/bin/env bash
# README command 2 (and what CI runs): installs what the tests need (Azurite from npm, Chromium from apt) and runs
# the dependency audit (deploy/local/audit-deps.sh) and every test in the solution. The tests start and stop their own Azurite on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/common.sh

ensure_node_tools
ensure_chromium

# The dependency gate (README: Security, dependencies): high or critical NuGet/npm advisories fail the run.
set +e
bash deploy/local/audit-deps.sh
audit_status=$?
set -e

mkdir -p .data
log=.data/test.log
set +e
dotnet test Personalization.sln -c Release -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole suite, summed over the test projects.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
       }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' FS='[ ,]+' "$log"
if [ "$status" -ne 0 ] && ! grep -q '^Failed!' "$log"; then
  echo "tests: the run failed before every project ran (build error?): see $log" >&2
fi
if [ "$audit_status" -ne 0 ]; then
  echo "dependencies: the audit failed (see above); the run fails even if every test passed" >&2
  [ "$status" -ne 0 ] || status=$audit_status
fi
exit "$status"
