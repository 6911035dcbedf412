import { ApiError } from '../model/contract.js';
import { loadTemplates } from '../store/templates.js';
import type { DemoSystems } from './demo-systems.js';
import { type RecordWrite, prepareDemoWorkspace } from './demo-workspace.js';
import type { ApiHandlers } from './dispatch.js';

export type DemoHandlers = Pick<
  ApiHandlers,
  'demoSystemsStatus' | 'startDemoSystems' | 'demoEntities' | 'browseDemoData'
>;

export interface DemoDeps {
  demo: DemoSystems;
  /** The open workspace's folder, if any. */
  workspaceDir(): string | undefined;
  templatesDir?: string;
  recordWrite: RecordWrite;
}

export function demoHandlers(deps: DemoDeps): DemoHandlers {
  const dataOf = (system: string) => {
    const data = deps.demo.data(system);
    if (data) return data;
    const known = deps.demo.definitions.find((d) => d.id === system);
    const message = known
      ? `the demo ${known.name} is not running: start the demo systems first`
      : `no demo system "${system}" (expected one of ${deps.demo.definitions.map((d) => d.id).join(', ')})`;
    throw new ApiError({ code: 'not-found', message });
  };
  return {
    demoSystemsStatus: async () => ({ systems: deps.demo.states() }),
    startDemoSystems: async () => {
      const systems = await deps.demo.start();
      const dir = deps.workspaceDir();
      if (!dir) {
        return { systems, messages: ['Open a workspace to get the demo connections and flows'], createdFlows: [] };
      }
      const { templates } = await loadTemplates(deps.templatesDir);
      const prepared = await prepareDemoWorkspace(
        dir,
        deps.demo.connections(),
        templates,
        deps.recordWrite,
        deps.demo.templateSettings(),
      );
      return { systems, ...prepared };
    },
    demoEntities: async ({ system }) => dataOf(system).entities(),
    browseDemoData: async ({ system, entity, limit, offset }) => {
      const data = dataOf(system);
      const page = data.page(entity, { limit, offset });
      if (!page) {
        const entities = data.entities().map((e) => e.name);
        const message = `no entity "${entity}" in ${system} (expected one of ${entities.join(', ')})`;
        throw new ApiError({ code: 'not-found', message });
      }
      return page;
    },
  };
}
