import type { ConnectorRegistry } from '../connectors/registry.js';
import { validateFlow } from '../engine/validate-flow.js';
import { ApiError } from '../model/contract.js';
import type { TemplateSummary } from '../model/demo-contract.js';
import { templateSettingsFormSchema } from '../model/template.js';
import { instantiateTemplate } from '../store/template-instantiate.js';
import { type LoadedTemplate, loadTemplates } from '../store/templates.js';
import { type LoadedWorkspace, flowFile } from '../store/workspace-store.js';
import type { DemoSystems } from './demo-systems.js';
import { type RecordWrite, demoConnectionMaker } from './demo-workspace.js';
import type { ApiHandlers } from './dispatch.js';

export type TemplateHandlers = Pick<ApiHandlers, 'listTemplates' | 'createFlowFromTemplate'>;

export interface TemplateDeps {
  registry: ConnectorRegistry;
  /** The templates folder (default: the shipped resources/templates). */
  templatesDir?: string;
  workspace(): Promise<LoadedWorkspace>;
  recordWrite: RecordWrite;
  /** A role without a connection gets the running demo system's, when there is one. */
  demo?: DemoSystems;
}

export function templateSummary({ manifest }: LoadedTemplate): TemplateSummary {
  return {
    id: manifest.id,
    name: manifest.name,
    description: manifest.description,
    connectors: manifest.connectors,
    settingsSchema: templateSettingsFormSchema(manifest),
    valueMaps: manifest.valueMaps,
  };
}

export function templateHandlers(deps: TemplateDeps): TemplateHandlers {
  return {
    listTemplates: async () => {
      const { templates, problems } = await loadTemplates(deps.templatesDir);
      return { templates: templates.map(templateSummary), problems };
    },
    createFlowFromTemplate: async ({ templateId, settings, connections, name }) => {
      const { templates } = await loadTemplates(deps.templatesDir);
      const template = templates.find((t) => t.manifest.id === templateId);
      if (!template) {
        const known = templates.map((t) => t.manifest.id).join(', ') || 'none';
        throw new ApiError({ code: 'not-found', message: `no template "${templateId}" (templates: ${known})` });
      }
      const ws = await deps.workspace();
      const made = await instantiateTemplate(
        ws,
        template,
        { settings, connections, name },
        {
          makeConnection: deps.demo && demoConnectionMaker(deps.demo.connections(), deps.recordWrite, ws),
          beforeWrite: deps.recordWrite,
        },
      );
      const problems = validateFlow(made.flow, {
        registry: deps.registry,
        connections: ws.connections,
        valueMaps: ws.valueMaps,
        file: flowFile(made.flow.id),
      });
      return { ...made, problems };
    },
  };
}
