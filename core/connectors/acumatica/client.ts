/**
 * The contract-based REST API as the connector uses it (specs/README.md §3): entities under
 * `{instance}/entity/{endpoint}/{version}/{Entity}`; reads paged by `$top`/`$skip` (there is no next link), delta by
 * `{deltaField} gt datetimeoffset'…'`, `$select`/`$expand`/`$custom`; writes as PUT with If-None-Match: * (create
 * only), If-Match: * (update only) or neither (upsert); actions as POST answered 202 + Location (polled until 204)
 * or 204. Records leave and enter this class plain (wire.ts wraps and unwraps).
 */
import type { RecordData } from '../../engine/record.js';
import { ConfigError, ConnectionError } from '../errors.js';
import type { JsonResponse } from '../net/json-exchange.js';
import { WriteUncertainError } from '../net/retry.js';
import { acuErrorText, isLoginLimit } from './acu-error.js';
import type { AcuCatalog, AcuEntity } from './catalog.js';
import type { AcuRequest, AcuTransport } from './transport.js';
import { fieldErrors, unwrapRecord } from './wire.js';

export interface AcuClientInit {
  transport: AcuTransport;
  catalog: AcuCatalog;
  /** Instance root, no trailing slash. */
  instance: string;
  principal: string;
  redact: (text: string) => string;
}

export interface ReadQuery {
  /** Field paths as flows name them: `CustomerID`, `MainContact.Email` (or `MainContact/Email`). */
  fields?: readonly string[];
  expand?: readonly string[];
  /** Custom fields as View.Field. */
  custom?: readonly string[];
  filter?: string;
  /** Only records whose delta field is greater than this instant. */
  since?: string;
  pageSize: number;
  signal: AbortSignal;
}

export type WriteMode = 'create' | 'update' | 'upsert';

export type PutResult =
  | { kind: 'ok'; record: RecordData }
  /** 412: the record exists (create only) or does not (update only). */
  | { kind: 'precondition' }
  | { kind: 'invalid'; errors: string[] }
  | { kind: 'error'; message: string }
  | { kind: 'uncertain'; reason: string };

export interface ServerInfo {
  build?: string;
  endpoints: { name: string; version: string }[];
}

export class AcuClient {
  constructor(readonly init: AcuClientInit) {}

  get transport(): AcuTransport {
    return this.init.transport;
  }

  get catalog(): AcuCatalog {
    return this.init.catalog;
  }

  /** A top-level entity of the connection's endpoint version, or a ConfigError naming where it is not. */
  entity(name: string): AcuEntity {
    const entity = this.catalog.entity(name);
    if (!entity?.topLevel) {
      const { endpoint, version } = this.catalog;
      const near = this.catalog.entities.find((e) => e.topLevel && e.name.toLowerCase() === name.toLowerCase());
      throw new ConfigError(
        `the Acumatica ${endpoint} endpoint ${version} has no top-level entity "${name}"${near ? ` (did you mean ${near.name}?)` : ''}`,
      );
    }
    return entity;
  }

  entityUrl(entity: string): string {
    const { endpoint, version } = this.catalog;
    return `${this.init.instance}/entity/${endpoint}/${version}/${encodeURIComponent(entity)}`;
  }

  /** `GET {instance}/entity`: the ERP build and the endpoints (name, version) the server offers. */
  async serverInfo(signal: AbortSignal): Promise<ServerInfo> {
    return parseServerInfo((await this.get(`${this.init.instance}/entity`, signal, 1)).json);
  }

  /** The pages of a read, unwrapped; the next page is fetched only when the caller pulls. */
  async *pages(entityName: string, query: ReadQuery): AsyncGenerator<RecordData[]> {
    const entity = this.entity(entityName);
    for (let skip = 0; ;) {
      query.signal.throwIfAborted();
      const response = await this.get(this.readUrl(entity, query, skip), query.signal);
      if (!Array.isArray(response.json)) {
        throw new ConnectionError(`expected a list of ${entity.name} records from ${this.init.redact(response.url)}`);
      }
      const records = (response.json as RecordData[]).map(unwrapRecord);
      if (records.length > 0) yield records;
      if (records.length < query.pageSize) return;
      skip += records.length;
    }
  }

