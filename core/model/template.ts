import { z } from 'zod';
import { idSchema } from './json-value.js';

/**
 * A template (resources/templates/<id>/): `template.json` (this manifest), `flow.json` (a flow whose connection ids
 * and settings are placeholders, see template-placeholders.ts) and optional `value-maps/<id>.value-map.json` files
 * added to the workspace with the flow.
 */

export const TEMPLATE_SCHEMA_VERSION = 1;
export const TEMPLATE_FILE = 'template.json';
export const TEMPLATE_FLOW_FILE = 'flow.json';

/** Setting keys and roles appear in placeholders and `--set key=value`: a plain identifier. */
const keySchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,47}$/, 'expected a name of letters, digits and "_"');

const common = {
  /** The form's label. */
  title: z.string().min(1),
  description: z.string().min(1).optional(),
};

/** One setting a template asks for; its value is substituted into the flow where `{{settings.<key>}}` stands. */
export const templateSettingSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('string'),
    ...common,
    default: z.string().optional(),
    /** An empty value is refused (without a default, the user must type one). */
    required: z.boolean().optional(),
    maxLength: z.number().int().min(1).optional(),
    placeholder: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('number'),
    ...common,
    default: z.number().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    integer: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('boolean'), ...common, default: z.boolean().optional() }),
  z.strictObject({
    type: z.literal('choice'),
    ...common,
    options: z.array(z.string().min(1)).min(1),
    /** What the form shows for an option (the value is what the flow gets). */
    labels: z.record(z.string(), z.string().min(1)).optional(),
    default: z.string().optional(),
  }),
]);
export type TemplateSetting = z.infer<typeof templateSettingSchema>;

export const templateManifestSchema = z
  .strictObject({
    schemaVersion: z.literal(TEMPLATE_SCHEMA_VERSION),
    id: idSchema,
    name: z.string().min(1),
    description: z.string().min(1),
    /** Role → connector id, e.g. `{ "source": "acumatica", "destination": "business-central" }`. */
    connectors: z.record(keySchema, z.string().min(1)),
    settings: z.record(keySchema, templateSettingSchema).default({}),
    /** Ids of the value maps in the template's `value-maps/` folder, added to the workspace when missing. */
    valueMaps: z.array(idSchema).default([]),
  })
  .superRefine((manifest, ctx) => {
    for (const [key, setting] of Object.entries(manifest.settings)) {
      if (setting.type !== 'choice') continue;
      const expected = `expected one of the options ${setting.options.join(', ')}`;
      if (setting.default !== undefined && !setting.options.includes(setting.default)) {
        ctx.addIssue({ code: 'custom', path: ['settings', key, 'default'], message: expected });
      }
      for (const option of Object.keys(setting.labels ?? {}).filter((o) => !setting.options.includes(o))) {
        ctx.addIssue({ code: 'custom', path: ['settings', key, 'labels', option], message: expected });
      }
    }
  });
export type TemplateManifest = z.infer<typeof templateManifestSchema>;

function settingValueSchema(setting: TemplateSetting): z.ZodType {
  const meta = { title: setting.title, ...(setting.description ? { description: setting.description } : {}) };
  switch (setting.type) {
    case 'string': {
      let text = z.string().trim();
      if (setting.required) text = text.min(1);
      if (setting.maxLength) text = text.max(setting.maxLength);
      const described = text.meta(setting.placeholder ? { ...meta, placeholder: setting.placeholder } : meta);
      if (setting.default !== undefined) return described.default(setting.default);
      return setting.required ? described : described.optional();
    }
    case 'number': {
      let n = setting.integer ? z.number().int() : z.number();
      if (setting.minimum !== undefined) n = n.min(setting.minimum);
      if (setting.maximum !== undefined) n = n.max(setting.maximum);
      return setting.default !== undefined ? n.meta(meta).default(setting.default) : n.meta(meta);
    }
    case 'boolean':
      return z
        .boolean()
        .meta(meta)
        .default(setting.default ?? false);
    case 'choice': {
      const choice = z
        .enum(setting.options as [string, ...string[]])
        .meta(setting.labels ? { ...meta, enumLabels: setting.labels } : meta);
      return setting.default !== undefined ? choice.default(setting.default) : choice;
    }
  }
}

/** The zod schema of a template's settings values: defaults filled in, unknown keys refused. */
export function templateSettingsSchema(manifest: Pick<TemplateManifest, 'settings'>) {
  return z.strictObject(
    Object.fromEntries(Object.entries(manifest.settings).map(([key, s]) => [key, settingValueSchema(s)])),
  );
}

/** JSON Schema of the settings, for the generated form (the same schema that validates them). */
export function templateSettingsFormSchema(manifest: Pick<TemplateManifest, 'settings'>): Record<string, unknown> {
  return z.toJSONSchema(templateSettingsSchema(manifest), { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}

/**
 * A `--set key=value` text as the setting's type: numbers and booleans are parsed, so the CLI and the form end in
 * the same values. Returns an error message naming what was expected.
 */
export function parseSettingText(setting: TemplateSetting, text: string): { value: unknown } | { error: string } {
  switch (setting.type) {
    case 'number': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? { value: n } : { error: `expected a number, got "${text}"` };
    }
    case 'boolean':
      if (/^(true|yes|1)$/i.test(text)) return { value: true };
      if (/^(false|no|0)$/i.test(text)) return { value: false };
      return { error: `expected true or false, got "${text}"` };
    default:
      return { value: text };
  }
}
