#!/usr/bin/env bash
# Tests .pre-commit-hooks.yaml with Debian's pre-commit: `pre-commit
# try-repo` of this checkout in a new git repository holding a broken
# Dockerfile, a broken app.Containerfile in a subfolder, a clean
# Containerfile, a badly spaced fmt.Dockerfile and the Dockerfile's ignore
# file, Dockerfile.dockerignore. stagehand-check must fail with exactly the
# two broken files' errors (so the hook's file pattern takes both names and
# not the ignore file); stagehand-fmt must rewrite fmt.Dockerfile only. Prints one line per check and
# "pre-commit: N passed, N failed".
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0
export PRE_COMMIT_HOME=$work/cache

mkdir -p "$work/repo/sub"
cd "$work/repo"
git init -q
printf 'FROM alpine:3.20 AS base\nRUN true\n\nFROM base\nCOPY --from=bsae /x /x\n' >Dockerfile
printf 'FROM alpine:3.20\nRUNN true\n' >sub/app.Containerfile
printf 'FROM alpine:3.20\nRUN true\n' >Containerfile
printf 'FROM alpine:3.20\nRUN    true\n' >fmt.Dockerfile
printf 'node_modules\n*.log\n' >Dockerfile.dockerignore
git add -A

# Both hooks in one run, as a repository using both would: pre-commit
# builds the command once for them.
code=0
out=$(pre-commit try-repo "$root" --files Dockerfile sub/app.Containerfile Containerfile fmt.Dockerfile Dockerfile.dockerignore 2>&1) || code=$?
errors=$(grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' <<<"$out" || true)
if [[ $code -eq 1 && $(wc -l <<<"$errors") -eq 2 && $errors == *'Dockerfile:5:13: error: No stage named "bsae"'* &&
  $errors == *'sub/app.Containerfile:2:1: error: '* ]]; then
  passed=$((passed + 1))
  echo "pre-commit: stagehand-check failed the commit with $(tr '\n' ';' <<<"$errors" | cut -c1-150)..."
else
  failed=$((failed + 1))
  echo "pre-commit: FAILED stagehand-check (exit $code)"
  sed 's/^/| /' <<<"$out"
fi
if [[ $(cat fmt.Dockerfile) == $'FROM alpine:3.20\nRUN true' && $(cat Containerfile) == $'FROM alpine:3.20\nRUN true' &&
  $(cat Dockerfile.dockerignore) == $'node_modules\n*.log' &&
  $out == *'stagehand fmt'*Failed*'files were modified by this hook'* ]]; then
  passed=$((passed + 1))
  echo "pre-commit: stagehand-fmt rewrote fmt.Dockerfile ('RUN    true' to 'RUN true'), left Containerfile alone, and failed the commit"
else
  failed=$((failed + 1))
  echo "pre-commit: FAILED stagehand-fmt (exit $code): fmt.Dockerfile is now $(tr '\n' '/' <fmt.Dockerfile)"
  sed 's/^/| /' <<<"$out"
fi

echo "pre-commit: $passed passed, $failed failed"
((failed == 0))
