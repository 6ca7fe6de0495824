// The stage graph webview's script: draws the graph as SVG with no library
// and no network. The extension posts {type: 'graph', title, graph} or
// {type: 'message', text}.

import { Graph, layout, normalizeGraph } from '../graphModel';

const BOX_W = 180;
const BOX_H = 54;
const GAP_X = 40;
const GAP_Y = 70;
const MARGIN = 20;
const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) {
    node.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function draw(graph: Graph): SVGSVGElement {
  const placed = layout(graph);
  const pos = new Map<string, { x: number; y: number }>();
  let width = 0;
  let height = 0;
  for (const p of placed) {
    const x = MARGIN + p.slot * (BOX_W + GAP_X);
    const y = MARGIN + p.layer * (BOX_H + GAP_Y);
    pos.set(p.stage.id, { x, y });
    width = Math.max(width, x + BOX_W + MARGIN);
    height = Math.max(height, y + BOX_H + MARGIN);
  }
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'stage graph' });
  const defs = el('defs', {});
  const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
  marker.appendChild(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
  defs.appendChild(marker);
  svg.appendChild(defs);

  for (const e of graph.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) {
      continue;
    }
    const x1 = a.x + BOX_W / 2;
    const y1 = a.y + BOX_H;
    const x2 = b.x + BOX_W / 2;
    const y2 = b.y;
    const midY = (y1 + y2) / 2;
    // A reference built from variables is dashed, to each stage it can
    // name; the one the defaults pick is drawn bolder.
    const cls = ['edge', e.variable ? 'variable' : '', e.picked ? 'picked' : ''].filter(Boolean).join(' ');
    const path = el('path', { d: `M ${x1} ${y1} C ${x1} ${midY}, ${x2} ${midY}, ${x2} ${y2}`, class: cls, 'marker-end': 'url(#arrow)' });
    if (e.pattern) {
      path.appendChild(el('title', {}, `${e.kind} ${e.pattern}${e.picked ? ' (picked without build arguments)' : ' (with other build arguments)'}`));
    }
    svg.appendChild(path);
    const label = e.pattern ? `${e.kind} ${e.pattern}` : e.kind;
    if (label) {
      svg.appendChild(el('text', { x: (x1 + x2) / 2 + 4, y: midY - 4, class: 'edge-label' }, label));
    }
  }
  for (const p of placed) {
    const { x, y } = pos.get(p.stage.id)!;
    const cls = ['stage', p.stage.target || p.stage.final ? 'target' : '', p.stage.unused ? 'unused' : '', p.stage.context ? 'context' : ''].filter(Boolean).join(' ');
    const g = el('g', { class: cls, 'data-stage': p.stage.id });
    g.appendChild(el('rect', { x, y, width: BOX_W, height: BOX_H, rx: 6 }));
    g.appendChild(el('text', { x: x + 10, y: y + 22, class: 'name' }, p.stage.label));
    const notes = p.stage.context
      ? `named context · ${p.stage.base ?? ''}`
      : [p.stage.base ? `FROM ${p.stage.base}` : '', p.stage.final ? 'final' : '', p.stage.target ? 'target' : '', p.stage.unused ? 'unused' : '', p.stage.replacedBy ? `replaced by context ${p.stage.replacedBy}` : ''].filter(Boolean).join(' · ');
    if (notes) {
      g.appendChild(el('text', { x: x + 10, y: y + 42, class: 'note' }, notes));
    }
    svg.appendChild(g);
  }
  return svg;
}

declare function acquireVsCodeApi(): { postMessage(msg: unknown): void };

const root = document.getElementById('root')!;
const title = document.getElementById('title')!;

window.addEventListener('message', (event: MessageEvent) => {
  const msg = event.data as { type: string; text?: string; title?: string; graph?: unknown };
  root.replaceChildren();
  if (msg.type === 'message') {
    title.textContent = 'Stage graph';
    const p = document.createElement('p');
    p.className = 'message';
    p.textContent = msg.text ?? '';
    root.appendChild(p);
    return;
  }
  if (msg.type === 'graph') {
    title.textContent = `Stage graph: ${msg.title ?? ''}`;
    try {
      const graph = normalizeGraph(msg.graph);
      if (graph.stages.length === 0) {
        const p = document.createElement('p');
        p.className = 'message';
        p.textContent = 'The file has no stages.';
        root.appendChild(p);
        return;
      }
      root.appendChild(draw(graph));
    } catch (err) {
      const p = document.createElement('p');
      p.className = 'message error';
      p.textContent = `Cannot draw the server's answer: ${err instanceof Error ? err.message : String(err)}`;
      root.appendChild(p);
    }
  }
});

// Ask for what to show only once the listener above is in place.
acquireVsCodeApi().postMessage({ type: 'ready' });
