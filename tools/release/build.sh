#!/usr/bin/env bash
# Builds a Stagehand release into a folder, offline, from a checkout:
#
#   tools/release/build.sh [-o DIR] [-p os/arch,...] [VERSION]
#   tools/release/build.sh -V [VERSION]   # print the version it would stamp
#
# For each platform (default: linux, darwin, windows x amd64, arm64) a
# stripped, -trimpath, static (CGO_ENABLED=0) binary stamped with the
# version and commit (`stagehand version` shows them), in
#   DIR/bin/<os>-<arch>/stagehand[.exe]            (for .vsix and npm packaging)
#   DIR/stagehand_<version>_<os>_<arch>.tar.gz     (.zip for windows; the binary
#                                                   and README.md)
#   DIR/stagehand_<version>_<os>_<arch>.modules.txt (`go version -m`: the Go
#                                                   version, build settings and
#                                                   every module linked, with
#                                                   its version and checksum)
# and DIR/SHA256SUMS over the archives and module lists (check it with
# `sha256sum -c SHA256SUMS`). DIR defaults to dist/. VERSION is a semantic
# version, with or without its leading v (0.1.0 stamps v0.1.0); it defaults
# to `git describe --tags --always --dirty` when that gives a v-tag, else
# v0.0.0-dev. Archives are
# reproducible: same commit, same Go, same bytes (file times are the
# commit's time).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$root/dist
platforms=linux/amd64,linux/arm64,darwin/amd64,darwin/arm64,windows/amd64,windows/arm64
print_version=
while getopts 'o:p:V' opt; do
  case $opt in
  o) out=$OPTARG ;;
  p) platforms=$OPTARG ;;
  V) print_version=1 ;;
  *)
    echo "usage: tools/release/build.sh [-o DIR] [-p os/arch,...] [VERSION]" >&2
    exit 2
    ;;
  esac
done
shift $((OPTIND - 1))

cd "$root"
commit=unknown
epoch=0
if git rev-parse --git-dir >/dev/null 2>&1; then
  commit=$(git rev-parse HEAD)
  [[ -z $(git status --porcelain --untracked-files=no) ]] || commit+=-dirty
  epoch=$(git log -1 --format=%ct)
fi
# npm and Mason need a semantic version: MAJOR.MINOR.PATCH, then -pre
# and +build parts.
semver='^v[0-9]+[.][0-9]+[.][0-9]+([-+][0-9A-Za-z.+-]*)?$'
if [[ -n ${1:-} ]]; then
  version=v${1#v}
  if [[ ! $version =~ $semver ]]; then
    echo "tools/release/build.sh: VERSION $1 is no semantic version (like v1.2.3 or 1.2.3-rc.1)" >&2
    exit 2
  fi
else
  version=$(git describe --tags --always --dirty 2>/dev/null || true)
  # A bare commit hash from describe is no version.
  [[ $version =~ $semver ]] || version=v0.0.0-dev
fi
if [[ -n $print_version ]]; then
  echo "$version"
  exit 0
fi
epoch=${SOURCE_DATE_EPOCH:-$epoch}

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/bin" "$out"/stagehand_* "$out/SHA256SUMS"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

echo "release $version (commit $commit) into $out"
IFS=, read -ra list <<<"$platforms"
for p in "${list[@]}"; do
  goos=${p%/*} goarch=${p#*/}
  exe=stagehand
  [[ $goos == windows ]] && exe=stagehand.exe
  bin=$out/bin/$goos-$goarch/$exe
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -buildvcs=false \
    -ldflags="-s -w -X main.version=$version -X main.commit=$commit" -o "$bin" .
  name=stagehand_${version}_${goos}_${goarch}
  rm -rf "${stage:?}"/*
  cp "$bin" README.md "$stage/"
  touch -d "@$epoch" "$stage"/*
  if [[ $goos == windows ]]; then
    (cd "$stage" && rm -f "$out/$name.zip" && zip -qX "$out/$name.zip" "$exe" README.md)
  else
    tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
      -C "$stage" -cf - "$exe" README.md | gzip -9n >"$out/$name.tar.gz"
  fi
  go version -m "$bin" | sed "1s|^[^:]*:|$goos-$goarch/$exe:|" >"$out/$name.modules.txt"
  printf '  %-14s %s\n' "$goos/$goarch" "$(du -h "$bin" | cut -f1)"
done
(cd "$out" && sha256sum stagehand_* >SHA256SUMS)
echo "wrote $(wc -l <"$out/SHA256SUMS") files and SHA256SUMS"
