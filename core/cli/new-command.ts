import { defaultRegistry } from '../connectors/registry.js';
import { validateFlow } from '../engine/validate-flow.js';
import { type TemplateManifest, type TemplateSetting, parseSettingText } from '../model/template.js';
import { formatProblem } from '../model/validation-error.js';
import { instantiateTemplate } from '../store/template-instantiate.js';
import { type LoadedTemplate, loadTemplates } from '../store/templates.js';
import { flowFile, valueMapFile } from '../store/workspace-store.js';
import { EXIT, type CliIO, UsageError } from './io.js';
import { openWorkspaceArg } from './workspace-arg.js';

export interface NewOptions {
  template?: string;
  /** `key=value` texts of --set. */
  set: string[];
  /** `role=connection-id` texts of --connection. */
  connection: string[];
  name?: string;
}

function pairs(option: string, texts: string[]): [string, string][] {
  return texts.map((text) => {
    const at = text.indexOf('=');
    if (at <= 0) throw new UsageError(`--${option} ${text}: expected <name>=<value>`);
    return [text.slice(0, at).trim(), text.slice(at + 1)];
  });
}

function settingsFromArgs(manifest: TemplateManifest, texts: string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, text] of pairs('set', texts)) {
    const setting = manifest.settings[key];
    if (!setting) {
      const known = Object.keys(manifest.settings).join(', ') || 'none';
      throw new UsageError(
        `--set ${key}: the template ${manifest.id} has no setting "${key}" (its settings: ${known})`,
      );
    }
    const parsed = parseSettingText(setting, text);
    if ('error' in parsed) throw new UsageError(`--set ${key}=${text}: ${parsed.error}`);
    settings[key] = parsed.value;
  }
  return settings;
}

function describeSetting(setting: TemplateSetting): string {
  const kind =
    setting.type === 'choice'
      ? setting.options.join(' | ')
      : setting.type === 'boolean'
        ? 'true | false'
        : setting.type;
  const preset = setting.default !== undefined && setting.default !== '' ? `, default ${String(setting.default)}` : '';
  return `${kind}${preset}${setting.type === 'string' && setting.required ? ', required' : ''}`;
}

/** `ferry new --list-templates`: what each template needs, as `--connection` and `--set` name it. */
export function listTemplatesText(templates: readonly LoadedTemplate[]): string {
  if (templates.length === 0) return 'No templates are installed.\n';
  return templates
    .map(({ manifest }) => {
      const roles = Object.entries(manifest.connectors).map(([role, connector]) => `${role} = ${connector}`);
      const settings = Object.entries(manifest.settings).map(
        ([key, s]) => `      ${key} (${describeSetting(s)}): ${s.title}`,
      );
      return [
        `${manifest.id}`,
        `    ${manifest.name}`,
        `    connections: ${roles.join(', ')}`,
        ...(settings.length ? ['    settings:', ...settings] : []),
      ].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** `ferry new <workspace> --template <id>`: a flow made from a template, ready for `ferry run`. */
export async function newCommand(workspaceArg: string, options: NewOptions, io: CliIO): Promise<number> {
  const { templates, problems } = await loadTemplates();
  for (const p of problems) io.stderr.write(`ferry: warning: template not usable: ${formatProblem(p)}\n`);
  if (!options.template) {
    throw new UsageError('ferry new needs --template <id>; ferry new --list-templates lists them.');
  }
  const template = templates.find((t) => t.manifest.id === options.template);
  if (!template) {
    const known = templates.map((t) => t.manifest.id).join(', ') || 'none';
    throw new UsageError(`--template ${options.template}: no such template (templates: ${known})`);
  }
  const ws = await openWorkspaceArg(workspaceArg, io.cwd);
  const made = await instantiateTemplate(ws, template, {
    settings: settingsFromArgs(template.manifest, options.set),
    connections: Object.fromEntries(pairs('connection', options.connection)),
    name: options.name,
  });
  const file = flowFile(made.flow.id);
  const lines = [
    `Created ${file} from the template "${template.manifest.name}"`,
    ...Object.entries(made.connections).map(([role, id]) => `  ${role}: connection ${id}`),
    ...made.addedValueMaps.map((id) => `  added ${valueMapFile(id)}`),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  const flowProblems = validateFlow(made.flow, {
    registry: defaultRegistry(),
    connections: ws.connections,
    valueMaps: ws.valueMaps,
    file,
  });
  if (flowProblems.length) {
    const list = flowProblems.map((p) => `  ${formatProblem(p)}`).join('\n');
    io.stderr.write(`The flow needs attention before it runs:\n${list}\n`);
    return EXIT.invalidInput;
  }
  io.stdout.write(`Run it with: ferry run ${workspaceArg} ${made.flow.id}\n`);
  return EXIT.ok;
}
