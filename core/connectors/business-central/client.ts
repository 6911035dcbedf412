/**
 * The Business Central API as the connector uses it: URLs (online `…/v2.0/{tenant}/{environment}/api/v2.0/`, on
 * premises `{baseUrl}/api/{v1.0|v2.0}/`, company-scoped sets under `companies({id})/`), reads that follow
 * `@odata.nextLink` with `Prefer: odata.maxpagesize`, delta by `lastModifiedDateTime gt <ts>` (an unquoted
 * DateTimeOffset literal, as BC wants it), `$select` and `$expand`, and look-ups by id or by a field. Records leave
 * this class in the v2.0 shape whatever the API version (shape.ts). Writes are in batch.ts.
 */
import type { RecordData } from '../../engine/record.js';
import { ConfigError, ConnectionError } from '../errors.js';
import { type BcError, connectionProblem, formatBcError, notFoundProblem, parseBcError } from './bc-error.js';
import type { BcAuthKind } from './bc-error.js';
import { type BcApiVersion, type BcCatalog, type BcEntitySet, bcCatalog } from './catalog.js';
import { fromV1, selectV1 } from './shape.js';
import type { BcRequest, BcResponse, BcTransport } from './transport.js';

export interface BcClientInit {
  transport: BcTransport;
  /** The API root, ending in "/": `https://…/api/v2.0/`. */
  apiRoot: string;
  version: BcApiVersion;
  online: boolean;
  auth: BcAuthKind;
  principal: string;
  redact: (text: string) => string;
}

export interface ReadQuery {
  fields?: readonly string[];
  expand?: readonly string[];
  filter?: string;
  /** Only records whose delta field is greater than this instant. */
  since?: string;
  maxPageSize: number;
  signal: AbortSignal;
}

