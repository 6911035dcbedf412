import type { ConnectorRegistry } from '../connectors/registry.js';
import { findDefaultMapping } from '../mapping/default-mappings.js';
import type { Flow } from '../model/flow.js';
import { idSchema } from '../model/json-value.js';
import type { DefaultMapping, MappingEndpoint } from '../model/mapper-contract.js';
import { type MapField, type ValueMapFile, mapConfigSchema } from '../model/mapping.js';
import { substitutePlaceholders } from '../model/template-placeholders.js';
import { templateSettingsSchema } from '../model/template.js';
import { ValidationError } from '../model/validation-error.js';
import { type LoadedTemplate, loadTemplate, shippedTemplatesDir } from '../store/templates.js';

/**
 * The mapping "Reset to defaults" restores for a map node: the template's mapping of that node when the flow was
 * made from a template that still has it (re-made with the recorded settings, so placeholders resolve exactly as
 * when the flow was created), else the file shipped for the source → destination pair, else none.
 */
export async function defaultMappingOfNode(
  deps: { registry: ConnectorRegistry; templatesDir?: string },
  flow: Flow,
  nodeId: string,
  ends: { source?: MappingEndpoint; destination?: MappingEndpoint },
): Promise<DefaultMapping | undefined> {
  const template = await originTemplate(flow, deps.templatesDir);
  const fromTemplate = template && templateMappingOfNode(template, flow, nodeId);
  if (fromTemplate) return fromTemplate;
  if (!ends.source || !ends.destination) return undefined;
  const shipped = findDefaultMapping(ends.source, ends.destination);
  if (!shipped) return undefined;
  const pair = `${endName(deps.registry, ends.source)} → ${endName(deps.registry, ends.destination)}`;
  return { origin: { kind: 'pair', pair }, mapping: shipped.mapping, valueMaps: shipped.valueMaps };
}

/** The template a flow records as its origin, when the flow recorded its settings and the template still loads. */
async function originTemplate(flow: Flow, templatesDir = shippedTemplatesDir()): Promise<LoadedTemplate | undefined> {
  const origin = flow.template;
  // A bare id (older flow files) has no settings to re-make the mapping with; the id names a folder, so it is
  // checked as an id before it is joined to a path.
  if (typeof origin !== 'object' || !idSchema.safeParse(origin.id).success) return undefined;
  try {
    return await loadTemplate(templatesDir, origin.id);
  } catch (error) {
    // A template removed or broken since the flow was made leaves the pair's default.
    if (error instanceof ValidationError || (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The template's map node `nodeId`, filled in with the flow's recorded settings, or undefined when the template no
 * longer has such a map node or its settings changed so that the recorded values no longer fit.
 */
export function templateMappingOfNode(
  template: LoadedTemplate,
  flow: Flow,
  nodeId: string,
): DefaultMapping | undefined {
  if (typeof flow.template !== 'object') return undefined;
  const settings = templateSettingsSchema(template.manifest).safeParse(flow.template.settings);
  if (!settings.success) return undefined;
  const filled = substitutePlaceholders(template.flow, {
    connections: flowConnections(template, flow),
    settings: settings.data,
  }) as { nodes?: { id?: unknown; kind?: unknown; config?: unknown }[] };
  const node = filled.nodes?.find((n) => n.id === nodeId && n.kind === 'map');
  const mapping = node && mapConfigSchema.safeParse(node.config);
  if (!mapping?.success) return undefined;
  const used = valueMapsUsed(mapping.data.fields);
  return {
    origin: { kind: 'template', templateId: template.manifest.id, templateName: template.manifest.name },
    mapping: mapping.data,
    valueMaps: template.valueMaps.filter((m: ValueMapFile) => used.has(m.id)),
  };
}

const CONNECTION_PLACEHOLDER = /^\{\{\s*connection\.([A-Za-z0-9_-]+)\s*\}\}$/;

/**
 * Role → the connection the flow's node of the same id uses now: what `{{connection.<role>}}` became when the flow
 * was made (the user may have pointed it elsewhere since, which is then what the default should name too).
 */
function flowConnections(template: LoadedTemplate, flow: Flow): Record<string, string> {
  const connections: Record<string, string> = Object.fromEntries(
    Object.keys(template.manifest.connectors).map((role) => [role, role]),
  );
  const nodes = (template.flow as { nodes?: { id?: unknown; config?: { connection?: unknown } }[] }).nodes ?? [];
  for (const node of nodes) {
    const role = typeof node.config?.connection === 'string' && CONNECTION_PLACEHOLDER.exec(node.config.connection);
    const used = role && flow.nodes.find((n) => n.id === node.id)?.config.connection;
    if (role && typeof used === 'string') connections[role[1]!] = used;
  }
  return connections;
}

function valueMapsUsed(fields: readonly MapField[], into = new Set<string>()): Set<string> {
  for (const f of fields) {
    if (f.valueMap) into.add(f.valueMap);
    if (f.fields) valueMapsUsed(f.fields, into);
  }
  return into;
}

/** "Lightspeed customers": the connector's name and the entity, for the reset confirmation. */
function endName(registry: ConnectorRegistry, end: MappingEndpoint): string {
  const connector = registry.get(end.connector)?.descriptor.name ?? end.connector;
  return end.entity ? `${connector} ${end.entity}` : connector;
}
