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
