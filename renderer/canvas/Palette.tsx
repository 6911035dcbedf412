import type { DragEvent } from 'react';
import type { NodeKind } from '../../core/model/flow.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { PALETTE_MIME, type PaletteItem, dropNode } from './FlowCanvas.js';
import { Icon, KIND_LABEL } from './icons.js';

interface Entry extends PaletteItem {
  label: string;
  icon: string;
  hint: string;
}

function onDragStart(event: DragEvent, item: PaletteItem): void {
  event.dataTransfer.setData(PALETTE_MIME, JSON.stringify(item));
  event.dataTransfer.effectAllowed = 'copy';
}

/** Node kinds and connectors from the registry: drag one onto the canvas, or click (or Enter) to append it. */
export function Palette() {
  const connectors = useWorkspaceStore((s) => s.connectors);
  const byKind = (kind: NodeKind): Entry[] =>
    connectors
      .filter((c) => c.nodeKinds.includes(kind))
      .map((c) => ({ kind, type: c.id, name: c.name, label: c.name, icon: c.icon, hint: c.description }));
  const groups: { title: string; entries: Entry[] }[] = [
    { title: 'Sources', entries: byKind('source') },
    {
      title: 'Transform',
      entries: [
        {
          kind: 'map',
          type: 'map',
          label: 'Map',
          icon: 'map',
          hint: 'Set destination fields with JSONata expressions',
        },
        {
          kind: 'filter',
          type: 'filter',
          label: 'Filter',
          icon: 'filter',
          hint: 'Keep records for which a condition holds',
        },
      ],
    },
    { title: 'Lookups', entries: byKind('lookup') },
    { title: 'Destinations', entries: byKind('destination') },
  ];
  return (
    <nav className="palette" aria-label="Node palette">
      {groups
        .filter((g) => g.entries.length > 0)
        .map((g) => (
          <section key={g.title}>
            <h3>{g.title}</h3>
            {g.entries.map((e) => {
              const item: PaletteItem = { kind: e.kind, type: e.type };
              return (
                <button
                  key={`${e.kind}:${e.type}`}
                  type="button"
                  className={`palette-item kind-${e.kind}`}
                  draggable
                  onDragStart={(ev) => onDragStart(ev, item)}
                  onClick={() => dropNode(item)}
                  title={`${e.label} (${KIND_LABEL[e.kind].toLowerCase()}): ${e.hint}\nDrag onto the canvas, or click to add.`}
                  data-testid={`palette-${e.kind}-${e.type}`}
                >
                  <Icon name={e.icon} />
                  <span>{e.label}</span>
                </button>
              );
            })}
          </section>
        ))}
    </nav>
  );
}
