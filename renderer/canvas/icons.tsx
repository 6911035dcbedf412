import type { NodeKind } from '../../core/model/flow.js';

/** Icons as inline SVG paths (no icon font, no network): one per connector icon name and per built-in kind. */
const PATHS: Record<string, string> = {
  file: 'M6 2h8l4 4v16H6zM14 2v4h4M9 12h6M9 16h6',
  http: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18',
  database: 'M4 6c0-2 16-2 16 0v12c0 2-16 2-16 0zM4 6c0 2 16 2 16 0M4 12c0 2 16 2 16 0',
  cloud: 'M7 18h10a4 4 0 0 0 0-8a6 6 0 0 0-11.5 1.5A3.5 3.5 0 0 0 7 18',
  map: 'M4 7h9M4 12h9M4 17h9M16 5l4 2l-4 2M16 10l4 2l-4 2M16 15l4 2l-4 2',
  filter: 'M3 5h18l-7 8v6l-4 2v-8z',
  lookup: 'M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14M16 16l5 5',
  source: 'M4 12h12M12 7l5 5l-5 5M20 4v16',
  destination: 'M4 4v16M8 12h12M15 7l5 5l-5 5',
  template: 'M9 9h11v11H9zM5 15H4V4h11v1M12.5 14.5h4M14.5 12.5v4',
};

export function Icon({ name, size = 16, title }: { name: string; size?: number; title?: string }) {
  const d = PATHS[name] ?? PATHS.cloud;
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
    >
      {title && <title>{title}</title>}
      <path d={d} />
    </svg>
  );
}

export const KIND_LABEL: Record<NodeKind, string> = {
  source: 'Source',
  map: 'Map',
  filter: 'Filter',
  lookup: 'Lookup',
  destination: 'Destination',
};