  /** The URL of one page: `$filter` (delta and extra), `$select`, `$expand`, `$custom`, `$top`, `$skip`. */
  readUrl(entity: AcuEntity, query: Omit<ReadQuery, 'signal'>, skip: number): string {
    const params: string[] = [];
    const filters: string[] = [];
    if (query.filter) filters.push(`(${query.filter})`);
    if (query.since !== undefined) {
      if (!entity.deltaField) {
        throw new ConfigError(`${entity.name} has no LastModifiedDateTime field: it cannot be read incrementally`);
      }
      filters.push(`${entity.deltaField} gt ${dateTimeOffsetLiteral(query.since)}`);
    }
    if (filters.length > 0) params.push(`$filter=${encodeURIComponent(filters.join(' and '))}`);
    const expand = new Set(query.expand ?? []);
    if (query.fields && query.fields.length > 0) {
      const fields = new Set(query.fields.map((f) => f.replace(/\./g, '/')));
      // The keys and the delta field ride along: lineage and watermarks need them whatever the flow maps.
      for (const f of [...entity.keys, ...(entity.deltaField ? [entity.deltaField] : [])]) fields.add(f);
      // Contract version 4 returns a linked entity's fields only when the entity is expanded too.
      for (const f of fields) if (f.includes('/')) expand.add(f.split('/')[0]!);
      params.push(`$select=${[...fields].map(encodeURIComponent).join(',')}`);
    }
    if (expand.size > 0) params.push(`$expand=${[...expand].map(encodeURIComponent).join(',')}`);
    if (query.custom && query.custom.length > 0)
      params.push(`$custom=${query.custom.map(encodeURIComponent).join(',')}`);
    params.push(`$top=${query.pageSize}`);
    if (skip > 0) params.push(`$skip=${skip}`);
    return `${this.entityUrl(entity.name)}?${params.join('&')}`;
  }

  /** PUT one wrapped record; `expand` names the details to have in the answer (contract version 4). */
  async put(
    entity: string,
    body: RecordData,
    mode: WriteMode,
    signal: AbortSignal,
    expand?: string[],
  ): Promise<PutResult> {
    const headers: Record<string, string> = {};
    if (mode === 'create') headers['if-none-match'] = '*';
    if (mode === 'update') headers['if-match'] = '*';
    const query = expand && expand.length > 0 ? `?$expand=${expand.map(encodeURIComponent).join(',')}` : '';
    let response: JsonResponse;
    try {
      response = await this.send({ method: 'PUT', url: `${this.entityUrl(entity)}${query}`, body, headers, signal });
    } catch (error) {
      if (error instanceof WriteUncertainError) return { kind: 'uncertain', reason: error.message };
      throw error;
    }
    if (response.status === 200 || response.status === 201) {
      const record =
        response.json && typeof response.json === 'object' ? unwrapRecord(response.json as RecordData) : {};
      return { kind: 'ok', record };
    }
    if (response.status === 204) return { kind: 'ok', record: {} };
    if (response.status === 412) return { kind: 'precondition' };
    this.throwIfFatal(response, 'PUT');
    if (response.status === 422) {
      const errors = fieldErrors(response.json);
      return { kind: 'invalid', errors: errors.length > 0 ? errors : [acuErrorText(response)] };
    }
    return { kind: 'error', message: `${acuErrorText(response)} (HTTP ${response.status})` };
  }

