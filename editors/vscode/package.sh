#!/usr/bin/env bash
# Builds .vsix files into dist-vsix/: one platform-specific package per
# target given (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64,
# win32-arm64), each bundling the release build of the server for that
# platform under bin/<target>/, or with no target a universal package that
# finds the server through the setting or PATH only. Needs Go and `npm ci`
# done. The servers come from $STAGEHAND_DIST, a folder made by
# tools/release/build.sh, when set; else that script builds them (stripped,
# -trimpath) into a temporary folder.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"

out=$here/dist-vsix
mkdir -p "$out"
version=$(node -p 'require("./package.json").version')

node esbuild.mjs --production

if (($# == 0)); then
  rm -rf bin
  npx --no-install vsce package --skip-license --no-dependencies -o "$out/stagehand-$version.vsix"
  exit 0
fi

declare -A goplat=(
  [linux-x64]=linux/amd64 [linux-arm64]=linux/arm64
  [darwin-x64]=darwin/amd64 [darwin-arm64]=darwin/arm64
  [win32-x64]=windows/amd64 [win32-arm64]=windows/arm64
)
platforms=()
for target in "$@"; do
  if [[ -z ${goplat[$target]:-} ]]; then
    echo "package.sh: unknown target $target" >&2
    exit 2
  fi
  platforms+=("${goplat[$target]}")
done
dist=${STAGEHAND_DIST:-}
if [[ -z $dist ]]; then
  dist=$(mktemp -d)
  trap 'rm -rf "$dist"' EXIT
  (IFS=,; "$root/tools/release/build.sh" -o "$dist" -p "${platforms[*]}")
fi

for target in "$@"; do
  plat=${goplat[$target]}
  exe=stagehand
  [[ $plat == windows/* ]] && exe=stagehand.exe
  src=$dist/bin/${plat/\//-}/$exe
  if [[ ! -f $src ]]; then
    echo "package.sh: no $src: build the release with tools/release/build.sh" >&2
    exit 1
  fi
  rm -rf bin
  mkdir -p "bin/$target"
  cp "$src" "bin/$target/$exe"
  npx --no-install vsce package --skip-license --no-dependencies --target "$target" -o "$out/stagehand-$target-$version.vsix"
  rm -rf bin
done
