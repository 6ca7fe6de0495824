#!/usr/bin/env bash
# The README's ALE setup, as a person meets it: the snippet copied verbatim
# to ~/.vimrc in a fresh HOME (Debian: vim, vim-ale), the server in
# ~/.local/bin, Vim in a tmux terminal. The project is a git repository
# whose compose.yaml builds the `build` stage, which Stagehand finds only
# from the right project root. Opens the Dockerfile, reads the diagnostics
# in :lopen, types `COPY --from=` and completes with <C-x><C-o>, jumps with
# :ALEGoToDefinition, renames with :ALERename. Builds the server unless
# $STAGEHAND names one. Prints what was seen and "vim-tmux: N passed, N
# failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../test/lib.sh"
setup vim-tmux
snippet "$here/../README.md" '~/.vimrc'
if ! diff -u "$here/../ale.vim" "$work/home/.vimrc"; then
  echo "vim-tmux: the README's snippet and ale.vim differ"
  echo "vim-tmux: 0 passed, 1 failed"
  exit 1
fi
git -C "$work/project" init -q
printf 'services:\n  app:\n    build:\n      context: .\n      target: build\n' >"$work/project/compose.yaml"

# after SECONDS CMD...: CMD once SECONDS have passed (ALE lints after a
# short delay; a check made at once would pass before any report is drawn).
after() {
  sleep "$1"
  shift
  "$@"
}

ex() {
  keys Escape
  typed ":$1"
  keys Enter
}

start vim Dockerfile
# ALE reports in the background; the location list shows what it has.
wait_for '^E? *>>|^>>' 30 || true
sleep 1
ex lopen
step "diagnostic" ":lopen lists 'Dockerfile|10 col 13-17 error| UnknownStageReference: No stage named \"biuld\"'" \
  wait_for 'Dockerfile\|10 col 13-17 error\| UnknownStageReference: No stage named "biuld"' 20
step "project root" "no UnusedStage report for 'build': the root holding .git and compose.yaml was found" \
  bash -c "! tmux -S '$sock' capture-pane -p | grep -q 'is never built'"
ex lclose

# A new last line: COPY --from=, then the completion key.
keys G o
typed 'COPY --from='
keys C-x C-o
step "completion" "<C-x><C-o> after COPY --from= offered and inserted 'build'" \
  wait_cursor 'COPY --from=build' 10
typed ' /out/app /app2'
keys Escape
step "edit" "the typed line reads 'COPY --from=build /out/app /app2'" \
  wait_for 'COPY --from=build /out/app /app2$' 5
sleep 1

# On the stage name just completed; a comment names `build` first.
keys 0 f = l
ex ALEGoToDefinition
step "definition" ":ALEGoToDefinition on --from=build moved the cursor to 'FROM golang:1.26-bookworm AS build'" \
  wait_cursor 'FROM golang:1.26-bookworm AS build$' 10

keys '$'
sleep 1
ex ALERename
wait_for '^New name: build$' 10 || true
sleep 0.5
keys C-u
typed 'builder'
keys Enter
step "rename" ":ALERename to builder: 'AS builder' and 'COPY --from=builder', the comment and the typo untouched" \
  wait_for 'COPY --from=builder /out/app /app2$' 10
step "rename everywhere" "the definition reads 'AS builder', 'COPY --from=biuld' is unchanged" \
  wait_has 10 'AS builder( |$)' '# A Go service: the build stage' 'COPY --from=biuld '

ex 'wa'
ex 'edit compose.yaml'
step "rename in compose.yaml" "compose.yaml, which builds the stage, reads 'target: builder'" \
  wait_for '^ *target: builder$' 10

# Now only compose.yaml builds the stage: without the last line, and
# renamed again. ALE tells the server of no file but the Dockerfile, so the
# server must see for itself that compose.yaml was saved (once above, and
# once here after :wa).
ex 'edit Dockerfile'
keys G d d
step "built by compose.yaml" "without the last COPY --from=builder, no never-built report: the saved compose.yaml builds 'builder'" \
  after 1 wait_gone 'is never built' 10
ex '/AS builder'
keys '$'
sleep 1
ex ALERename
wait_for '^New name: builder$' 10 || true
sleep 0.5
keys C-u
typed 'compiler'
keys Enter
step "before saving" "renamed to compiler: reported as never built while compose.yaml is unsaved" \
  wait_for 'Stage "compiler" is never built' 10
ex 'wa'
step "after :wa" "the never-built report went away once compose.yaml was written" \
  wait_gone 'is never built' 15

# Non-ASCII text before the references on their lines: ALE's columns are
# bytes, the server's UTF-16 unless the setup asks for UTF-8; a rename
# with the wrong unit rewrites the wrong characters.
printf '%s\n' '# Étape — 日本語 🐳' 'FROM alpine:3.20 AS etape' 'RUN echo "héllo 🐳" > /x' '' \
  'FROM alpine:3.20' 'RUN --mount=type=bind,target=/🐳,from=etape cat /🐳/x' \
  'COPY --chown=日本 --from=etape /x /y' >"$work/project/intl.Dockerfile"
ex 'edit intl.Dockerfile'
wait_for 'COPY --chown=日本 --from=etape' 10 || true
sleep 1
ex '/AS etape'
keys '$'
ex ALERename
wait_for '^New name: etape$' 10 || true
sleep 0.5
keys C-u
typed 'stage1'
keys Enter
step "rename after non-ASCII" "':ALERename' to stage1 rewrote 'from=stage1' after '/🐳,' and '--from=stage1' after '日本'" \
  wait_has 10 'AS stage1$' 'target=/🐳,from=stage1 cat' 'COPY --chown=日本 --from=stage1 /x /y'
ex 'w'

# Podman's other name, which Vim 9.0 alone gives no filetype.
cp "$work/project/Dockerfile" "$work/project/app.containerfile"
ex 'edit app.containerfile'
step "*.containerfile" "app.containerfile opened with the server's report on 'COPY --from=biuld'" \
  wait_for 'COPY --from=biuld .*No stage named "biuld"' 20
ex 'qa!'

# Without the server on PATH, ALE alone would lint nothing and say nothing.
restart_without_server vim Dockerfile
step "no server" "without ~/.local/bin on PATH, opening the Dockerfile says 'Stagehand: no stagehand on PATH'" \
  wait_for 'Stagehand: no stagehand on PATH' 10
keys Enter
ex 'qa!'
report
