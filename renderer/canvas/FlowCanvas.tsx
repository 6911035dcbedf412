import {
  Background,
  BackgroundVariant,
  type Connection,
  ControlButton,
  Controls,
  type Edge,
  MiniMap,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import type { Flow, FlowNode, NodeKind } from '../../core/model/flow.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';
import { scheduleValidation } from '../state/actions.js';
import {
  addNode,
  connect,
  connectionProblem,
  edgeId,
  moveNodes,
  nodeIdOfPath,
  removeElements,
} from '../state/flow-edits.js';
import { useFlowStore } from '../state/flow-store.js';
import { openNodeEditor } from '../state/open-node.js';
import { useUiStore } from '../state/ui-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { CountEdge } from './CountEdge.js';
import { type FerryFlowNode, type FerryNodeData, FerryNode } from './FerryNode.js';
import { KIND_LABEL } from './icons.js';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import { OVERVIEW_MAX_ZOOM, OverviewLayer, nodeAt } from './OverviewLayer.js';

// Module scope: React Flow re-mounts every node when these objects change identity.
const nodeTypes = { ferry: FerryNode };
const edgeTypes = { count: CountEdge };
export const PALETTE_MIME = 'application/x-ferry-node';
const GRID: [number, number] = [20, 20];
const LARGE_FLOW_NODES = 300;
const NO_NODES: FerryFlowNode[] = [];
const NO_EDGES: Edge[] = [];
const FIT_PADDING = 0.2;

/** The model's extent: large flows fit to it themselves, because React Flow only knows the nodes it renders. */
function flowBounds(flow: Flow) {
  const xs = flow.nodes.map((n) => n.position.x);
  const ys = flow.nodes.map((n) => n.position.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) + NODE_WIDTH - x, height: Math.max(...ys) + NODE_HEIGHT - y };
}

export interface PaletteItem {
  kind: NodeKind;
  type: string;
  name?: string;
}

function problemsByNode(flow: Flow, problems: ValidationProblem[]): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  for (const p of problems) {
    const id = nodeIdOfPath(flow, p.path);
    if (!id) continue;
    const field = p.path.replace(/^nodes\[\d+\]\.?/, '');
    byNode.set(id, [...(byNode.get(id) ?? []), field ? `${field}: ${p.message}` : p.message]);
  }
  return byNode;
}

/**
 * Derives React Flow nodes from the Flow model. Unchanged model nodes keep their React Flow object (and so skip
 * re-rendering); measured sizes carry over so a model change does not trigger a re-measure of 1,000 nodes.
 */
function useDerivedNodes(flow: Flow, problems: ValidationProblem[], connectors: ConnectorDescriptor[]) {
  const cache = useRef(new Map<string, { source: FlowNode; problemKey: string; data: FerryNodeData }>());
  return useMemo(() => {
    const byNode = problemsByNode(flow, problems);
    const names = new Map(connectors.map((c) => [c.id, c]));
    const next = new Map<string, { source: FlowNode; problemKey: string; data: FerryNodeData }>();
    const datas = flow.nodes.map((node) => {
      const nodeProblems = byNode.get(node.id) ?? [];
      const problemKey = nodeProblems.join('\n');
      const cached = cache.current.get(node.id);
      const entry =
        cached && cached.source === node && cached.problemKey === problemKey
          ? cached
          : {
              source: node,
              problemKey,
              data: {
                node,
                typeLabel: names.get(node.type)?.name ?? (node.kind === node.type ? KIND_LABEL[node.kind] : node.type),
                icon: node.kind === node.type ? node.kind : (names.get(node.type)?.icon ?? node.kind),
                problems: nodeProblems,
              },
            };
      next.set(node.id, entry);
      return entry.data;
    });
    cache.current = next;
    return datas;
  }, [flow, problems, connectors]);
}