export interface Company {
  id: string;
  name: string;
  displayName?: string;
  systemVersion?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class BcClient {
  readonly catalog: BcCatalog;
  private companyId: string | undefined;

  constructor(readonly init: BcClientInit) {
    this.catalog = bcCatalog(init.version);
  }

  get transport(): BcTransport {
    return this.init.transport;
  }

  /** The entity set of this API version, or a ConfigError naming the ones it has. */
  entitySet(name: string): BcEntitySet {
    const set = this.catalog.entitySet(name);
    if (!set) throw new ConfigError(`Business Central API ${this.init.version} has no entity set "${name}"`);
    return set;
  }

  /** Path of a set relative to the API root: `companies(<id>)/customers`, or `companies` itself. */
  setPath(set: BcEntitySet): string {
    if (set.scope === 'root') return set.name;
    if (!this.companyId) throw new Error('company not resolved: call useCompany() first');
    return `companies(${this.companyId})/${set.name}`;
  }

  /** `customers(<guid>)`, `salesOrderLines('<doc>-10000')`: the key's EDM type decides the quoting. */
  entityPath(set: BcEntitySet, id: string): string {
    return `${this.setPath(set)}(${keyLiteral(set, id)})`;
  }

  url(path: string): string {
    return this.init.apiRoot + path;
  }

  async companies(signal: AbortSignal, maxAttempts?: number): Promise<Company[]> {
    const response = await this.get(this.url('companies'), signal, maxAttempts);
    return values(response).map((c) => c as unknown as Company);
  }

  /** Picks the company by id (a GUID, used as is) or by exact name / display name (one look-up). */
  async useCompany(company: string, signal: AbortSignal): Promise<string> {
    if (GUID.test(company)) {
      this.companyId = company;
      return company;
    }
    const all = await this.companies(signal);
    const found = all.find((c) => c.name === company || c.displayName === company);
    if (!found) {
      throw new ConfigError(
        `company "${company}" not found; the companies are: ${all.map((c) => `${c.name} (${c.id})`).join(', ')}`,
      );
    }
    this.companyId = found.id;
    return found.id;
  }

  /** The pages of a read, each already in the v2.0 shape; the next page is fetched only when the caller pulls. */
  async *pages(entitySetName: string, query: ReadQuery): AsyncGenerator<RecordData[]> {
    const set = this.entitySet(entitySetName);
    let url: string | undefined = this.readUrl(set, query);
    const seen = new Set<string>();
    while (url !== undefined) {
      query.signal.throwIfAborted();
      seen.add(url);
      const response = await this.get(url, query.signal, undefined, {
        prefer: `odata.maxpagesize=${query.maxPageSize}`,
      });
      yield values(response).map((record) => this.fromWire(set.name, record));
      const next = (response.json as Record<string, unknown>)['@odata.nextLink'];
      url = typeof next === 'string' && next !== '' ? new URL(next, url).href : undefined;
      if (url !== undefined && new URL(url).origin !== new URL(this.init.apiRoot).origin) {
        // Credentials go to the API's own server only: a link elsewhere is a misconfigured proxy or worse.
        throw new ConnectionError(`the next page link points to another server (${new URL(url).origin}): not followed`);
      }
      if (url !== undefined && seen.has(url)) {
        throw new ConnectionError(`paging loop: the next link points back to ${this.init.redact(url)}`);
      }
    }
  }

  /** The URL of the first page: `$filter` (delta and extra), `$select`, `$expand`, `$orderby` the delta field. */
  readUrl(set: BcEntitySet, query: Omit<ReadQuery, 'signal' | 'maxPageSize'>): string {
    const params: string[] = [];
    const filters: string[] = [];
    if (query.filter) filters.push(`(${query.filter})`);
    if (query.since !== undefined) {
      if (!set.deltaField) throw new ConfigError(`${set.name} has no delta field: it cannot be read incrementally`);
      filters.push(`${set.deltaField} gt ${dateTimeLiteral(query.since)}`);
    }
    if (filters.length > 0) params.push(`$filter=${encodeURIComponent(filters.join(' and '))}`);
    if (query.fields && query.fields.length > 0) {
      const fields = new Set(query.fields);
      // The key and the delta field ride along: lineage and watermarks need them whatever the flow maps.
      for (const f of [...set.key, ...(set.deltaField ? [set.deltaField] : [])]) fields.add(f);
      const wire = this.init.version === 'v1.0' ? selectV1(set.name, [...fields]) : [...fields];
      params.push(`$select=${wire.map(encodeURIComponent).join(',')}`);
    }
    if (query.expand && query.expand.length > 0)
      params.push(`$expand=${query.expand.map(encodeURIComponent).join(',')}`);
    if (set.deltaField) params.push(`$orderby=${set.deltaField}`);
    const base = this.url(this.setPath(set));
    return params.length > 0 ? `${base}?${params.join('&')}` : base;
  }

  /** One entity by id, or undefined when BC says it does not exist. */
  async getById(set: BcEntitySet, id: string, signal: AbortSignal): Promise<RecordData | undefined> {
    const response = await this.send({ method: 'GET', url: this.url(this.entityPath(set, id)), signal });
    if (response.status === 404) return undefined;
    const error = this.failure(response, 'GET');
    if (error) throw error;
    return this.fromWire(set.name, response.json as RecordData);
  }

  /** Records whose `field` equals `value` (a string or number literal), at most `top`. */
  async findBy(set: BcEntitySet, field: string, value: unknown, signal: AbortSignal, top = 2): Promise<RecordData[]> {
    return this.findWhere(set, `${field} eq ${literal(value)}`, signal, { top });
  }

  /** Records matching an OData `$filter`, at most `top`, with `$select` of `fields` (plus the key) when given. */
  async findWhere(
    set: BcEntitySet,
    filter: string,
    signal: AbortSignal,
    options: { top: number; fields?: readonly string[] },
  ): Promise<RecordData[]> {
    const params = [`$filter=${encodeURIComponent(filter)}`, `$top=${options.top}`];
    if (options.fields && options.fields.length > 0) {
      const fields = [...new Set([...set.key, ...options.fields])];
      const wire = this.init.version === 'v1.0' ? selectV1(set.name, fields) : fields;
      params.push(`$select=${wire.map(encodeURIComponent).join(',')}`);
    }
    const response = await this.get(`${this.url(this.setPath(set))}?${params.join('&')}`, signal);
    return values(response).map((record) => this.fromWire(set.name, record));
  }

  fromWire(entitySet: string, record: RecordData): RecordData {
    return this.init.version === 'v1.0' ? fromV1(entitySet, record) : record;
  }

  async send(req: BcRequest): Promise<BcResponse> {
    return this.init.transport.request(req);
  }

  /**
   * The run-stopping error for an answer that condemns the connection (401, 403, unknown company, API not found),
   * else undefined; `what` is the method for the message.
   */
  failure(response: BcResponse, what: string): Error | undefined {
    if (response.status < 400) return undefined;
    const where = `${what} ${this.init.redact(response.url)}`;
    const error = parseBcError(response.status, response.json, response.text);
    const problem = connectionProblem(error, where, this.init.auth, this.init.principal);
    if (problem) return new ConnectionError(this.init.redact(problem));
    if (response.status === 404 && /BadRequest_NotFound|^HTTP 404$/.test(error.code) && !response.json) {
      return new ConnectionError(notFoundProblem(where, this.init.online));
    }
    return undefined;
  }

  /** GET that must succeed: a failing answer stops the run (a source cannot skip a page). */
  private async get(url: string, signal: AbortSignal, maxAttempts?: number, extra?: { prefer?: string }) {
    const headers: Record<string, string> = {};
    if (extra?.prefer) headers.prefer = extra.prefer;
    const response = await this.send({ method: 'GET', url, signal, headers, maxAttempts });
    if (response.status >= 200 && response.status < 300 && response.json !== undefined) return response;
    const fatal = this.failure(response, 'GET');
    if (fatal) throw fatal;
    const error: BcError = parseBcError(response.status, response.json, response.text);
    const where = `GET ${this.init.redact(url)}`;
    if (response.status === 404) {
      // A collection that is not there: the URL is wrong (instance, environment, API disabled), not the record.
      const detail = this.init.redact(formatBcError(error));
      throw new ConnectionError(`${notFoundProblem(where, this.init.online)} — ${detail}`);
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      throw new ConfigError(`${where}: ${this.init.redact(formatBcError(error))}`);
    }
    const tries = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
    throw new ConnectionError(`${where}${tries}: ${this.init.redact(formatBcError(error))}`);
  }
}

/** The `value` array of a collection answer. */
export function values(response: Pick<BcResponse, 'json'>): RecordData[] {
  const value = (response.json as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(value))
    throw new ConnectionError('expected an OData collection ({"value": [...]}) from Business Central');
  return value as RecordData[];
}

/** An OData key literal for a set's single key. */
export function keyLiteral(set: BcEntitySet, id: string): string {
  const keyName = set.key[0] ?? 'id';
  const type = set.properties.find((p) => p.name === keyName)?.edmType ?? 'Edm.Guid';
  if (type === 'Edm.String') return `'${id.replace(/'/g, "''")}'`;
  return id;
}

/** A `$filter` literal: strings quoted (quotes doubled), numbers and booleans bare. */
export function literal(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** BC's DateTimeOffset literal: unquoted ISO 8601 in UTC (`2019-08-18T20:05:51.603Z`). */
export function dateTimeLiteral(since: string): string {
  const time = Date.parse(since);
  if (Number.isNaN(time)) {
    throw new ConfigError(`since "${since}" is not a date-time; Business Central filters by lastModifiedDateTime`);
  }
  return new Date(time).toISOString();
}
