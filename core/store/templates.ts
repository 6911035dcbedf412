import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { flowSchema } from '../model/flow.js';
import type { JsonValue } from '../model/json-value.js';
import { type ValueMapFile, valueMapFileSchema } from '../model/mapping.js';
import { checkPlaceholders, substitutePlaceholders } from '../model/template-placeholders.js';
import {
  TEMPLATE_FILE,
  TEMPLATE_FLOW_FILE,
  type TemplateManifest,
  type TemplateSetting,
  templateManifestSchema,
} from '../model/template.js';
import { ValidationError, type ValidationProblem, parseOrThrow } from '../model/validation-error.js';
import { readJsonFile } from './json-file.js';
import { resourcesDir } from './resources.js';
import { valueMapFile } from './workspace-store.js';

/** A template as read from its folder: the manifest, the flow with its placeholders, the value maps it brings. */
export interface LoadedTemplate {
  manifest: TemplateManifest;
  flow: JsonValue;
  valueMaps: ValueMapFile[];
}

/** The shipped templates: resources/templates. */
export function shippedTemplatesDir(): string {
  return resourcesDir('templates', '.');
}

/** A value of the setting's type, for checking a template's structure before anyone chose settings. */
function sampleValue(setting: TemplateSetting): unknown {
  if (setting.default !== undefined) return setting.default;
  switch (setting.type) {
    case 'string':
      return 'sample';
    case 'number':
      return setting.minimum ?? 0;
    case 'boolean':
      return false;
    case 'choice':
      return setting.options[0];
  }
}

/**
 * Reads and checks one template folder; problems name the file as `<folder>/template.json` or `<folder>/flow.json`
 * with the JSON path. The flow must be a valid flow file once its placeholders are filled in.
 */
export async function loadTemplate(root: string, folder: string): Promise<LoadedTemplate> {
  const dir = join(root, folder);
  const manifestFile = `${folder}/${TEMPLATE_FILE}`;
  const flowFile = `${folder}/${TEMPLATE_FLOW_FILE}`;
  const manifest = parseOrThrow(
    templateManifestSchema,
    await readJsonFile(join(dir, TEMPLATE_FILE), manifestFile),
    manifestFile,
  );
  if (manifest.id !== folder) {
    throw new ValidationError([
      { file: manifestFile, path: 'id', message: `expected "${folder}" (the folder name), got "${manifest.id}"` },
    ]);
  }
  const flow = (await readJsonFile(join(dir, TEMPLATE_FLOW_FILE), flowFile)) as JsonValue;
  const { problems } = checkPlaceholders(flow, manifest);
  if (problems.length) throw new ValidationError(problems.map((p) => ({ file: flowFile, ...p })));
  const sample = substitutePlaceholders(flow, {
    connections: Object.fromEntries(Object.keys(manifest.connectors).map((role) => [role, `${role}-connection`])),
    settings: Object.fromEntries(Object.entries(manifest.settings).map(([k, s]) => [k, sampleValue(s)])),
  });
  parseOrThrow(flowSchema, sample, flowFile);
  const valueMaps = [];
  for (const id of manifest.valueMaps) {
    const file = `${folder}/${valueMapFile(id)}`;
    const valueMap = parseOrThrow(valueMapFileSchema, await readJsonFile(join(dir, valueMapFile(id)), file), file);
    if (valueMap.id !== id) {
      const message = `expected "${id}" (the file name), got "${valueMap.id}"`;
      throw new ValidationError([{ file, path: 'id', message }]);
    }
    valueMaps.push(valueMap);
  }
  return { manifest, flow, valueMaps };
}

/** Every template folder of `root`, sorted by name; a broken one is reported in `problems`, the rest stay usable. */
export async function loadTemplates(
  root: string = shippedTemplatesDir(),
): Promise<{ templates: LoadedTemplate[]; problems: ValidationProblem[] }> {
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const templates: LoadedTemplate[] = [];
  const problems: ValidationProblem[] = [];
  for (const entry of entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'))) {
    try {
      templates.push(await loadTemplate(root, entry.name));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  templates.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
  return { templates, problems };
}
