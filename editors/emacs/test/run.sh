#!/usr/bin/env bash
# Runs Stagehand under Emacs's eglot in batch mode (Debian: emacs-nox
# elpa-eglot). Builds the server unless $STAGEHAND names a binary. Prints
# "emacs-eglot: N passed, N failed" and exits non-zero on failure.
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
mkdir -p "$work/project" "$work/home"

echo "emacs-eglot: $(emacs --version | sed -n 1p)"
status=0
mkdir -p "$work/bin"
ln -s "$bin" "$work/bin/stagehand"
PATH=$work/bin:$PATH HOME=$work/home STAGEHAND_BIN=$bin STAGEHAND_WORKDIR=$work/project \
  timeout -k 5 90 emacs --batch -q -l "$here/eglot-test.el" </dev/null >"$work/out" 2>"$work/err" || status=$?
cat "$work/out"
if [[ $status -ne 0 ]]; then
  echo "--- Emacs's messages (last 30 lines)"
  tail -n 30 "$work/err"
  grep -q '^emacs-eglot: [0-9]* passed, [0-9]* failed$' "$work/out" || echo "emacs-eglot: 0 passed, 1 failed"
  if [[ -f $work/project/server.log ]]; then
    echo "--- server.log (last 30 lines)"
    tail -n 30 "$work/project/server.log"
  fi
fi
exit "$status"