function Canvas() {
  const flow = useFlowStore((s) => s.flow)!;
  const problems = useFlowStore((s) => s.problems);
  const connectors = useWorkspaceStore((s) => s.connectors);
  const selected = useUiStore((s) => s.selectedNodeIds);
  const theme = useUiStore((s) => s.theme);
  const { screenToFlowPosition, fitView, fitBounds } = useReactFlow();
  // Measured with npm run bench:editor: above this, the minimap and the dotted background cost more than they give,
  // and zoomed out the flow is drawn on one canvas (OverviewLayer) instead of 1,000 DOM nodes.
  const large = flow.nodes.length > LARGE_FLOW_NODES;
  const zoomedOut = useStore((s) => s.transform[2] < OVERVIEW_MAX_ZOOM);
  const hasSize = useStore((s) => s.width > 0 && s.height > 0);
  const overview = large && zoomedOut;
  const overviewRef = useRef(overview);
  overviewRef.current = overview;
  const datas = useDerivedNodes(flow, problems, connectors);
  const [rfNodes, setRfNodes] = useState<FerryFlowNode[]>([]);

  // Model → view. Drag positions live only in the view until the drag ends (then one undo step).
  useEffect(() => {
    setRfNodes((previous) => {
      const prev = new Map(previous.map((n) => [n.id, n]));
      const selectedSet = new Set(useUiStore.getState().selectedNodeIds);
      return datas.map((data) => {
        const old = prev.get(data.node.id);
        const isSelected = selectedSet.has(data.node.id);
        if (old && old.data === data && old.selected === isSelected && !old.dragging) return old;
        return {
          id: data.node.id,
          type: 'ferry',
          position: { x: data.node.position.x, y: data.node.position.y },
          data,
          selected: isSelected,
          // A size hint: nodes show (and zoom-to-fit works) before the browser has measured them.
          initialWidth: NODE_WIDTH,
          initialHeight: NODE_HEIGHT,
          ...(old?.measured ? { measured: old.measured } : {}),
        };
      });
    });
  }, [datas]);

  const fitFlow = useCallback(
    (duration: number) => {
      const current = useFlowStore.getState().flow;
      if (current && current.nodes.length > LARGE_FLOW_NODES)
        void fitBounds(flowBounds(current), { padding: FIT_PADDING, duration });
      else void fitView({ padding: FIT_PADDING, maxZoom: 1, duration });
    },
    [fitBounds, fitView],
  );
  useEffect(() => {
    const onFit = () => fitFlow(200);
    window.addEventListener('ferry:fit-view', onFit);
    return () => window.removeEventListener('ferry:fit-view', onFit);
  }, [fitFlow]);
  // A large flow opens fitted to the model, once the pane has a size.
  const [fitLargeOnOpen] = useState(large);
  useEffect(() => {
    if (fitLargeOnOpen && hasSize) fitFlow(0);
  }, [fitLargeOnOpen, hasSize, fitFlow]);

  // Selection made outside the canvas (select all, paste) shows on the canvas.
  useEffect(() => {
    const set = new Set(selected);
    setRfNodes((nodes) =>
      nodes.some((n) => Boolean(n.selected) !== set.has(n.id))
        ? nodes.map((n) => (Boolean(n.selected) !== set.has(n.id) ? { ...n, selected: set.has(n.id) } : n))
        : nodes,
    );
  }, [selected]);

  const edges: Edge[] = useMemo(
    () =>
      flow.edges.map((e) => ({
        id: edgeId(e),
        source: e.from.node,
        sourceHandle: e.from.port,
        target: e.to.node,
        targetHandle: e.to.port,
        type: 'count',
        className: `edge-port-${e.from.port}`,
      })),
    [flow.edges],
  );

  const onNodesChange = useCallback((changes: NodeChange<FerryFlowNode>[]) => {
    setRfNodes((nodes) => applyNodeChanges(changes, nodes));
    const ended = new Map<string, { x: number; y: number }>();
    for (const c of changes)
      if (c.type === 'position' && c.dragging === false && c.position) ended.set(c.id, c.position);
    if (ended.size) useFlowStore.getState().edit((f) => moveNodes(f, ended));
  }, []);

  const onSelectionChange = useCallback(({ nodes }: { nodes: FerryFlowNode[] }) => {
    // In the overview React Flow holds no nodes: its empty selection is not the user's.
    if (overviewRef.current) return;
    useUiStore.getState().select(nodes.map((n) => n.id).sort());
  }, []);

  const onPaneClick = useCallback(
    (event: React.MouseEvent) => {
      const current = useFlowStore.getState().flow;
      if (!overviewRef.current || !current) return;
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY }, { snapToGrid: false });
      const hit = nodeAt(current, point);
      useUiStore.getState().select(hit ? [hit] : []);
    },
    [screenToFlowPosition],
  );
  // The editor opens from the view through the stores (no callbacks in node data): a map's mapper, else settings.
  const onNodeDoubleClick = useCallback((_: React.MouseEvent, node: FerryFlowNode) => openNodeEditor(node.id), []);
  const onKeyDown = useCallback((event: React.KeyboardEvent) => {
    if (event.key !== 'Enter' || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    // Only a focused node: Enter on the canvas's own buttons keeps its meaning.
    const nodeId = (event.target as HTMLElement).closest<HTMLElement>('.react-flow__node')?.dataset.id;
    if (!nodeId) return;
    event.preventDefault();
    openNodeEditor(nodeId);
  }, []);
  const invalid = useMemo(() => new Set(problemsByNode(flow, problems).keys()), [flow, problems]);
  const selectedSet = useMemo(() => new Set(selected), [selected]);

  const onConnect = useCallback((c: Connection) => {
    const from = { node: c.source, port: c.sourceHandle ?? 'out' };
    const to = { node: c.target, port: c.targetHandle ?? 'in' };
    const flowNow = useFlowStore.getState().flow;
    const problem = flowNow && connectionProblem(flowNow, from, to);
    if (problem) return useUiStore.getState().toast('error', `Cannot connect: ${problem}`);
    useFlowStore.getState().edit((f) => connect(f, from, to));
    scheduleValidation();
  }, []);

  const isValidConnection = useCallback((c: Connection | Edge) => {
    const flowNow = useFlowStore.getState().flow;
    if (!flowNow) return false;
    return !connectionProblem(
      flowNow,
      { node: c.source, port: c.sourceHandle ?? 'out' },
      { node: c.target, port: c.targetHandle ?? 'in' },
    );
  }, []);

  const onDelete = useCallback(({ nodes, edges: gone }: { nodes: FerryFlowNode[]; edges: Edge[] }) => {
    useFlowStore.getState().edit((f) =>
      removeElements(
        f,
        nodes.map((n) => n.id),
        gone.map((e) => e.id),
      ),
    );
    useUiStore.getState().select([]);
    scheduleValidation();
  }, []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const raw = event.dataTransfer.getData(PALETTE_MIME);
      if (!raw) return;
      event.preventDefault();
      const item = JSON.parse(raw) as PaletteItem;
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      dropNode(item, { x: position.x - 100, y: position.y - 30 });
    },
    [screenToFlowPosition],
  );

  const [fitOnOpen] = useState(flow.nodes.length > 0 && !large);
  return (
    <div
      className={`canvas${large ? ' large' : ''}`}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onKeyDown={onKeyDown}
      data-testid="canvas"
    >
      <ReactFlow<FerryFlowNode>
        nodes={overview ? NO_NODES : rfNodes}
        edges={overview ? NO_EDGES : edges}
        onlyRenderVisibleElements={large}
        onPaneClick={onPaneClick}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onSelectionChange={onSelectionChange}
        onNodeDoubleClick={onNodeDoubleClick}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        snapToGrid
        snapGrid={GRID}
        // Fit only a flow that has nodes when opened: an empty flow keeps zoom 1, so the first drop is not blown up.
        fitView={fitOnOpen}
        fitViewOptions={{ padding: FIT_PADDING, maxZoom: 1 }}
        // A large flow starts zoomed out (drawn as an overview) until it is fitted: no DOM node is mounted first.
        defaultViewport={large ? { x: 0, y: 0, zoom: OVERVIEW_MAX_ZOOM / 2 } : undefined}
        minZoom={0.05}
        proOptions={{ hideAttribution: true }}
        colorMode={theme}
      >
        {!large && <Background variant={BackgroundVariant.Dots} gap={GRID[0]} size={1.2} color="var(--grid)" />}
        {!large && <MiniMap pannable zoomable nodeStrokeWidth={2} className="minimap" />}
        {overview && <OverviewLayer flow={flow} invalid={invalid} selected={selectedSet} theme={theme} />}
        {/* React Flow's own fit knows only the nodes it renders; a large flow fits to the model. */}
        <Controls showInteractive={false} showFitView={!large}>
          {large && (
            <ControlButton onClick={() => fitFlow(200)} title="Fit View" aria-label="Fit View">
              ⤢
            </ControlButton>
          )}
        </Controls>
      </ReactFlow>
    </div>
  );
}

/** Adds a node from the palette (drop, or click: then it goes right of the rightmost node) and selects it. */
export function dropNode(item: PaletteItem, position?: { x: number; y: number }): void {
  const store = useFlowStore.getState();
  if (!store.flow) return;
  let at = position;
  if (!at) {
    const right = store.flow.nodes.reduce((m, n) => Math.max(m, n.position.x), -260);
    at = { x: right + 260, y: 120 };
  }
  let newId = '';
  store.edit((f) => {
    const { flow, id } = addNode(f, { ...item, position: at });
    newId = id;
    return flow;
  });
  useUiStore.getState().select([newId]);
  scheduleValidation();
}

export function FlowCanvas() {
  const flowId = useFlowStore((s) => s.flow?.id);
  if (!flowId) return <div className="canvas canvas-empty">Open or create a flow in the sidebar.</div>;
  return (
    // A new provider per flow: viewport and internal state never leak from one flow into the next.
    <ReactFlowProvider key={flowId}>
      <Canvas />
    </ReactFlowProvider>
  );
}
