/**
 * Test helpers (not shipped: only tests import this): a connector context for an Acumatica connection (with a
 * concurrency pool when asked), connection settings for the emulator, and the contract check — every request a
 * client sent, held against the endpoint's catalog: the URL's entity, `$select`/`$expand` paths, and PUT/POST
 * bodies (each field wrapped as its wrapper type wants, details as arrays, linked entities as objects).
 */
import type { Semaphore } from '../../engine/concurrency-pools.js';
import type { RecordData } from '../../engine/record.js';
import { type TestContext, makeContext } from '../http/test-support.js';
import type { Exchange } from '../net/recording-proxy.js';
import { type AcuCatalog, type AcuEntity, acumaticaCatalog, type AcumaticaEndpoint } from './catalog.js';
import { ACUMATICA_DEMO } from './emulator/index.js';

import type { RunContext } from '../../engine/run-flow.js';
import { type MemoryWorld, memoryConnector } from '../../engine/testing/memory-connector.js';
import { memoryRunContext } from '../../engine/testing/memory-run.js';
import { type ConnectionFile, secretAccount } from '../../model/connection.js';
import type { RunStateStore } from '../../store/run-state.js';
import { fakeClock } from '../net/fake-clock.js';
import { ConnectorRegistry } from '../registry.js';
import { createAcumaticaConnector } from './index.js';

export { fakeClock };

export function acuContext(
  settings: Record<string, unknown>,
  secrets: Record<string, string>,
  options: { pool?: Semaphore; id?: string } = {},
): TestContext & { saved: Record<string, string> } {
  const ctx = makeContext(settings, secrets);
  const saved: Record<string, string> = {};
  const id = options.id ?? 'acu';
  ctx.connection = { schemaVersion: 1, id, name: id, connector: 'acumatica', settings };
  ctx.saveSecret = async (field, value) => {
    saved[field] = value;
    secrets[field] = value;
  };
  if (options.pool) {
    const pool = options.pool;
    ctx.limit = pool.limit;
    ctx.acquire = (signal) => pool.acquire(signal);
  }
  return Object.assign(ctx, { saved });
}

/** Cookie settings for the emulator's demo instance (`instanceUrl`: the emulator's, or a proxy in front of it). */
export function demoSettings(instanceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    instanceUrl,
    username: ACUMATICA_DEMO.userName,
    tenant: ACUMATICA_DEMO.tenant,
    branch: ACUMATICA_DEMO.branch,
    timeoutMs: 5000,
    ...extra,
  };
}

export const demoSecrets = (): Record<string, string> => ({ password: ACUMATICA_DEMO.password });

const WRAPPER_CHECKS: Record<string, (v: unknown) => boolean> = {
  StringValue: (v) => typeof v === 'string',
  GuidValue: (v) => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v),
  DecimalValue: (v) => typeof v === 'number',
  IntValue: Number.isInteger,
  ShortValue: Number.isInteger,
  LongValue: Number.isInteger,
  ByteValue: Number.isInteger,
  BooleanValue: (v) => typeof v === 'boolean',
  DateTimeValue: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
};

