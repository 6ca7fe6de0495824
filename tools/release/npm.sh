#!/usr/bin/env bash
# Packs the npm packages of a release, the way esbuild and biome ship:
# @stagehand-ls/stagehand (the launcher, npm/stagehand) and one package per
# platform, @stagehand-ls/stagehand-<os>-<cpu>, holding that platform's
# binary from a tools/release/build.sh folder, with `os` and `cpu` set so
# npm installs only the one that fits. The version is the release's,
# without its "v". Writes the .tgz files (`npm publish` takes them) to OUT.
#
#   tools/release/npm.sh DIST OUT
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dist=$(cd "${1:?usage: npm.sh DIST OUT}" && pwd)
mkdir -p "${2:?usage: npm.sh DIST OUT}"
out=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

archive=$(cd "$dist" && ls stagehand_*.tar.gz | head -n 1)
version=${archive#stagehand_v}
version=${version%%_*}

declare -A goplat=(
  [linux-x64]=linux-amd64 [linux-arm64]=linux-arm64
  [darwin-x64]=darwin-amd64 [darwin-arm64]=darwin-arm64
  [win32-x64]=windows-amd64 [win32-arm64]=windows-arm64
)
for platform in linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64; do
  exe=stagehand
  [[ $platform == win32-* ]] && exe=stagehand.exe
  src=$dist/bin/${goplat[$platform]}/$exe
  if [[ ! -f $src ]]; then
    echo "npm.sh: no $src; skipping $platform" >&2
    continue
  fi
  pkg=$work/$platform
  mkdir -p "$pkg/bin"
  cp "$src" "$pkg/bin/$exe"
  chmod 755 "$pkg/bin/$exe"
  node - "$pkg/package.json" "$version" "$platform" "$exe" <<'JS'
const [file, version, platform, exe] = process.argv.slice(2);
const [os, cpu] = platform.split('-');
require('node:fs').writeFileSync(file, JSON.stringify({
  name: `@stagehand-ls/stagehand-${platform}`,
  version,
  description: `The stagehand binary for ${os} ${cpu}; install @stagehand-ls/stagehand instead.`,
  license: 'MIT',
  repository: { type: 'git', url: 'https://github.com/stagehand-ls/stagehand' },
  os: [os],
  cpu: [cpu],
  files: [`bin/${exe}`],
  preferUnplugged: true,
}, null, 2) + '\n');
JS
  (cd "$out" && npm pack --silent "$pkg" >/dev/null)
done

cp -r "$root/npm/stagehand" "$work/stagehand"
node - "$work/stagehand/package.json" "$version" <<'JS'
const fs = require('node:fs');
const [file, version] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.version = version;
for (const dep of Object.keys(pkg.optionalDependencies)) {
  pkg.optionalDependencies[dep] = version;
}
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
JS
(cd "$out" && npm pack --silent "$work/stagehand" >/dev/null)
ls "$out"
