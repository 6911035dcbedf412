/**
 * Test helpers (only tests import this) for end-to-end runs through the CLI: workspace files written as a user
 * would leave them, and the node and edge shapes of a flow file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A node of a flow file, laid out left to right by `x`. */
export function flowNode(id: string, kind: string, type: string, x: number, config: Record<string, unknown>) {
  return { id, kind, type, typeVersion: 1, position: { x, y: 0 }, config };
}

/** Edges chaining the nodes in order, each "out" → "in". */
export function chainEdges(...ids: string[]) {
  return ids.slice(1).map((to, i) => ({ from: { node: ids[i]!, port: 'out' }, to: { node: to, port: 'in' } }));
}

/** Writes a workspace file: text as is, anything else as pretty JSON; folders are made as needed. */
export async function putFile(workspace: string, file: string, value: unknown): Promise<void> {
  await mkdir(dirname(join(workspace, file)), { recursive: true });
  await writeFile(join(workspace, file), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}
