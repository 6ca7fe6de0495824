# Shared by the editors' terminal tests (editors/*/test/tmux.sh): a fresh
# HOME, the README's snippet copied into it verbatim, and the real editor
# run in tmux, driven with send-keys and read back with capture-pane.
# Source it, then call setup NAME.

lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$lib_dir/../.." && pwd)
passed=0
failed=0
saw=()

# setup NAME: a work folder with home/ (HOME, with the server installed in
# ~/.local/bin as the README says) and project/ (the test project).
setup() {
  name=$1
  work=$(mktemp -d)
  sock=$work/tmux.sock
  trap teardown EXIT
  local bin=${STAGEHAND:-}
  if [[ -z $bin ]]; then
    bin=$work/stagehand
    (cd "$repo_root" && go build -o "$bin" .)
  fi
  mkdir -p "$work/home/.local/bin" "$work/project"
  cp "$bin" "$work/home/.local/bin/stagehand"
  cp -r "$lib_dir/project/." "$work/project/"
}

teardown() {
  local status=$? try
  tmux -S "$sock" kill-server 2>/dev/null || true
  # The editor and its server may still be writing their caches for a
  # moment after tmux hangs them up: try again rather than fail the test.
  for try in 1 2 3 4 5 6 7 8 9 10; do
    rm -rf "$work" 2>/dev/null && break
    sleep 0.5
  done
  [[ ! -e $work ]] || echo "teardown: could not remove $work" >&2
  return "$status"
}

# snippet README FILE [LABEL]: writes the fenced block that follows the
# line `<!-- ci-snippet: FILE -->` (or `<!-- ci-snippet: FILE (LABEL) -->`,
# where one README has two setups for the same file) in README to FILE
# under the fresh HOME.
snippet() {
  local readme=$1 file=$2 label=${3:+ ($3)}
  local dest=$work/home/${file#\~/}
  mkdir -p "$(dirname "$dest")"
  awk -v m="<!-- ci-snippet: $file$label -->" '
    $0 == m { found = 1; next }
    found == 1 && /^```/ { found = 2; next }
    found == 2 && /^```/ { exit }
    found == 2 { print }
  ' "$readme" >"$dest"
  if [[ ! -s $dest ]]; then
    echo "$name: no snippet for $file in $readme"
    exit 1
  fi
}

# start CMD...: runs CMD in a 100x30 terminal, in project/, with only the
# fresh HOME and a PATH of ~/.local/bin and the system's folders.
start() {
  tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 30 -c "$work/project" \
    env -i HOME="$work/home" PATH="$work/home/.local/bin:/usr/bin:/bin" \
    TERM=xterm-256color LANG=C.UTF-8 "$@"
}

# restart_without_server CMD...: ends the session and runs CMD again as
# start does, with ~/.local/bin left off PATH: a user who has not installed
# the server, or whose PATH lacks the folder.
restart_without_server() {
  tmux -S "$sock" kill-server 2>/dev/null || true
  sleep 0.5
  tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 30 -c "$work/project" \
    env -i HOME="$work/home" PATH="/usr/bin:/bin" \
    TERM=xterm-256color LANG=C.UTF-8 "$@"
}

keys() { tmux -S "$sock" send-keys "$@"; }
typed() { tmux -S "$sock" send-keys -l "$1"; }
screen() { tmux -S "$sock" capture-pane -p 2>/dev/null; }

# cursor_line: the text of the screen line the cursor is on.
cursor_line() {
  local y
  y=$(tmux -S "$sock" display -p '#{cursor_y}')
  screen | sed -n "$((y + 1))p"
}

# wait_for REGEX [SECONDS]: until the screen matches (grep -E).
wait_for() {
  local re=$1 limit=${2:-20} i
  for ((i = 0; i < limit * 5; i++)); do
    if matched=$(screen | grep -m 1 -E -- "$re"); then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# wait_cursor REGEX [SECONDS]: until the line under the cursor matches.
wait_cursor() {
  local re=$1 limit=${2:-20} i
  for ((i = 0; i < limit * 5; i++)); do
    if matched=$(cursor_line | grep -m 1 -E -- "$re"); then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# wait_gone REGEX [SECONDS]: until the screen no longer matches.
wait_gone() {
  local re=$1 limit=${2:-20} i
  for ((i = 0; i < limit * 5; i++)); do
    if ! screen | grep -q -E -- "$re"; then
      matched=
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# screen_has REGEX...: whether the screen matches every REGEX now.
screen_has() {
  local shown re
  shown=$(screen)
  matched=
  for re in "$@"; do
    matched+=${matched:+ / }$(grep -m 1 -E -- "$re" <<<"$shown") || return 1
  done
}

# wait_has SECONDS REGEX...: until the screen matches every REGEX at once
# (diagnostics drawn after an edit may lag behind the text for a moment).
wait_has() {
  local limit=$1 i
  shift
  for ((i = 0; i < limit * 5; i++)); do
    screen_has "$@" && return 0
    sleep 0.2
  done
  return 1
}

# step WHAT SAW CMD...: runs a check; SAW is what the person saw when it
# passed, followed by the screen text that matched. On failure, the screen
# goes to the log.
step() {
  local what=$1 seen=$2
  shift 2
  matched=
  if "$@"; then
    passed=$((passed + 1))
    matched=$(sed -e 's/^ *//' -e 's/ \{2,\}/ /g' <<<"$matched" | cut -c1-90)
    saw+=("$what: $seen${matched:+ [screen: \"$matched\"]}")
  else
    failed=$((failed + 1))
    saw+=("$what: FAILED")
    echo "--- $name: $what failed; the screen was:"
    screen | sed -e '/^$/d' -e 's/^/| /'
  fi
}

# report: one line of what the person saw, then the count line.
report() {
  local IFS=';'
  echo "$name saw: ${saw[*]}" | sed 's/;/; /g'
  echo "$name: $passed passed, $failed failed"
  ((failed == 0))
}
