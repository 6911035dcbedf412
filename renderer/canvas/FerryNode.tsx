import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { type FlowNode, nodePorts } from '../../core/model/flow.js';
import { useRunStore } from '../state/run-store.js';
import { Icon, KIND_LABEL } from './icons.js';

export interface FerryNodeData extends Record<string, unknown> {
  node: FlowNode;
  /** Connector display name, or the kind's label for map/filter. */
  typeLabel: string;
  icon: string;
  /** Validation messages of this node (empty when valid). */
  problems: string[];
}
export type FerryFlowNode = Node<FerryNodeData, 'ferry'>;

const PORT_LABEL: Record<string, string> = { rejected: 'rejected', found: 'found', notFound: 'not found' };
/** A destination's output is optional and easy to miss: its tooltip says what leaves there (chained writes). */
const MAIN_PORT_TITLE: Partial<Record<FlowNode['kind'], string>> = {
  destination: 'written records, with what the target answered (connect to write on: e.g. an order after its customer)',
  lookup: 'found',
};

function RunCounts({ id }: { id: string }) {
  // One narrow selector per node: a progress tick re-renders only the counts, not the node or the canvas.
  const stats = useRunStore((s) => s.nodes[id]);
  if (!stats) return null;
  return (
    <div className="node-counts" data-testid={`counts-${id}`}>
      <span title="records in">in {stats.in.toLocaleString()}</span>
      <span title="records out">out {stats.out.toLocaleString()}</span>
      {stats.failed > 0 && (
        <span className="node-counts-failed" title="records failed">
          failed {stats.failed.toLocaleString()}
        </span>
      )}
    </div>
  );
}

/** The one component of every node on the canvas: connector nodes differ only by their descriptor's data. */
function FerryNodeView({ id, data, selected }: NodeProps<FerryFlowNode>) {
  const { node, typeLabel, icon, problems } = data;
  const ports = nodePorts[node.kind];
  const extraOutputs = ports.outputs.slice(1);
  return (
    <div
      className={`ferry-node kind-${node.kind}${selected ? ' selected' : ''}${problems.length ? ' invalid' : ''}`}
      data-node-id={id}
      data-testid={`node-${id}`}
      title={problems.length ? problems.join('\n') : undefined}
    >
      {ports.inputs.map((port) => (
        <Handle key={port} id={port} type="target" position={Position.Left} className="port port-in" />
      ))}
      <div className="node-head">
        <span className="node-icon">
          <Icon name={icon} size={18} />
        </span>
        <div className="node-titles">
          <div className="node-name">{node.name ?? node.id}</div>
          <div className="node-type">
            {KIND_LABEL[node.kind]}
            {node.kind !== node.type ? ` · ${typeLabel}` : ''}
          </div>
        </div>
        {problems.length > 0 && (
          <span className="node-warning" aria-label={`${problems.length} problem(s)`}>
            !
          </span>
        )}
      </div>
      {problems.length > 0 && (
        <div className="node-problem" role="alert">
          {problems[0]}
          {problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}
        </div>
      )}
      <RunCounts id={id} />
      {ports.outputs.slice(0, 1).map((port) => (
        <Handle
          key={port}
          id={port}
          type="source"
          position={Position.Right}
          className="port port-out"
          title={MAIN_PORT_TITLE[node.kind]}
        />
      ))}
      {extraOutputs.map((port, i) => (
        <Handle
          key={port}
          id={port}
          type="source"
          position={Position.Bottom}
          style={{ left: `${70 + i * 20}%` }}
          className={`port port-out port-${port}`}
          title={PORT_LABEL[port] ?? port}
        />
      ))}
    </div>
  );
}

export const FerryNode = memo(FerryNodeView);
