import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import { useRunStore } from '../state/run-store.js';

/** How a count reads on an edge that leaves by a port other than the main output. */
const PORT_WORDS: Record<string, string> = { found: 'found', notFound: 'not found', rejected: 'rejected' };

/**
 * An edge labelled, during and after a run, with the records that took it: the source node's count for its port
 * (a lookup's found and not found apart), or its whole output for a node with one way out.
 */
function CountEdgeView(props: EdgeProps) {
  const { id, source, sourceHandleId, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const port = sourceHandleId ?? 'out';
  const count = useRunStore((s) => {
    const stats = s.nodes[source];
    return stats?.ports?.[port] ?? (port === 'out' ? stats?.out : undefined);
  });
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const words = PORT_WORDS[port];
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={props.markerEnd}
        className={props.selected ? 'edge-selected' : undefined}
      />
      {count !== undefined && (
        <EdgeLabelRenderer>
          <div
            className="edge-count"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-count-${id}`}
          >
            {words ? `${words} ${count.toLocaleString()}` : count.toLocaleString()}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const CountEdge = memo(CountEdgeView);
