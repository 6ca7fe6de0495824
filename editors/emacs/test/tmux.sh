#!/usr/bin/env bash
# The README's eglot setup, as a person meets it: the snippet copied
# verbatim to ~/.emacs.d/init.el in a fresh HOME, the server in
# ~/.local/bin, `emacs -nw` in a tmux terminal (Debian: emacs-nox,
# elpa-eglot, elpa-dockerfile-mode). Opens the test project's Dockerfile,
# lists Flymake's diagnostics, types `COPY --from=` and completes with
# C-M-i, jumps to the definition with M-., renames with M-x eglot-rename,
# and opens a Containerfile. Builds the server unless $STAGEHAND names one.
# Prints what was seen and "emacs-tmux: N passed, N failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../test/lib.sh"
setup emacs-tmux
snippet "$here/../README.md" '~/.emacs.d/init.el'
if ! diff -u "$here/../stagehand-eglot.el" "$work/home/.emacs.d/init.el"; then
  echo "emacs-tmux: the README's snippet and stagehand-eglot.el differ"
  echo "emacs-tmux: 0 passed, 1 failed"
  exit 1
fi
cp "$work/project/Dockerfile" "$work/project/Containerfile"
# Not the setup, the machine: Debian's Emacs 28 compiles packages natively
# in the background on first use and pops up its warnings over the window
# the test reads, and that compiling would take the CPU the test needs.
echo '(setq native-comp-deferred-compilation nil)' >"$work/home/.emacs.d/early-init.el"

mx() {
  keys M-x
  typed "$1"
  keys Enter
}

start emacs -nw Dockerfile
step "mode" "the mode line reads 'Dockerfile' with eglot connected" \
  wait_for '\(Dockerfile.*eglot' 30
mx flymake-show-buffer-diagnostics
step "diagnostic" "flymake-show-buffer-diagnostics lists 'No stage named \"biuld\"' on line 10 (column 12, Emacs counts from 0)" \
  wait_for '10 +12 +error .*No stage named "biuld"' 20
keys C-x 1

# A new last line: COPY --from=, then completion-at-point.
keys 'M->'
typed 'COPY --from='
keys Escape Tab
step "completion" "C-M-i after COPY --from= inserted 'build'" \
  wait_cursor '^COPY --from=build' 10
typed ' /out/app /app2'
step "edit" "the typed line reads 'COPY --from=build /out/app /app2'" \
  wait_for '^COPY --from=build /out/app /app2$' 5

# A person pauses here. Eglot 1.9 sends typed changes only after 0.5 s
# without input and sends M-. and eglot-rename without flushing them, so
# keys typed faster than that get answers for the older text (a rename
# then fails with "Edits on `Dockerfile' require version N, you have M").
sleep 1

# On the stage name just completed: M-. goes to its definition, which a
# text search would not find first (a comment names `build` above).
keys C-a M-f M-f C-f
keys M-.
step "definition" "M-. on --from=build moved point to 'FROM golang:1.26-bookworm AS build'" \
  wait_cursor '^FROM golang:1.26-bookworm AS build$' 10

keys C-e M-b
mx eglot-rename
wait_for 'Rename .* to' 5 || true
typed 'builder'
keys Enter
step "rename" "after M-x eglot-rename to builder: 'AS builder' and 'COPY --from=builder', the comment and the typo untouched" \
  wait_for '^COPY --from=builder /out/app /app2$' 10
step "rename everywhere" "the definition reads 'AS builder', 'COPY --from=biuld' is unchanged" \
  wait_has 10 'AS builder( |$)' '^# A Go service: the build stage' '^COPY --from=biuld '

keys C-x C-f
typed 'Containerfile'
keys Enter
step "Containerfile" "Containerfile opened in Dockerfile mode with eglot" \
  wait_for 'Containerfile .*\(Dockerfile.*eglot' 30
mx flymake-show-buffer-diagnostics
step "Containerfile diagnostic" "its diagnostics list 'No stage named \"biuld\"'" \
  wait_for '10 +12 +error .*No stage named "biuld"' 20

# Podman's other name, app.containerfile, which dockerfile-mode alone
# leaves in Fundamental mode.
cp "$work/project/Dockerfile" "$work/project/app.containerfile"
keys C-x C-f
typed 'app.containerfile'
keys Enter
step "*.containerfile" "app.containerfile opened in Dockerfile mode with eglot" \
  wait_for 'app.containerfile .*\(Dockerfile.*eglot' 30

keys C-x C-c
wait_for 'Save file' 3 && keys n
wait_for 'Modified buffers exist' 3 && typed 'yes' && keys Enter

# Without the server on PATH: a plain warning, not eglot's error.
restart_without_server emacs -nw Dockerfile
step "no server" "without ~/.local/bin on PATH: 'Warning (stagehand): stagehand is not on exec-path'" \
  wait_for 'Warning \(stagehand\): stagehand is not on exec-path' 20
keys C-x C-c
report
