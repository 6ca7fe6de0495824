#!/usr/bin/env bash
# Runs tools/action/run.sh as action.yml's composite step does, with the
# variables GitHub sets, in a workspace holding a broken Dockerfile: checks
# the step outputs, the SARIF report (2.1.0, the finding with its rule and
# place), the annotation, and the exit status with fail-on-findings on and
# off. Also checks that action.yml calls the script with the inputs it
# reads. Prints one line per check and "action: N passed, N failed".
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
result() {
  if [[ $1 == ok ]]; then
    passed=$((passed + 1))
    echo "action: $2"
  else
    failed=$((failed + 1))
    echo "action: FAILED $2"
    [[ -z ${3:-} ]] || sed 's/^/| /' <<<"$3"
  fi
}

mkdir -p "$work/ws/app" "$work/tmp"
printf 'FROM alpine:3.20 AS base\nRUN true\n\nFROM base\nCOPY --from=bsae /x /x\n' >"$work/ws/app/Dockerfile"

step() {
  : >"$work/output"
  (cd "$work/ws" && env GITHUB_ACTION_PATH="$root" RUNNER_TEMP="$work/tmp" GITHUB_OUTPUT="$work/output" \
    INPUT_PATHS=. INPUT_ARGS="$1" INPUT_SARIF_FILE=stagehand.sarif INPUT_FAIL_ON_FINDINGS="$2" \
    "$root/tools/action/run.sh" 2>&1)
}

code=0
out=$(step "" false) || code=$?
if [[ $code -eq 0 ]] && grep -qx 'exit-code=1' "$work/output" && grep -qx 'sarif-file=stagehand.sarif' "$work/output"; then
  result ok "fail-on-findings false: step exit 0, outputs exit-code=1 sarif-file=stagehand.sarif"
else
  result fail "outputs (exit $code): $(tr '\n' ' ' <<<"$(cat "$work/output")")" "$out"
fi
if grep -q '^::error file=app/Dockerfile,line=5,col=13,endLine=5,endColumn=17,title=UnknownStageReference::No stage named "bsae"' <<<"$out"; then
  result ok "annotation: $(grep '^::error' <<<"$out" | cut -c1-90)..."
else
  result fail "no ::error annotation for app/Dockerfile:5:13" "$out"
fi
if summary=$(node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const r = s.runs[0].results.find((r) => r.ruleId === "UnknownStageReference");
  const loc = r.locations[0].physicalLocation;
  if (s.version !== "2.1.0" || !loc.artifactLocation.uri.endsWith("app/Dockerfile") || loc.region.startLine !== 5) process.exit(1);
  console.log(`SARIF ${s.version}, ${s.runs[0].tool.driver.name}: ${r.ruleId} at ${loc.artifactLocation.uri}:${loc.region.startLine}:${loc.region.startColumn}`);
' "$work/ws/stagehand.sarif" 2>&1); then
  result ok "$summary"
else
  result fail "the SARIF report" "$summary"
fi

code=0
out=$(step "--strict" true) || code=$?
if [[ $code -eq 1 ]]; then
  result ok "fail-on-findings true: step exit 1"
else
  result fail "fail-on-findings true: exit $code" "$out"
fi

# action.yml runs this script and passes the inputs it reads.
missing=()
grep -q 'run: .*"$GITHUB_ACTION_PATH/tools/action/run.sh"' "$root/action.yml" || missing+=(run.sh)
for input in paths args sarif-file; do
  env=INPUT_$(tr 'a-z-' 'A-Z_' <<<"$input")
  grep -q "^  $input:" "$root/action.yml" && grep -q "$env: \${{ inputs.$input }}" "$root/action.yml" || missing+=("$input")
done
if ((${#missing[@]} == 0)); then
  result ok "action.yml runs tools/action/run.sh with inputs paths, args, sarif-file"
else
  result fail "action.yml does not wire: ${missing[*]}"
fi

# setup-go's cache hashes its cache-dependency-path with @actions/glob's
# hashFiles, which skips files outside $GITHUB_WORKSPACE: pointed at the
# action's own go.sum, or left to find the user's (a repository without
# go.sum at its root), it warns "Restore cache failed" on every run.
setup_go=$(awk '/uses: actions\/setup-go@/ { on = 1; next } on && /^    - / { exit } on' "$root/action.yml")
if grep -q 'cache: false' <<<"$setup_go" && ! grep -q 'cache-dependency-path:' <<<"$setup_go"; then
  result ok "action.yml's setup-go step turns its cache off (it cannot hash the action's go.sum)"
else
  result fail "action.yml's setup-go step uses a cache that cannot work from \$GITHUB_ACTION_PATH" "$setup_go"
fi

echo "action: $passed passed, $failed failed"
((failed == 0))
