// Unit tests for the server lookup; run with `node --test test/` after
// `node esbuild.mjs` has compiled src/ into out/.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const { resolveServer, lookPath, platformTarget, bundledPath, ServerNotFoundError } = require('../out/serverPath.js');

function fakeEnv(files, over = {}) {
  const set = new Set(files);
  return {
    platform: 'linux',
    arch: 'x64',
    pathVariable: '/usr/local/bin:/usr/bin',
    pathExt: undefined,
    extensionPath: '/ext',
    home: '/home/u',
    isExecutable: (f) => set.has(f),
    ...over,
  };
}

test('the setting wins over PATH and the bundled binary', () => {
  const env = fakeEnv(['/opt/sh/stagehand', '/usr/bin/stagehand', '/ext/bin/linux-x64/stagehand']);
  assert.deepEqual(resolveServer('/opt/sh/stagehand', env), { command: '/opt/sh/stagehand', source: 'setting' });
});

test('a setting starting with ~ is expanded', () => {
  const env = fakeEnv(['/home/u/go/bin/stagehand']);
  assert.deepEqual(resolveServer('~/go/bin/stagehand', env), { command: '/home/u/go/bin/stagehand', source: 'setting' });
});

test('a bare name in the setting is looked up on PATH', () => {
  const env = fakeEnv(['/usr/bin/stagehand-dev']);
  assert.deepEqual(resolveServer('stagehand-dev', env), { command: '/usr/bin/stagehand-dev', source: 'setting' });
});

test('a wrong setting is an error naming the setting, not a silent fallback', () => {
  const env = fakeEnv(['/usr/bin/stagehand']);
  assert.throws(() => resolveServer('/nope/stagehand', env), (err) => {
    assert.ok(err instanceof ServerNotFoundError);
    assert.match(err.message, /stagehand\.server\.path/);
    assert.match(err.message, /\/nope\/stagehand/);
    assert.match(err.message, /go build -trimpath -o ~\/\.local\/bin\/stagehand \./);
    return true;
  });
});

test('an empty or blank setting falls through to PATH, first match wins', () => {
  const env = fakeEnv(['/usr/local/bin/stagehand', '/usr/bin/stagehand']);
  for (const setting of [undefined, '', '   ']) {
    assert.deepEqual(resolveServer(setting, env), { command: '/usr/local/bin/stagehand', source: 'path' });
  }
});

test('without the setting or PATH, the bundled binary for the platform is used', () => {
  const env = fakeEnv(['/ext/bin/linux-x64/stagehand', '/ext/bin/darwin-arm64/stagehand']);
  assert.deepEqual(resolveServer('', env), { command: '/ext/bin/linux-x64/stagehand', source: 'bundled' });
  const mac = fakeEnv(['/ext/bin/linux-x64/stagehand', '/ext/bin/darwin-arm64/stagehand'], { platform: 'darwin', arch: 'arm64' });
  assert.deepEqual(resolveServer('', mac), { command: '/ext/bin/darwin-arm64/stagehand', source: 'bundled' });
});

test('nothing found: the error says what was tried and how to install', () => {
  const env = fakeEnv([]);
  assert.throws(() => resolveServer(undefined, env), (err) => {
    assert.ok(err instanceof ServerNotFoundError);
    assert.match(err.message, /not found/);
    assert.match(err.message, /PATH/);
    assert.match(err.message, /linux-x64/);
    assert.match(err.message, /go build -trimpath/);
    return true;
  });
});

test('empty PATH entries are skipped', () => {
  const env = fakeEnv([path.join('', 'stagehand'), '/usr/bin/stagehand'], { pathVariable: ':/usr/bin' });
  assert.equal(lookPath('stagehand', env), '/usr/bin/stagehand');
});

test('Windows: PATHEXT and the .exe bundled name', () => {
  const files = ['C:\\tools\\stagehand.EXE'];
  const env = fakeEnv(files, {
    platform: 'win32',
    pathVariable: 'C:\\nothing;C:\\tools',
    pathExt: '.COM;.EXE',
    isExecutable: (f) => files.includes(f.replace(/\//g, '\\')),
  });
  assert.equal(resolveServer('', env).source, 'path');
  const none = fakeEnv([], { platform: 'win32', arch: 'arm64' });
  assert.match(bundledPath(none), /bin[\\/]win32-arm64[\\/]stagehand\.exe$/);
});

test('platform targets match vsce --target names', () => {
  assert.equal(platformTarget('linux', 'x64'), 'linux-x64');
  assert.equal(platformTarget('linux', 'arm64'), 'linux-arm64');
  assert.equal(platformTarget('darwin', 'arm64'), 'darwin-arm64');
  assert.equal(platformTarget('win32', 'x64'), 'win32-x64');
});
