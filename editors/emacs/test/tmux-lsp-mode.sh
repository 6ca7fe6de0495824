#!/usr/bin/env bash
# The README's lsp-mode setup, as a person meets it: the snippet copied
# verbatim to ~/.emacs.d/init.el in a fresh HOME (Debian: emacs-nox,
# elpa-lsp-mode, elpa-dockerfile-mode), the server in ~/.local/bin,
# `emacs -nw` in a tmux terminal. Opens the test project's Dockerfile,
# answers lsp-mode's question for the project root, lists Flymake's
# diagnostics, types `COPY --from=bu` and completes with C-M-i, jumps to the
# definition with M-., renames with M-x lsp-rename, and starts Emacs again
# without the server on PATH. Builds the server unless $STAGEHAND names
# one. Prints what was seen and "emacs-lsp-mode-tmux: N passed, N failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../test/lib.sh"
setup emacs-lsp-mode-tmux
snippet "$here/../README.md" '~/.emacs.d/init.el' lsp-mode
if ! diff -u "$here/../stagehand-lsp-mode.el" "$work/home/.emacs.d/init.el"; then
  echo "emacs-lsp-mode-tmux: the README's snippet and stagehand-lsp-mode.el differ"
  echo "emacs-lsp-mode-tmux: 0 passed, 1 failed"
  exit 1
fi
# Not the setup, the machine: as in tmux.sh, no native compiling.
echo '(setq native-comp-deferred-compilation nil)' >"$work/home/.emacs.d/early-init.el"

mx() {
  keys M-x
  typed "$1"
  keys Enter
}

start emacs -nw Dockerfile
# lsp-mode asks once per project for its root; `i` imports the one shown.
wait_for 'Import project root' 30 && typed i
step "mode" "the mode line reads 'Dockerfile' with LSP[stagehand:...]" \
  wait_for '\(Dockerfile.*LSP\[stagehand' 30
mx flymake-show-buffer-diagnostics
step "diagnostic" "flymake-show-buffer-diagnostics lists 'No stage named \"biuld\"' on line 10" \
  wait_for '10 +12 +error .*No stage named "biuld"' 20
keys C-x 1

# A new last line: COPY --from=bu, then completion-at-point.
keys 'M->'
typed 'COPY --from=bu'
sleep 0.5
keys Escape Tab
step "completion" "C-M-i after COPY --from=bu inserted 'build'" \
  wait_cursor '^COPY --from=build' 10
typed ' /out/app /app2'
sleep 1

keys C-a M-f M-f C-f
keys M-.
step "definition" "M-. on --from=build moved point to 'FROM golang:1.26-bookworm AS build'" \
  wait_cursor '^FROM golang:1.26-bookworm AS build$' 10

keys C-e M-b
mx lsp-rename
wait_for 'Rename build to' 5 || true
keys C-a C-k
typed 'builder'
keys Enter
step "rename" "after M-x lsp-rename to builder: 'AS builder' and 'COPY --from=builder', the comment and the typo untouched" \
  wait_has 10 '^COPY --from=builder /out/app /app2$' 'AS builder( |$)' '^# A Go service: the build stage' '^COPY --from=biuld '

# An emoji before the stage names on their lines: lsp-mode counts code
# points, the protocol UTF-16 units unless the client asks otherwise.
printf '%s\n' '# Étape 🐳' 'FROM alpine:3.20 AS etape' '' 'FROM alpine:3.20' \
  'RUN --mount=type=bind,target=/🐳,from=etape cat /🐳/x' \
  'COPY --chown=日本 --from=etape /x /y' >"$work/project/intl.Dockerfile"
keys C-x C-s
keys C-x C-f
typed 'intl.Dockerfile'
keys Enter
wait_for 'intl.Dockerfile .*LSP\[stagehand' 20 || true
keys M-g g
typed 2
keys Enter
keys C-e M-b
mx lsp-rename
wait_for 'Rename etape to' 5 || true
keys C-a C-k
typed 'stage1'
keys Enter
step "rename after non-ASCII" "lsp-rename to stage1 rewrote 'from=stage1' after '/🐳,' and '--from=stage1' after '日本'" \
  wait_has 10 'AS stage1$' 'target=/🐳,from=stage1 cat' 'COPY --chown=日本 --from=stage1 /x /y'

# Without the server on PATH: the setup's warning, not lsp-mode's offer to
# install another Dockerfile server.
restart_without_server emacs -nw Dockerfile
step "no server" "without ~/.local/bin on PATH: 'Warning (stagehand): stagehand is not on exec-path'" \
  wait_for 'Warning \(stagehand\): stagehand is not on exec-path' 20
keys C-x C-c
report
