#!/usr/bin/env bash
# Tests the npm packages of a release as a user meets them, without the
# registry: in a fresh HOME and an empty folder, `npm install` of the
# launcher's and this platform's tarballs (from tools/release/npm.sh),
# then `npx stagehand check` on a clean and a broken Dockerfile; the
# launcher's message when the platform package is missing; and that the
# Mason entry (editors/mason/package.yaml) names this npm package and its
# command. Prints one line per check and "npm: N passed, N failed".
#
#   tools/release/npm-test.sh TARBALLS
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tgz=$(cd "${1:?usage: npm-test.sh TARBALLS}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() {
  passed=$((passed + 1))
  echo "npm: $1"
}
fail() {
  failed=$((failed + 1))
  echo "npm: FAILED $1"
  [[ -z ${2:-} ]] || sed 's/^/| /' <<<"$2"
}

platform=$(node -p 'process.platform + "-" + process.arch')
main=$(ls "$tgz"/stagehand-ls-stagehand-[0-9]*.tgz)
native=$tgz/stagehand-ls-stagehand-$platform-${main##*/stagehand-ls-stagehand-}

# npm as on a new machine: no ~/.npmrc, nothing from the registry.
fresh() {
  local dir=$work/$1
  shift
  mkdir -p "$dir/home" "$dir/project"
  echo '{"name":"try-stagehand","private":true}' >"$dir/project/package.json"
  (cd "$dir/project" && env -i HOME="$dir/home" PATH=/usr/bin:/bin npm_config_userconfig=/dev/null \
    npm_config_update_notifier=false "$@")
}

printf 'FROM alpine:3.20 AS base\nRUN true\n\nFROM base\nCOPY --from=bsae /x /x\n' >"$work/broken.Dockerfile"
if out=$(fresh with npm install --offline --no-audit --no-fund "$main" "$native" 2>&1); then
  ok "installed $(basename "$main") and $(basename "$native") into an empty folder"
else
  fail "npm install" "$out"
fi
code=0
out=$(fresh with npx --no-install stagehand check "$root/examples/multistage/Dockerfile" 2>&1) || code=$?
if [[ $code -eq 0 && $out == *'Stage "test" is never built'* ]]; then
  ok "npx stagehand check examples/multistage/Dockerfile: exit 0, the UnusedStage hint"
else
  fail "npx stagehand check on the example: exit $code" "$out"
fi
# The README's command, word for word, in the project holding a Dockerfile
# with a typo'd --from= (and node_modules, which holds none).
cp "$work/broken.Dockerfile" "$work/with/project/Dockerfile"
code=0
out=$(fresh with npx --no-install @stagehand-ls/stagehand check . 2>&1) || code=$?
if [[ $code -eq 1 && $out == 'Dockerfile:5:13: error: No stage named "bsae"'* && $(wc -l <<<"$out") -eq 1 ]]; then
  ok "npx @stagehand-ls/stagehand check . on a typo'd --from=: exit 1, 'Dockerfile:5:13: error: No stage named \"bsae\"...'"
else
  fail "npx @stagehand-ls/stagehand check . in a project with a broken Dockerfile: exit $code" "$out"
fi
out=$(fresh with npx --no-install stagehand version 2>&1) || true
version=$(basename "$main" .tgz)
version=${version#stagehand-ls-stagehand-}
if [[ $(head -n 1 <<<"$out") == "stagehand v$version" ]]; then
  ok "npx stagehand version: $(head -n 1 <<<"$out")"
else
  fail "npx stagehand version" "$out"
fi

# Without the platform package (an --omit=optional install): a clear error.
fresh without npm install --offline --no-audit --no-fund --omit=optional "$main" >/dev/null 2>&1 || true
code=0
out=$(fresh without npx --no-install stagehand check . 2>&1) || code=$?
if [[ $code -eq 2 && $out == *"@stagehand-ls/stagehand-$platform is not installed"* ]]; then
  ok "without the platform package: exit 2, '$(head -n 1 <<<"$out" | cut -c1-80)...'"
else
  fail "without the platform package: exit $code" "$out"
fi

# The Mason entry installs this package and links its command.
name=$(node -p 'require(process.argv[1]).name' "$root/npm/stagehand/package.json")
bin=$(node -p 'Object.keys(require(process.argv[1]).bin).join()' "$root/npm/stagehand/package.json")
mason=$root/editors/mason/package.yaml
if grep -q "^  id: pkg:npm/${name/@/%40}@[0-9]" "$mason" && grep -q "^  $bin: npm:$bin\$" "$mason"; then
  ok "the Mason entry installs pkg:npm/${name/@/%40} and links '$bin'"
else
  fail "the Mason entry does not name pkg:npm/${name/@/%40} and bin $bin: npm:$bin"
fi

echo "npm: $passed passed, $failed failed"
((failed == 0))
