const test = require('node:test');
const assert = require('node:assert/strict');

const { normalizeGraph, layout } = require('../out/graphModel.js');

test('stages and edges by name, case-insensitive, with flags', () => {
  const g = normalizeGraph({
    stages: [
      { name: 'build', base: 'golang:1.26' },
      { name: 'test', unused: true },
      { name: 'final', base: 'alpine', target: true },
    ],
    edges: [
      { from: 'build', to: 'test', kind: 'FROM' },
      { from: 'BUILD', to: 'final', kind: 'COPY --from' },
      { from: 'ghost', to: 'final', kind: 'COPY --from' },
    ],
  });
  assert.deepEqual(g.stages.map((s) => [s.id, s.target, s.unused, s.base]), [
    ['build', false, false, 'golang:1.26'],
    ['test', false, true, undefined],
    ['final', true, false, 'alpine'],
  ]);
  assert.deepEqual(g.edges, [
    { from: 'build', to: 'test', kind: 'FROM', variable: false },
    { from: 'build', to: 'final', kind: 'COPY --from', variable: false },
  ]);
});

test("the server's shape: stages with index, name, label, flags; edges by index", () => {
  const g = normalizeGraph({
    stages: [
      { index: 0, name: 'build', label: 'build', base: 'golang:1.26', target: false, final: false, unused: false },
      { index: 1, label: 'stage 1', base: 'alpine', target: false, final: true, unused: false },
    ],
    edges: [{ from: 0, to: 1, kind: 'copy', variable: true }],
    mermaid: 'graph TD',
  });
  assert.deepEqual(g.stages.map((s) => [s.id, s.label, s.final]), [['build', 'build', false], ['1', 'stage 1', true]]);
  assert.deepEqual(g.edges, [{ from: 'build', to: '1', kind: 'copy', variable: true }]);
});

test('unnamed stages are reachable by index; nodes/source/target spelling', () => {
  const g = normalizeGraph({ nodes: [{ index: 0 }, { id: 'app' }], edges: [{ source: 0, target: 'app' }] });
  assert.deepEqual(g.stages.map((s) => s.label), ['stage 0', 'app']);
  assert.deepEqual(g.edges, [{ from: '0', to: 'app', kind: '', variable: false }]);
});

test('an answer without stages is an error, not an empty drawing', () => {
  assert.throws(() => normalizeGraph(null), /no graph/);
  assert.throws(() => normalizeGraph({ edges: [] }), /no "stages"/);
});

test('layout puts a stage below every stage it uses, keeping file order in a layer', () => {
  const g = normalizeGraph({
    stages: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }],
    edges: [
      { from: 'a', to: 'c' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'd' },
      { from: 'a', to: 'd' },
    ],
  });
  assert.deepEqual(layout(g).map((p) => [p.stage.id, p.layer, p.slot]), [
    ['a', 0, 0],
    ['b', 0, 1],
    ['c', 1, 0],
    ['d', 2, 0],
  ]);
});

test('layout survives a cycle', () => {
  const g = normalizeGraph({ stages: [{ name: 'a' }, { name: 'b' }], edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }] });
  assert.equal(layout(g).length, 2);
});

test("a reference built from variables goes through the server's pattern to every earlier stage it can name", () => {
  // ARG TARGETARCH / FROM alpine AS base-amd64 / FROM alpine AS base-arm64 /
  // FROM base-${TARGETARCH} / FROM alpine AS base-late
  const g = normalizeGraph({
    stages: [
      { index: 0, name: 'base-amd64', label: 'base-amd64' },
      { index: 1, name: 'base-arm64', label: 'base-arm64' },
      { index: 2, label: 'stage 2', final: false },
      { index: 3, name: 'base-late', label: 'base-late', final: true },
    ],
    edges: [{ from: -1, to: 2, kind: 'FROM', variable: true, pattern: 'p0' }],
    patterns: [{ id: 'p0', value: 'base-${TARGETARCH}', stages: [0, 1, 3], default: 0 }],
  });
  assert.deepEqual(g.edges, [
    { from: 'base-amd64', to: '2', kind: 'FROM', variable: true, pattern: 'base-${TARGETARCH}', picked: true },
    { from: 'base-arm64', to: '2', kind: 'FROM', variable: true, pattern: 'base-${TARGETARCH}', picked: false },
  ]);
  // The pattern's stages sit above the stage that uses them.
  assert.deepEqual(layout(g).map((p) => [p.stage.id, p.layer]), [
    ['base-amd64', 0],
    ['base-arm64', 0],
    ['2', 1],
    ['base-late', 0],
  ]);
});

test('an edge naming an unknown pattern is dropped, not drawn from nowhere', () => {
  const g = normalizeGraph({
    stages: [{ index: 0, name: 'a' }, { index: 1 }],
    edges: [{ from: -1, to: 1, kind: 'copy', variable: true, pattern: 'p9' }],
    patterns: [{ id: 'p0', value: '${X}', stages: [0], default: -1 }],
  });
  assert.deepEqual(g.edges, []);
});

test('named contexts: a node each, their edges, the stage one replaces', () => {
  // The server's shape (stagehand/stageGraph) for a Compose file giving `deps`.
  const g = normalizeGraph({
    stages: [
      { index: 0, name: 'deps', label: 'deps', base: 'alpine', unused: true, replaced: 'c0' },
      { index: 1, label: 'stage 1', base: 'alpine', final: true, target: true },
    ],
    edges: [
      { from: -1, to: 1, kind: 'copy-from', context: 'c0' },
      { from: -1, to: 1, kind: 'copy-from', context: 'c9' },
    ],
    contexts: [{ id: 'c0', kind: 'context', name: 'deps', value: 'docker-image://alpine:3', label: 'deps = docker-image://alpine:3' }],
  });
  assert.deepEqual(g.stages.map((s) => [s.id, s.context === true, s.base, s.replacedBy]), [
    ['deps', false, 'alpine', 'deps'],
    ['1', false, 'alpine', undefined],
    ['context:deps', true, 'docker-image://alpine:3', undefined],
  ]);
  assert.deepEqual(g.edges.map((e) => [e.from, e.to, e.kind]), [['context:deps', '1', 'copy-from']]);
  const placed = layout(g);
  assert.equal(placed.length, 3);
});
