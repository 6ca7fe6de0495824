// Every setting the server reads has a setting in package.json, and the
// extension sends each; run with `node --test test/` after `node esbuild.mjs`.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { serverSettings } = require('../out/settings.js');

const pkg = require('../package.json');
const properties = pkg.contributes.configuration.properties;

// The keys of the server's "stagehand" section: the JSON tags of the
// section struct in server/config.go, nested ones joined with dots.
function serverKeys() {
  const src = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'server', 'config.go'), 'utf8');
  const body = /\ntype section struct \{\n([\s\S]*?)\n\}\n/.exec(src);
  assert.ok(body, 'no section struct in server/config.go');
  const keys = [];
  const open = []; // the struct fields being read, innermost last
  for (const line of body[1].split('\n')) {
    const t = line.trim();
    if (/^\w+\s+struct \{$/.test(t)) {
      open.push([]);
    } else if (t.startsWith('}')) {
      const inner = open.pop();
      const tag = /json:"(\w+)"/.exec(t)[1];
      const prefix = open.map((o) => o.name).filter(Boolean);
      for (const k of inner) keys.push([...prefix, tag, k].join('.'));
    } else {
      const m = /json:"(\w+)"/.exec(t);
      if (!m) continue;
      if (open.length > 0) open[open.length - 1].push(m[1]);
      else keys.push(m[1]);
    }
  }
  return keys;
}

test('every server setting is a setting of the extension, sent to the server', () => {
  const keys = serverKeys();
  assert.ok(keys.includes('rules') && keys.includes('inlayHints.enabled'), `keys read: ${keys}`);
  // A value for each setting unlike its default, to see it arrive.
  const values = {};
  for (const key of keys) {
    const prop = properties[`stagehand.${key}`];
    assert.ok(prop, `the server reads "${key}", but package.json has no "stagehand.${key}"`);
    values[key] = { boolean: !prop.default, integer: 7, array: ['x'], object: { UnusedStage: 'error' }, string: 'x' }[prop.type];
  }
  const sent = serverSettings({ get: (k, d) => (k in values ? values[k] : d) });
  for (const key of keys) {
    const got = key.split('.').reduce((o, k) => (o === undefined ? undefined : o[k]), sent);
    assert.deepEqual(got, values[key], `"stagehand.${key}" is not sent as ${key}`);
  }
});

test('every setting of the extension is the server\'s or the extension\'s own', () => {
  const keys = new Set(serverKeys());
  for (const name of Object.keys(properties)) {
    const key = name.replace(/^stagehand\./, '');
    assert.ok(keys.has(key) || /^(server|trace)\./.test(key), `package.json's "${name}" is read by no one`);
  }
});

// The ConfigurationItem literals server/config.go asks workspace/configuration
// with.
function configurationItems() {
  const src = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'server', 'config.go'), 'utf8');
  const items = [...src.matchAll(/protocol\.ConfigurationItem\{([^}]*)\}/g)].map((m) => m[1]);
  assert.ok(items.length > 0, 'server/config.go asks for no ConfigurationItem');
  return items;
}

test('a setting is resource-scoped when the server asks per folder, else window-scoped', () => {
  // With a scopeUri per workspace folder, VS Code answers each folder's own
  // value (.vscode/settings.json): resource scope lets a folder set it. With
  // none, VS Code answers the window's value only: a folder's settings in a
  // multi-root workspace would be silently ignored, so window scope says so.
  const perFolder = configurationItems().some((item) => /ScopeURI/.test(item));
  const want = perFolder ? 'resource' : 'window';
  for (const key of serverKeys()) {
    const scope = properties[`stagehand.${key}`].scope ?? 'window';
    assert.equal(scope, want, `"stagehand.${key}" has scope ${scope}, but the server reads it per ${perFolder ? 'folder' : 'window'}`);
  }
});

test('the extension\'s own settings are not per folder: one server serves the window', () => {
  for (const [name, prop] of Object.entries(properties)) {
    if (!/^stagehand\.(server|trace)\./.test(name)) continue;
    assert.ok(['window', 'machine', 'machine-overridable', 'application'].includes(prop.scope ?? 'window'),
      `"${name}" has scope ${prop.scope}: the extension reads it once for the window`);
  }
});
