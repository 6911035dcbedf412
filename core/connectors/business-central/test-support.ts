/**
 * Test helpers (not shipped: only tests import this): a deterministic clock, a connector context for a Business
 * Central connection, a recording reverse proxy (every request the client sends and every answer, for contract
 * checks), and the contract check itself — records, request bodies and URLs against the catalog's entity types.
 */
import type { RecordData } from '../../engine/record.js';
import type { RunContext } from '../../engine/run-flow.js';
import { type MemoryWorld, memoryConnector } from '../../engine/testing/memory-connector.js';
import { memoryRunContext } from '../../engine/testing/memory-run.js';
import { type ConnectionFile, secretAccount } from '../../model/connection.js';
import type { RunStateStore } from '../../store/run-state.js';
import { ConnectorRegistry } from '../registry.js';
import { BC_DEMO } from './emulator/index.js';
import { createBusinessCentralConnector } from './index.js';
import type { TestContext } from '../http/test-support.js';
import { makeContext } from '../http/test-support.js';
import type { BcCatalog, BcEntitySet, BcProperty } from './catalog.js';

export { fakeClock } from '../net/fake-clock.js';

export function bcContext(settings: Record<string, unknown>, secrets: Record<string, string>): TestContext {
  const ctx = makeContext(settings, secrets);
  ctx.connection = { schemaVersion: 1, id: 'bc', name: 'BC', connector: 'business-central', settings };
  return ctx;
}

export { type Exchange, recordingProxy } from '../net/recording-proxy.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** What is wrong with a value for an EDM property, or undefined. */
function typeProblem(property: BcProperty, value: unknown): string | undefined {
  if (value === null) return property.nullable ? undefined : 'null in a non-nullable property';
  if (property.collection) return Array.isArray(value) ? undefined : 'expected a collection';
  if (property.properties) {
    if (typeof value !== 'object' || Array.isArray(value)) return 'expected an object';
    for (const [name, member] of Object.entries(value as RecordData)) {
      const m = property.properties.find((p) => p.name === name);
      if (!m) return `unknown member ${name}`;
      const problem = typeProblem(m, member);
      if (problem) return `${name}: ${problem}`;
    }
    return undefined;
  }
  const t = property.edmType;
  const ok = (() => {
    switch (t) {
      case 'Edm.Guid':
        return typeof value === 'string' && GUID.test(value);
      case 'Edm.String':
        return typeof value === 'string' && (property.maxLength === undefined || value.length <= property.maxLength);
      case 'Edm.Int16':
      case 'Edm.Int32':
      case 'Edm.Int64':
      case 'Edm.Byte':
        return Number.isInteger(value);
      case 'Edm.Decimal':
      case 'Edm.Double':
        return typeof value === 'number';
      case 'Edm.Boolean':
        return typeof value === 'boolean';
      case 'Edm.Date':
        return typeof value === 'string' && DATE.test(value);
      case 'Edm.DateTimeOffset':
        return typeof value === 'string' && DATE_TIME.test(value);
      case 'Edm.Stream':
        return true;
    }
    if (property.enumMembers) return typeof value === 'string' && property.enumMembers.includes(value);
    return typeof value === 'string';
  })();
  return ok ? undefined : `${JSON.stringify(value)} is not a valid ${t}`;
}

/**
 * Problems of a record against an entity set: unknown fields, wrong types, expanded navigations checked against
 * their target set. Annotations (`@odata.*`) are allowed.
 */
export function contractProblems(catalog: BcCatalog, set: BcEntitySet, record: RecordData, path = set.name): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (name.startsWith('@odata.') || name.includes('@odata.')) continue;
    const property = set.properties.find((p) => p.name === name);
    if (property) {
      const problem = typeProblem(property, value);
      if (problem) problems.push(`${path}.${name}: ${problem}`);
      continue;
    }
    const nav = set.navigation.find((n) => n.name === name);
    const target = nav?.entitySet ? catalog.entitySet(nav.entitySet) : undefined;
    if (!nav || !target) {
      problems.push(`${path}.${name}: not a property of ${set.entityType}`);
      continue;
    }
    const items = nav.collection ? (Array.isArray(value) ? value : [value]) : value === null ? [] : [value];
    items.forEach((item, i) =>
      problems.push(...contractProblems(catalog, target, item as RecordData, `${path}.${name}[${i}]`)),
    );
  }
  return problems;
}

/**
 * Problems of a request path below the API root: every segment names an entity set (or navigation, or a bound
 * action) of the catalog, and every key literal has its key's type (GUIDs bare, strings quoted).
 */
export function urlProblems(catalog: BcCatalog, path: string): string[] {
  const problems: string[] = [];
  const clean = decodeURIComponent(path.split('?')[0]!);
  let current: BcEntitySet | undefined;
  for (const segment of clean.split('/').filter(Boolean)) {
    if (segment === '$batch' || segment === '$metadata') return problems;
    const action = /^Microsoft\.NAV\.(\w+)$/.exec(segment);
    if (action) {
      if (!current?.actions.includes(action[1]!)) problems.push(`${segment}: not an action of ${current?.name}`);
      continue;
    }
    const match = /^(\w+)(?:\((.*)\))?$/.exec(segment);
    const name = match?.[1] ?? segment;
    const next: BcEntitySet | undefined = current
      ? catalog.entitySet(current.navigation.find((n) => n.name === name)?.entitySet ?? name)
      : catalog.entitySet(name);
    if (!next) {
      problems.push(`${segment}: unknown entity set`);
      return problems;
    }
    const key = match?.[2];
    if (key !== undefined) {
      const keyType = next.properties.find((p) => p.name === next.key[0])?.edmType;
      const ok =
        keyType === 'Edm.String' ? /^'.*'$/.test(key) : keyType === 'Edm.Guid' ? GUID.test(key) : /^\d+$/.test(key);
      if (!ok) problems.push(`${segment}: key ${key} is not a ${keyType} literal`);
    }
    current = next;
  }
  return problems;
}

/**
 * A run context with one Business Central connection "bc" (online, at `url`: the emulator or a proxy before it,
 * company CRONUS USA) beside the memory connector, for flows that read or write both.
 */
export async function bcRunContext(
  world: MemoryWorld,
  url: string,
): Promise<{ ctx: RunContext; store: RunStateStore }> {
  const { ctx, store } = memoryRunContext(world);
  const settings = {
    mode: 'online',
    tenant: BC_DEMO.tenantId,
    clientId: BC_DEMO.clientId,
    company: BC_DEMO.companies.usa.id,
    authorityHost: url,
    apiHost: url,
  };
  const connection: ConnectionFile = {
    schemaVersion: 1,
    id: 'bc',
    name: 'BC',
    connector: 'business-central',
    settings,
  };
  await ctx.secrets.set(secretAccount(ctx.workspace.workspaceId, 'bc', 'clientSecret'), BC_DEMO.clientSecret);
  return {
    store,
    ctx: {
      ...ctx,
      workspace: { ...ctx.workspace, connections: new Map([['bc', connection]]) },
      registry: new ConnectorRegistry([memoryConnector(world), createBusinessCentralConnector({ random: () => 0.5 })]),
    },
  };
}
