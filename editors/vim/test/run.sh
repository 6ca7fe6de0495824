#!/usr/bin/env bash
# Runs Stagehand under Vim 9 with ALE (Debian: vim-nox or vim, vim-ale),
# headless in Ex mode. Builds the server unless $STAGEHAND names a binary.
# Prints "vim-ale: N passed, N failed" and exits non-zero on failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bin=${STAGEHAND:-}
if [[ -z $bin ]]; then
  bin=$work/stagehand
  (cd "$root" && go build -o "$bin" .)
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
mkdir -p "$work/project" "$work/home" "$work/bin"
# The setup names `stagehand`, found on PATH as users would have it.
ln -s "$bin" "$work/bin/stagehand"

echo "vim-ale: $(vim --version | sed -n 1p)"
status=0
PATH=$work/bin:$PATH HOME=$work/home STAGEHAND_WORKDIR=$work/project \
  timeout -k 5 90 vim -Nu NONE -i NONE -es -S "$here/ale-test.vim" </dev/null >"$work/out" 2>&1 || status=$?
if [[ -f $work/project/report ]]; then
  cat "$work/project/report"
fi
if [[ $status -ne 0 ]]; then
  [[ $status -eq 124 ]] && echo "vim-ale: timed out"
  echo "--- Vim's output (last 20 lines)"
  tail -n 20 "$work/out"
  grep -q '^vim-ale: [0-9]* passed, [0-9]* failed$' "$work/project/report" 2>/dev/null || echo "vim-ale: 0 passed, 1 failed"
fi
exit "$status"
