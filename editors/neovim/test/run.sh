#!/usr/bin/env bash
# Runs Stagehand under a real headless Neovim (0.7+) and checks diagnostics,
# positions and a clean shutdown. Builds the server unless $STAGEHAND names a
# binary. Prints "neovim: N passed, N failed" and exits non-zero on failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)

if ! command -v nvim >/dev/null 2>&1; then
  echo "neovim: nvim not found (apt-get install neovim)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bin=${STAGEHAND:-}
if [[ -z $bin ]]; then
  bin=$work/stagehand
  (cd "$root" && go build -o "$bin" .)
elif [[ ! -x $bin ]]; then
  echo "neovim: \$STAGEHAND=$bin is not an executable" >&2
  exit 1
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

echo "neovim: $(nvim --version | sed -n 1p)"

mkdir -p "$work/project" "$work/xdg/config" "$work/xdg/data" "$work/xdg/state" "$work/xdg/cache"
status=0
# Keep Neovim away from the user's config, shada and logs; stdin is closed so
# it never waits on a terminal. The timeout stops a hung client or server.
STAGEHAND_BIN=$bin STAGEHAND_WORKDIR=$work/project \
  XDG_CONFIG_HOME=$work/xdg/config XDG_DATA_HOME=$work/xdg/data \
  XDG_STATE_HOME=$work/xdg/state XDG_CACHE_HOME=$work/xdg/cache \
  timeout -k 10 60 nvim --headless -u NONE -i NONE -n \
  -c "luafile $here/diagnostics.lua" </dev/null >"$work/out" 2>"$work/err" || status=$?
# The editing features (completion, definition, rename, code actions), in a
# Neovim of their own so that a failure in one file cannot hide the other.
STAGEHAND_BIN=$bin STAGEHAND_WORKDIR=$work/project \
  XDG_CONFIG_HOME=$work/xdg/config XDG_DATA_HOME=$work/xdg/data \
  XDG_STATE_HOME=$work/xdg/state XDG_CACHE_HOME=$work/xdg/cache \
  timeout -k 10 60 nvim --headless -u NONE -i NONE -n \
  -c "luafile $here/features.lua" </dev/null >>"$work/out" 2>>"$work/err" || status=$?
cat "$work/out"
# Neovim's own messages (e.g. "Client 1 quit with exit code 2") go to stderr,
# without newlines.
if [[ -s $work/err ]]; then
  echo "--- Neovim's messages"
  cat "$work/err"
  echo
fi

if [[ $status -ne 0 ]]; then
  if [[ $status -eq 124 ]]; then
    echo "neovim: timed out after 60 s"
  fi
  if ! grep -q '^neovim: [0-9]* passed, [0-9]* failed$' "$work/out"; then
    echo "neovim: 0 passed, 1 failed"
  fi
  if ! grep -q '^neovim-features: [0-9]* passed, [0-9]* failed' "$work/out"; then
    echo "neovim-features: 0 passed, 1 failed"
  fi
  for log in "$work/project/server.log" "$work/project/features.log" "$work/xdg/cache/nvim/lsp.log" "$work/xdg/state/nvim/lsp.log"; do
    # A log holding only its header line says nothing.
    if [[ -f $log && $(wc -l <"$log") -gt 1 ]]; then
      printf '\n--- %s (last 40 lines)\n' "$log"
      tail -n 40 "$log"
    fi
  done
fi
exit "$status"