  /**
   * Invokes an action on one record (`entity` holds its id or key fields, wrapped) and waits until it finishes:
   * 204 at once, or 202 + Location polled (202 while it runs, 204 when done). Returns the failure, if any.
   */
  async invoke(
    entity: string,
    action: string,
    target: RecordData,
    parameters: RecordData,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<string | undefined> {
    const url = `${this.entityUrl(entity)}/${encodeURIComponent(action)}`;
    let response: JsonResponse;
    try {
      response = await this.send({ method: 'POST', url, body: { entity: target, parameters }, signal });
    } catch (error) {
      if (error instanceof WriteUncertainError) return `${error.message}: it may have run; not repeated`;
      throw error;
    }
    const { clock } = this.transport.init;
    const deadline = clock.now() + timeoutMs;
    // The 202's Location is where the operation's status stays; later 202s need not repeat it.
    const location = response.status === 202 ? response.headers.get('location') : null;
    if (response.status === 202 && !location) return `${action} answered 202 without a Location to follow`;
    const statusUrl = location ? new URL(location, `${this.init.instance}/`).href : '';
    for (let wait = 250; response.status === 202; wait = Math.min(wait * 2, 5000)) {
      if (clock.now() >= deadline) return `${action} was still running after ${Math.round(timeoutMs / 1000)} s`;
      await clock.sleep(wait, signal);
      response = await this.send({ method: 'GET', url: statusUrl, signal });
    }
    if (response.status === 204 || response.status === 200) return undefined;
    this.throwIfFatal(response, 'POST');
    return `${acuErrorText(response)} (HTTP ${response.status})`;
  }

  send(req: AcuRequest): Promise<JsonResponse> {
    return this.transport.request(req);
  }

  /** 401/403 (and the licence's limit met mid-run) condemn the connection: the run stops. */
  throwIfFatal(response: JsonResponse, method: string): void {
    const where = `${method} ${this.init.redact(response.url)}`;
    if (isLoginLimit(response)) {
      throw new ConnectionError(`Acumatica refused the request (${where}): ${acuErrorText(response)}`);
    }
    if (response.status === 401) {
      throw new ConnectionError(
        `Acumatica answered 401 Not signed in (${where}) for ${this.init.principal}, after a fresh sign-in: the ` +
          'user may not use the web services API, or the session was ended on the server',
      );
    }
    if (response.status === 403) {
      throw new ConnectionError(`missing permission (${where}): ${this.init.redact(acuErrorText(response))}`);
    }
  }

  /** GET that must succeed: a failing answer stops the run (a source cannot skip a page). */
  private async get(url: string, signal: AbortSignal, maxAttempts?: number): Promise<JsonResponse> {
    const response = await this.send({ method: 'GET', url, signal, maxAttempts });
    if (response.status >= 200 && response.status < 300) return response;
    this.throwIfFatal(response, 'GET');
    const where = `GET ${this.init.redact(url)}`;
    const detail = this.init.redact(acuErrorText(response));
    if (response.status === 404) {
      const { endpoint, version } = this.catalog;
      throw new ConnectionError(
        `not found (HTTP 404 ${where}): check the instance URL and that the server offers the ${endpoint} endpoint ` +
          `${version} (Test connection lists its endpoints) — ${detail}`,
      );
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      throw new ConfigError(`${where}: ${detail} (HTTP ${response.status})`);
    }
    const tries = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
    throw new ConnectionError(`${where}${tries}: ${detail} (HTTP ${response.status})`);
  }
}

/** The answer of `GET {instance}/entity`: `{version: {acumaticaBuildVersion}, endpoints: [{name, version}]}`. */
export function parseServerInfo(json: unknown): ServerInfo {
  const body = json as { version?: { acumaticaBuildVersion?: unknown }; endpoints?: unknown } | undefined;
  const endpoints = (Array.isArray(body?.endpoints) ? body.endpoints : [])
    .map((e) => e as { name?: unknown; version?: unknown })
    .filter((e) => typeof e.name === 'string' && typeof e.version === 'string')
    .map((e) => ({ name: e.name as string, version: e.version as string }));
  const build = body?.version?.acumaticaBuildVersion;
  return { ...(typeof build === 'string' ? { build } : {}), endpoints };
}

/**
 * The `datetimeoffset'…'` literal of the contract API's `$filter` (MYOB guide "$filter Parameter"). A value with an
 * offset (a watermark read from LastModifiedDateTime) is kept as written; one without is taken as UTC.
 */
export function dateTimeOffsetLiteral(since: string): string {
  const text = since.trim();
  const hasOffset = /T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const time = Date.parse(hasOffset || !text.includes('T') ? text : `${text}Z`);
  if (Number.isNaN(time)) {
    throw new ConfigError(`since "${since}" is not a date-time; Acumatica filters by LastModifiedDateTime`);
  }
  return `datetimeoffset'${hasOffset ? text : new Date(time).toISOString()}'`;
}

/** `$filter` literal of a key value: strings quoted (quotes doubled), numbers bare. */
export function literal(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}
