#!/usr/bin/env bash
# Runs the README's install blocks (`<!-- ci-install: NAME -->` before a
# fenced block) as a new user would, each in a fresh HOME with only the
# system's PATH, then starts `stagehand version` from a login shell:
#   checkout: the block run in a copy of this checkout;
#   archive:  the block run in DIST (a tools/release/build.sh folder), with
#             its first line naming this machine's archive;
#   path:     run after each, so a login shell finds the binary.
# Go's module and build caches are shared with the caller's (a fresh
# machine downloads the modules from the proxy instead). Prints one line
# per route and "install: N passed, N failed".
#
#   tools/release/install-test.sh DIST
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dist=$(cd "${1:?usage: install-test.sh DIST}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

block() {
  awk -v m="<!-- ci-install: $1 -->" '
    $0 == m { found = 1; next }
    found == 1 && /^```/ { found = 2; next }
    found == 2 && /^```/ { exit }
    found == 2 { print }
  ' "$root/README.md"
}

# fresh NAME DIR SCRIPT: runs SCRIPT with bash in DIR, HOME a new folder.
fresh() {
  local home=$work/$1-home
  mkdir -p "$home"
  (cd "$2" && env -i HOME="$home" PATH=/usr/local/go/bin:/usr/bin:/bin LANG=C.UTF-8 \
    GOMODCACHE="$(go env GOMODCACHE)" GOCACHE="$(go env GOCACHE)" GOFLAGS="$(go env GOFLAGS)" \
    GOPROXY="$(go env GOPROXY)" GOTOOLCHAIN=local bash -euo pipefail -c "$3")
}

route() {
  local name=$1 dir=$2 script=$3 home=$work/$1-home log out
  if log=$(fresh "$name" "$dir" "$script" 2>&1 && fresh "$name" "$dir" "$(block path)" 2>&1) &&
    out=$(env -i HOME="$home" PATH=/usr/bin:/bin bash -lc 'command -v stagehand && stagehand version' 2>&1) &&
    [[ $(sed -n 1p <<<"$out") == "$home/.local/bin/stagehand" ]] && grep -q '^stagehand ' <<<"$out"; then
    passed=$((passed + 1))
    echo "install $name: a login shell in a fresh HOME runs ~/.local/bin/stagehand: $(sed -n 2p <<<"$out"), $(sed -n 3p <<<"$out" | cut -c1-20), $(sed -n 4p <<<"$out")"
  else
    failed=$((failed + 1))
    echo "install $name: FAILED"
    printf '%s\n%s\n' "${log:-}" "${out:-}" | sed 's/^/| /'
  fi
}

# The checkout: the files git knows, as a clone would have them.
mkdir -p "$work/checkout"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  xargs -0 sh -c 'for f; do [ -e "$f" ] && cp --parents -- "$f" "$0"; done' "$work/checkout")
route checkout "$work/checkout" "$(block checkout)"

goos=$(go env GOOS) goarch=$(go env GOARCH)
archive=$(cd "$dist" && ls stagehand_*_"${goos}_${goarch}".tar.gz | head -n 1)
version=${archive#stagehand_}
version=${version%_"${goos}_${goarch}".tar.gz}
# As a user has it: SHA256SUMS and the one archive downloaded, nothing else.
mkdir -p "$work/download"
cp "$dist/SHA256SUMS" "$dist/$archive" "$work/download/"
route archive "$work/download" "version=$version platform=${goos}_${goarch}
$(block archive | sed 1d)"

# The block's macOS variant of the checksum line (Debian's shasum is the same
# Perl script as macOS's), on the same download.
macos=$(block archive | sed -n 's/^sha256sum .*# macOS: //p')
if [[ -n $macos ]] && log=$(cd "$work/download" && env -i PATH=/usr/bin:/bin bash -euo pipefail -c "$macos SHA256SUMS" 2>&1); then
  passed=$((passed + 1))
  echo "install archive (macOS checksum): '$macos SHA256SUMS' on one downloaded archive: $(tr '\n' ' ' <<<"$log")"
else
  failed=$((failed + 1))
  echo "install archive (macOS checksum): FAILED '$macos SHA256SUMS'"
  sed 's/^/| /' <<<"${log:-}"
fi

echo "install: $passed passed, $failed failed"
((failed == 0))
