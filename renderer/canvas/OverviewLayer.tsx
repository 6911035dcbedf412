import { useStoreApi } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { Flow, NodeKind } from '../../core/model/flow.js';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';

/**
 * Below this zoom a large flow is drawn on one <canvas> instead of as DOM nodes. Measured with npm run bench:editor:
 * 1,000 React Flow nodes cost ~2 s to mount and pan at ~27 fps without a GPU, while at this zoom a node's text is
 * under 5 px high and unreadable anyway. Zooming in past it brings back the full nodes (only those in view).
 */
export const OVERVIEW_MAX_ZOOM = 0.4;

const KINDS: readonly NodeKind[] = ['source', 'map', 'filter', 'lookup', 'destination'];

interface Palette {
  node: string;
  border: string;
  edge: string;
  accent: string;
  danger: string;
  text: string;
  kinds: Record<string, string>;
}

function palette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    node: v('--node', '#fff'),
    border: v('--node-border', '#ccc'),
    edge: v('--muted', '#888'),
    accent: v('--accent', '#2563eb'),
    danger: v('--danger', '#c2410c'),
    text: v('--text', '#222'),
    kinds: Object.fromEntries(KINDS.map((k) => [k, v(`--kind-${k}`, '#888')])),
  };
}

/** The node under a point of the flow (flow coordinates), topmost first, as a DOM node would be hit. */
export function nodeAt(flow: Flow, point: { x: number; y: number }): string | undefined {
  for (let i = flow.nodes.length - 1; i >= 0; i--) {
    const { id, position: p } = flow.nodes[i]!;
    if (point.x >= p.x && point.x <= p.x + NODE_WIDTH && point.y >= p.y && point.y <= p.y + NODE_HEIGHT) return id;
  }
  return undefined;
}

function drawFlow(
  ctx: CanvasRenderingContext2D,
  flow: Flow,
  colors: Palette,
  zoom: number,
  invalid: ReadonlySet<string>,
  selected: ReadonlySet<string>,
): void {
  const byId = new Map(flow.nodes.map((n) => [n.id, n.position]));
  // One path per style: a stroke call per edge or node is what makes canvas drawing slow, not the geometry.
  ctx.beginPath();
  for (const e of flow.edges) {
    const a = byId.get(e.from.node);
    const b = byId.get(e.to.node);
    if (!a || !b) continue;
    const bottom = e.from.port !== 'out';
    const x1 = bottom ? a.x + NODE_WIDTH * 0.7 : a.x + NODE_WIDTH;
    const y1 = bottom ? a.y + NODE_HEIGHT : a.y + NODE_HEIGHT / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_HEIGHT / 2;
    const dx = Math.max(40, Math.abs(x2 - x1) / 2);
    ctx.moveTo(x1, y1);
    ctx.bezierCurveTo(bottom ? x1 : x1 + dx, bottom ? y1 + dx : y1, x2 - dx, y2, x2, y2);
  }
  ctx.lineWidth = 1.5 / zoom;
  ctx.strokeStyle = colors.edge;
  ctx.stroke();

  ctx.beginPath();
  for (const n of flow.nodes) ctx.rect(n.position.x, n.position.y, NODE_WIDTH, NODE_HEIGHT);
  ctx.fillStyle = colors.node;
  ctx.fill();
  ctx.lineWidth = 1 / zoom;
  ctx.strokeStyle = colors.border;
  ctx.stroke();
  for (const kind of KINDS) {
    ctx.beginPath();
    for (const n of flow.nodes) if (n.kind === kind) ctx.rect(n.position.x, n.position.y, 12, NODE_HEIGHT);
    ctx.fillStyle = colors.kinds[kind]!;
    ctx.fill();
  }
  const outline = (ids: ReadonlySet<string>, color: string) => {
    if (ids.size === 0) return;
    ctx.beginPath();
    for (const n of flow.nodes) if (ids.has(n.id)) ctx.rect(n.position.x, n.position.y, NODE_WIDTH, NODE_HEIGHT);
    ctx.lineWidth = 3 / zoom;
    ctx.strokeStyle = color;
    ctx.stroke();
  };
  outline(invalid, colors.danger);
  outline(selected, colors.accent);
  // Names only where they can be read (≥ 6 px on screen).
  if (zoom * 16 >= 6) {
    ctx.fillStyle = colors.text;
    ctx.font = '16px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const n of flow.nodes) {
      ctx.fillText(n.name ?? n.id, n.position.x + 22, n.position.y + NODE_HEIGHT / 2, NODE_WIDTH - 30);
    }
  }
}

/**
 * Every node and edge of a large zoomed-out flow on one canvas, redrawn (at most once per frame) when the viewport,
 * the flow, the validation problems or the selection change. It takes no pointer events: panning, zooming and
 * clicks go to React Flow's pane (the canvas asks `nodeAt` what a click hit).
 */
export function OverviewLayer({
  flow,
  invalid,
  selected,
  theme,
}: {
  flow: Flow;
  invalid: ReadonlySet<string>;
  selected: ReadonlySet<string>;
  /** Colours come from the theme's CSS variables: a theme change redraws. */
  theme: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const colors = palette(canvas);
    let frame = 0;
    const draw = () => {
      frame = 0;
      const { transform, width, height } = store.getState();
      const [tx, ty, zoom] = transform;
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(height * dpr);
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, dpr * tx, dpr * ty);
      drawFlow(ctx, flow, colors, zoom, invalid, selected);
      canvas.dataset.drawn = String(flow.nodes.length);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule();
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.transform !== prev.transform || s.width !== prev.width || s.height !== prev.height) schedule();
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [store, flow, invalid, selected, theme]);
  return <canvas ref={ref} className="overview-layer" data-testid="overview-canvas" />;
}
