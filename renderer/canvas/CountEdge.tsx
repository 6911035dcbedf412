import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import { useRunStore } from '../state/run-store.js';

/** An edge labelled, during and after a run, with the records that passed its source node. */
function CountEdgeView(props: EdgeProps) {
  const { id, source, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd } = props;
  const count = useRunStore((s) => s.nodes[source]?.out);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={selected ? 'edge-selected' : undefined} />
      {count !== undefined && (
        <EdgeLabelRenderer>
          <div
            className="edge-count"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-count-${id}`}
          >
            {count.toLocaleString()}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const CountEdge = memo(CountEdgeView);
