#!/usr/bin/env bash
# Builds .vsix files into dist-vsix/: one platform-specific package per
# target given (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64,
# win32-arm64), each bundling the server cross-compiled for that platform
# under bin/<target>/, or with no target a universal package that finds the
# server through the setting or PATH only. Needs Go and `npm ci` done.
# $STAGEHAND, when set, is a server binary built for this machine, used for
# this machine's target instead of a cross-compiled one.
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

for target in "$@"; do
  case $target in
  linux-x64) goos=linux goarch=amd64 exe=stagehand ;;
  linux-arm64) goos=linux goarch=arm64 exe=stagehand ;;
  darwin-x64) goos=darwin goarch=amd64 exe=stagehand ;;
  darwin-arm64) goos=darwin goarch=arm64 exe=stagehand ;;
  win32-x64) goos=windows goarch=amd64 exe=stagehand.exe ;;
  win32-arm64) goos=windows goarch=arm64 exe=stagehand.exe ;;
  *)
    echo "package.sh: unknown target $target" >&2
    exit 2
    ;;
  esac
  rm -rf bin
  mkdir -p "bin/$target"
  if [[ -n ${STAGEHAND:-} && $target == "$(go env GOOS | sed s/windows/win32/)-$(go env GOARCH | sed 's/amd64/x64/')" ]]; then
    # A binary already built for this machine, e.g. by CI's build step.
    cp "$STAGEHAND" "bin/$target/$exe"
  else
    (cd "$root" && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -ldflags='-s -w' -o "$here/bin/$target/$exe" .)
  fi
  npx --no-install vsce package --skip-license --no-dependencies --target "$target" -o "$out/stagehand-$target-$version.vsix"
  rm -rf bin
done
