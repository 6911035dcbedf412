import { create } from 'zustand';
import type { ConnectionSummary, RecentWorkspace, WorkspaceSummary } from '../../core/model/contract.js';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';

export interface WorkspaceState {
  workspace: WorkspaceSummary | null;
  connectors: ConnectorDescriptor[];
  recent: RecentWorkspace[];
  /** The flow open in the editor. */
  openFlowId: string | null;
  setWorkspace(workspace: WorkspaceSummary | null): void;
  setConnectors(connectors: ConnectorDescriptor[]): void;
  setRecent(recent: RecentWorkspace[]): void;
  setOpenFlowId(id: string | null): void;
}

export const useWorkspaceStore = create<WorkspaceState>()((set) => ({
  workspace: null,
  connectors: [],
  recent: [],
  openFlowId: null,
  setWorkspace: (workspace) => set({ workspace }),
  setConnectors: (connectors) => set({ connectors }),
  setRecent: (recent) => set({ recent }),
  setOpenFlowId: (openFlowId) => set({ openFlowId }),
}));

export function connectionsFor(connections: ConnectionSummary[], connectorId: string): ConnectionSummary[] {
  return connections.filter((c) => c.connector === connectorId);
}
