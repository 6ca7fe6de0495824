#!/usr/bin/env node
// Starts the stagehand binary from the optional package built for this
// platform (@stagehand-ls/stagehand-<os>-<cpu>), which npm installed beside
// this one, passing the arguments, the standard streams and the exit status
// through. $STAGEHAND_BINARY names another binary instead.
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const platforms = {
  'linux x64': 'linux-x64',
  'linux arm64': 'linux-arm64',
  'darwin x64': 'darwin-x64',
  'darwin arm64': 'darwin-arm64',
  'win32 x64': 'win32-x64',
  'win32 arm64': 'win32-arm64',
};

function binary() {
  if (process.env.STAGEHAND_BINARY) {
    return process.env.STAGEHAND_BINARY;
  }
  const platform = platforms[`${process.platform} ${process.arch}`];
  if (!platform) {
    throw new Error(`stagehand has no build for ${process.platform} ${process.arch}`);
  }
  const pkg = `@stagehand-ls/stagehand-${platform}`;
  const exe = process.platform === 'win32' ? 'stagehand.exe' : 'stagehand';
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    throw new Error(
      `stagehand: the package ${pkg} is not installed; reinstall @stagehand-ls/stagehand ` +
        'without --no-optional (or --omit=optional) so npm installs it',
    );
  }
}

let exe;
try {
  exe = binary();
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
const res = spawnSync(exe, process.argv.slice(2), { stdio: 'inherit' });
if (res.error) {
  process.stderr.write(`stagehand: cannot start ${path.basename(exe)}: ${res.error.message}\n`);
  process.exit(2);
}
if (res.signal) {
  process.kill(process.pid, res.signal);
}
process.exit(res.status ?? 1);
