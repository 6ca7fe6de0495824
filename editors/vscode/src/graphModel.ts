// The stage graph as the webview draws it, and its layout. Pure functions, so
// that node's test runner can check them without VS Code.

export interface Stage {
  id: string;
  label: string;
  /** The base image, when the stage starts from one rather than a stage. */
  base?: string;
  target: boolean;
  /** The last stage, which a plain `docker build` builds. */
  final: boolean;
  unused: boolean;
  /** A named build context (Compose, Bake, --build-context), not a stage. */
  context?: boolean;
  /** For a stage a named context replaces, the context's name. */
  replacedBy?: string;
}

export interface Edge {
  from: string;
  to: string;
  /** FROM, COPY --from, RUN --mount from=, ... */
  kind: string;
  /** The reference is built from variables and may reach this stage. */
  variable: boolean;
  /** For a reference built from variables, its text (`base-${TARGETARCH}`). */
  pattern?: string;
  /** The stage a build without build arguments picks through the pattern. */
  picked?: boolean;
}

/** A reference built from variables: the stages (by index) it can name. */
interface Pattern {
  value: string;
  stages: string[];
  picked?: string;
}

export interface Graph {
  stages: Stage[];
  edges: Edge[];
}

type Json = Record<string, unknown>;

function str(v: unknown): string | undefined {
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'number') {
    return String(v);
  }
  return undefined;
}

/**
 * Reads the server's stagehand/stageGraph result: `stages` (or `nodes`) with a
 * name (or id, or index), and `edges` whose ends name stages by name or
 * index (`from`/`to` or `source`/`target`). Throws when the result has no
 * stages list, so the panel can say so instead of drawing nothing.
 */
export function normalizeGraph(result: unknown): Graph {
  if (!result || typeof result !== 'object') {
    throw new Error('the server answered with no graph');
  }
  const r = result as Json;
  const rawStages = (Array.isArray(r.stages) ? r.stages : Array.isArray(r.nodes) ? r.nodes : undefined) as Json[] | undefined;
  if (!rawStages) {
    throw new Error('the graph has no "stages" list');
  }
  const stages: Stage[] = [];
  const byKey = new Map<string, string>();
  const position = new Map<string, number>(); // file order
  rawStages.forEach((s, i) => {
    const index = str(s.index) ?? String(i);
    const name = str(s.name) ?? str(s.id);
    const id = name ?? index;
    stages.push({
      id,
      label: str(s.label) ?? name ?? `stage ${index}`,
      base: str(s.base) ?? str(s.image),
      target: s.target === true || s.isTarget === true,
      final: s.final === true,
      unused: s.unused === true || s.isUnused === true,
    });
    byKey.set(id.toLowerCase(), id);
    byKey.set(index, id);
    position.set(id, i);
  });
  // The server's patterns: an edge naming one stands for an edge from each
  // earlier stage the pattern can name.
  const patterns = new Map<string, Pattern>();
  for (const p of (Array.isArray(r.patterns) ? r.patterns : []) as Json[]) {
    const id = str(p.id);
    if (id === undefined) {
      continue;
    }
    const stagesOf = (Array.isArray(p.stages) ? p.stages : []).map(str).filter((s): s is string => s !== undefined);
    const picked = str(p.default);
    patterns.set(id, { value: str(p.value) ?? '', stages: stagesOf, picked: picked === '-1' ? undefined : picked });
  }
  // The server's named contexts: a node each, drawn apart from the stages;
  // an edge naming one comes from it.
  const contexts = new Map<string, string>();
  for (const c of (Array.isArray(r.contexts) ? r.contexts : []) as Json[]) {
    const cid = str(c.id);
    const name = str(c.name);
    if (cid === undefined || name === undefined) {
      continue;
    }
    const id = `context:${name}`;
    contexts.set(cid, id);
    stages.push({ id, label: name, base: str(c.value), target: false, final: false, unused: false, context: true });
  }
  rawStages.forEach((s, i) => {
    const by = contexts.get(str(s.replaced) ?? '');
    if (by !== undefined) {
      stages[i].replacedBy = by.slice('context:'.length);
    }
  });
  const edges: Edge[] = [];
  for (const e of (Array.isArray(r.edges) ? r.edges : []) as Json[]) {
    const ctx = contexts.get(str(e.context) ?? '');
    const to0 = str(e.to) ?? str(e.target);
    if (ctx !== undefined && to0 !== undefined) {
      const t = byKey.get(to0.toLowerCase()) ?? byKey.get(to0);
      if (t !== undefined) {
        edges.push({ from: ctx, to: t, kind: str(e.kind) ?? '', variable: false });
      }
      continue;
    }
    const from = str(e.from) ?? str(e.source);
    const to = str(e.to) ?? str(e.target);
    const pattern = patterns.get(str(e.pattern) ?? '');
    if (pattern && to !== undefined) {
      const t = byKey.get(to.toLowerCase()) ?? byKey.get(to);
      if (t === undefined) {
        continue;
      }
      for (const s of pattern.stages) {
        const f = byKey.get(s);
        // A stage names only stages before it.
        if (f === undefined || (position.get(f) ?? 0) >= (position.get(t) ?? 0)) {
          continue;
        }
        edges.push({ from: f, to: t, kind: str(e.kind) ?? '', variable: true, pattern: pattern.value, picked: s === pattern.picked });
      }
      continue;
    }
    if (from === undefined || to === undefined) {
      continue;
    }
    const f = byKey.get(from.toLowerCase()) ?? byKey.get(from);
    const t = byKey.get(to.toLowerCase()) ?? byKey.get(to);
    if (f === undefined || t === undefined) {
      continue;
    }
    edges.push({ from: f, to: t, kind: str(e.kind) ?? str(e.type) ?? '', variable: e.variable === true });
  }
  return { stages, edges };
}

export interface Placed {
  stage: Stage;
  layer: number;
  slot: number;
}

/**
 * Layers assigns each stage a layer: 0 when nothing it depends on is in the
 * graph, else one more than the deepest stage it uses, so edges point down.
 * Stages keep their file order within a layer.
 */
export function layout(graph: Graph): Placed[] {
  const deps = new Map<string, string[]>();
  for (const e of graph.edges) {
    // An edge goes from the stage used to the stage that uses it.
    const list = deps.get(e.to) ?? [];
    list.push(e.from);
    deps.set(e.to, list);
  }
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) {
      return known;
    }
    if (visiting.has(id)) {
      return 0; // a cycle (an invalid file): cut it
    }
    visiting.add(id);
    let d = 0;
    for (const dep of deps.get(id) ?? []) {
      if (dep !== id) {
        d = Math.max(d, depth(dep) + 1);
      }
    }
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  const slots = new Map<number, number>();
  return graph.stages.map((stage) => {
    const l = depth(stage.id);
    const slot = slots.get(l) ?? 0;
    slots.set(l, slot + 1);
    return { stage, layer: l, slot };
  });
}
