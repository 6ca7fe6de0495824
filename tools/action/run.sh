#!/usr/bin/env bash
# The work of action.yml: builds stagehand from the action's checkout
# ($GITHUB_ACTION_PATH) into $RUNNER_TEMP, runs `stagehand check --format
# sarif $INPUT_ARGS $INPUT_PATHS` in the current folder, writes the report
# to $INPUT_SARIF_FILE, and sets the step outputs sarif-file and exit-code
# in $GITHUB_OUTPUT. Exits with check's status when $INPUT_FAIL_ON_FINDINGS
# is "true", else 0 unless the run itself failed (status 2). The findings
# are also printed as workflow annotations (`check --format github`).
set -euo pipefail

action=${GITHUB_ACTION_PATH:?}
tmp=${RUNNER_TEMP:-$(mktemp -d)}
sarif=${INPUT_SARIF_FILE:-stagehand.sarif}
bin=$tmp/stagehand-action/stagehand

(cd "$action" && go build -trimpath -o "$bin" .)
"$bin" version | head -n 1

read -ra paths <<<"${INPUT_PATHS:-.}"
read -ra args <<<"${INPUT_ARGS:-}"
code=0
"$bin" check --format sarif "${args[@]}" "${paths[@]}" >"$sarif" || code=$?
# The same findings as annotations on the run (errors, warnings, and
# notices for information and hints), escaped as GitHub reads them.
"$bin" check --format github "${args[@]}" "${paths[@]}" 2>/dev/null || true

{
  echo "sarif-file=$sarif"
  echo "exit-code=$code"
} >>"${GITHUB_OUTPUT:-/dev/null}"
echo "stagehand check: exit $code, report in $sarif"
if [[ $code -eq 2 || ($code -ne 0 && ${INPUT_FAIL_ON_FINDINGS:-true} == true) ]]; then
  exit "$code"
fi
