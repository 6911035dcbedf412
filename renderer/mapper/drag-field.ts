import type { SourceField } from '../../core/model/mapper-contract.js';

/**
 * The source field being dragged. Kept here rather than read back from `dataTransfer`: browsers hide a drag's data
 * until the drop, and drag-over needs to know whether a field is coming. `text/plain` is still set, because some
 * browsers start no drag without data.
 */
let dragged: SourceField | null = null;

export const FIELD_DRAG_TYPE = 'text/plain';

export function startFieldDrag(field: SourceField, transfer: DataTransfer | null): void {
  dragged = field;
  transfer?.setData(FIELD_DRAG_TYPE, field.name);
  if (transfer) transfer.effectAllowed = 'copy';
}

export function draggedField(): SourceField | null {
  return dragged;
}

export function endFieldDrag(): void {
  dragged = null;
}
