import { useFlowStore } from './flow-store.js';
import { openMapper } from './mapper-actions.js';
import { useUiStore } from './ui-store.js';

/**
 * Opens what edits a node (double-click or Enter on it): a map node's mapper, any other node's settings, which take
 * the keyboard focus. The node becomes the only selection, so the settings panel shows it.
 */
export function openNodeEditor(nodeId: string): void {
  const node = useFlowStore.getState().flow?.nodes.find((n) => n.id === nodeId);
  if (!node) return;
  useUiStore.getState().select([nodeId]);
  if (node.kind === 'map') openMapper(nodeId);
  else useUiStore.getState().focusSettings(nodeId);
}
