#!/usr/bin/env bash
# The README's Neovim 0.7 setup, as a person meets it: the snippet copied
# verbatim to ~/.config/nvim/init.lua in a fresh HOME, the server in
# ~/.local/bin, Neovim in a tmux terminal. Opens the test project's
# Dockerfile, waits for the diagnostic on screen, types `COPY --from=` and
# completes with <C-x><C-o>, jumps to the definition with <C-]>, renames
# with :lua vim.lsp.buf.rename(). Builds the server unless $STAGEHAND names
# one. Prints what was seen and "neovim-tmux: N passed, N failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../test/lib.sh"
setup neovim-tmux
snippet "$here/../README.md" '~/.config/nvim/init.lua'

start nvim Dockerfile
step "diagnostic" "virtual text 'No stage named \"biuld\"' on the COPY --from=biuld line" \
  wait_for 'COPY --from=biuld .*No stage named "biuld"' 30

# A new last line: COPY --from=, then the completion key.
keys G o
typed 'COPY --from='
keys C-x C-o
step "completion" "<C-x><C-o> after COPY --from= offered and inserted 'build'" \
  wait_cursor '(^| )COPY --from=build' 10
typed ' /out/app /app2'
keys Escape
step "edit" "the typed line reads 'COPY --from=build /out/app /app2'" \
  wait_for '(^| )COPY --from=build /out/app /app2$' 5

# On the stage name just completed: <C-]> goes to its definition, which a
# plain text search would not find first (a comment names `build` above).
keys 0 f = l C-]
step "definition" "<C-]> on --from=build moved the cursor to 'FROM golang:1.26-bookworm AS build'" \
  wait_cursor ' FROM golang:1.26-bookworm AS build$' 10

# Rename from the definition: the prompt, the new name, Enter. A person
# pauses first; Neovim sends the typed text only after its own short delay,
# and a rename computed on older text would be refused by its version.
sleep 1
keys '$'
typed ':lua vim.lsp.buf.rename()'
keys Enter
wait_for 'New Name' 5 || true
keys C-u
typed 'builder'
keys Enter
step "rename" "'AS builder' and 'COPY --from=builder' after renaming build, the comment and the typo untouched" \
  wait_for ' COPY --from=builder /out/app /app2$' 10
step "rename everywhere" "the definition reads 'AS builder', 'COPY --from=biuld' is unchanged" \
  wait_has 10 ' AS builder( |$)' ' # A Go service: the build stage' ' COPY --from=biuld '


# A Dockerfile named like web.dockerfile (lower case), which Neovim 0.7
# alone would not give the dockerfile filetype.
keys Escape
typed ':w'
keys Enter
cp "$work/project/Dockerfile" "$work/project/web.dockerfile"
typed ':edit web.dockerfile'
keys Enter
step "*.dockerfile" "web.dockerfile opened with the server's diagnostic 'No stage named \"biuld\"'" \
  wait_for 'COPY --from=biuld .*No stage named "biuld"' 20

keys Escape
typed ':qa!'
keys Enter
report
