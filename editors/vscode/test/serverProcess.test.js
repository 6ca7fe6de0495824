// Unit tests for starting the server and explaining an early exit; run
// with `node --test test/` after `node esbuild.mjs`.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { spawnServer, describeEarlyExit } = require('../out/serverProcess.js');

function script(body) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stagehand-proc-'));
  const file = path.join(dir, 'stagehand');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

test('a server that dies at once: the message gives its exit code and first stderr line', async () => {
  const bin = script("echo '' >&2; echo 'stagehand: libfoo missing' >&2; echo 'second line' >&2; exit 3");
  const proc = await spawnServer(bin, ['serve']);
  assert.equal(await proc.waitExit(5000), true);
  const msg = proc.describe(bin);
  assert.match(msg, new RegExp(`the server ${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} exited with exit code 3`));
  assert.match(msg, /: stagehand: libfoo missing\./);
  assert.doesNotMatch(msg, /second line/);
  assert.match(msg, /Restart server/);
});

test('a killed server: the signal is named', () => {
  assert.match(describeEarlyExit('/x/stagehand', { code: null, signal: 'SIGSEGV' }, ''), /killed by SIGSEGV before it answered\. It is not restarted/);
});

test('a server that is still running after the wait: waitExit says so, kill ends it', async () => {
  const bin = script('exec sleep 30');
  const proc = await spawnServer(bin, []);
  assert.equal(await proc.waitExit(100), false);
  proc.kill();
  assert.equal(await proc.waitExit(5000), true);
  assert.equal(proc.exit.signal, 'SIGTERM');
});

test('a binary that cannot be started rejects, not hangs', async () => {
  await assert.rejects(spawnServer('/nonexistent/stagehand', ['serve']), /ENOENT/);
  const notExec = script('exit 0');
  fs.chmodSync(notExec, 0o644);
  await assert.rejects(spawnServer(notExec, ['serve']), /EACCES/);
});