/** What is wrong with a wrapped body of `entity`, as "path: problem" lines. */
export function bodyProblems(catalog: AcuCatalog, entity: AcuEntity, body: unknown, path = ''): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [`${path || entity.name}: expected an object`];
  const out: string[] = [];
  for (const [name, value] of Object.entries(body as RecordData)) {
    const at = `${path}${name}`;
    if (name === 'id' || name === 'delete') continue;
    if (name === 'note') {
      if (!isWrapped(value)) out.push(`${at}: not wrapped`);
      continue;
    }
    if (name === 'custom') {
      for (const fields of Object.values(value as Record<string, Record<string, unknown>>))
        for (const [f, w] of Object.entries(fields))
          if (!w || typeof w !== 'object' || !('type' in w) || !('value' in w))
            out.push(`${at}.${f}: not {type, value}`);
      continue;
    }
    const field = entity.fields.find((f) => f.name === name);
    const link = entity.links.find((l) => l.name === name);
    if (field) {
      if (!isWrapped(value)) out.push(`${at}: not wrapped`);
      else {
        const inner = (value as { value: unknown }).value;
        const check = WRAPPER_CHECKS[field.type];
        if (inner !== null && check && !check(inner)) out.push(`${at}: ${JSON.stringify(inner)} is no ${field.type}`);
      }
    } else if (link) {
      const target = catalog.entity(link.entity)!;
      if (link.collection) {
        if (!Array.isArray(value)) out.push(`${at}: expected an array`);
        else value.forEach((item, i) => out.push(...bodyProblems(catalog, target, item, `${at}[${i}].`)));
      } else out.push(...bodyProblems(catalog, target, value, `${at}.`));
    } else out.push(`${at}: not a field of ${entity.name}`);
  }
  return out;
}

function isWrapped(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value) && 'value' in value;
}

/** Every request of `exchanges` against the catalog of its endpoint version: URLs, query paths, bodies. */
export function contractProblems(exchanges: readonly Exchange[]): string[] {
  const out: string[] = [];
  for (const e of exchanges) {
    const url = new URL(e.url, 'http://x');
    const match = /\/entity\/(Default|MANUFACTURING|eCommerce)\/([\d.]+)\/([^/?]+)(?:\/([^/?]+))?/.exec(url.pathname);
    if (!match) continue;
    const catalog = acumaticaCatalog(match[1] as AcumaticaEndpoint, match[2]);
    const entity = catalog.entity(decodeURIComponent(match[3]!));
    const where = `${e.method} ${decodeURIComponent(e.url)}`;
    if (!entity?.topLevel) {
      out.push(`${where}: no top-level entity ${match[3]}`);
      continue;
    }
    for (const option of ['$select', '$expand']) {
      for (const path of (url.searchParams.get(option) ?? '').split(',').filter(Boolean)) {
        let current: AcuEntity | undefined = entity;
        for (const part of path.split('/')) {
          const link: { entity: string } | undefined = current?.links.find((l) => l.name === part);
          if (link) current = catalog.entity(link.entity);
          else if (current?.fields.some((f) => f.name === part)) current = undefined;
          else out.push(`${where}: ${option} names ${path}, unknown at ${part}`);
        }
      }
    }
    const action = match[4];
    if (e.method === 'PUT') out.push(...bodyProblems(catalog, entity, e.requestBody).map((p) => `${where}: ${p}`));
    if (e.method === 'POST' && action && !action.startsWith('$')) {
      if (!entity.actions.includes(action)) out.push(`${where}: ${entity.name} has no action ${action}`);
      const target = (e.requestBody as { entity?: unknown }).entity;
      out.push(...bodyProblems(catalog, entity, target).map((p) => `${where}: entity ${p}`));
    }
  }
  return out;
}

/** A run context with one Acumatica connection "acu" (cookie sign-in at `instanceUrl`) beside the memory connector. */
export async function acuRunContext(
  world: MemoryWorld,
  instanceUrl: string,
): Promise<{ ctx: RunContext; store: RunStateStore }> {
  const { ctx, store } = memoryRunContext(world);
  const settings = demoSettings(instanceUrl);
  const connection: ConnectionFile = { schemaVersion: 1, id: 'acu', name: 'Acumatica', connector: 'acumatica', settings }; // prettier-ignore
  await ctx.secrets.set(secretAccount(ctx.workspace.workspaceId, 'acu', 'password'), ACUMATICA_DEMO.password);
  const connector = createAcumaticaConnector({ clock: fakeClock(), random: () => 0.5 });
  return {
    store,
    ctx: {
      ...ctx,
      workspace: { ...ctx.workspace, connections: new Map([['acu', connection]]) },
      registry: new ConnectorRegistry([memoryConnector(world), connector]),
    },
  };
}
