/**
 * The X-Series protocol: API 2.0 lists page by the `version` cursor (docs/pagination: `after` = the last page's
 * `version.max`, `page_size`, until `data` is empty), so a read is ordered by version and resumes after any record;
 * /search finds records by field; writes go where the API has them (catalog.ts: 2.0, 2.1 product updates, 0.9
 * register_sales). Answers wrap records in `{"data": …}`; errors become messages naming Lightspeed's words.
 */
import type { RecordData } from '../../engine/record.js';
import { ConfigError, ConnectionError } from '../errors.js';
import type { JsonResponse } from '../net/json-exchange.js';
import { WriteUncertainError } from '../net/retry.js';
import type { LsCatalog, LsEntity } from './catalog.js';
import type { LsRequest, LsTransport } from './transport.js';

export interface LsClientInit {
  transport: LsTransport;
  catalog: LsCatalog;
  /** The store's origin (`https://{domain_prefix}.retail.lightspeed.app`). */
  origin: string;
  principal: string;
  redact: (text: string) => string;
}

export interface PageQuery {
  /** A version (watermark or --since): only records changed after it. */
  since?: string;
  pageSize: number;
  deleted?: boolean;
  signal: AbortSignal;
}

/** How a write ended: the record as Lightspeed holds it now, a refusal with its words, or an unknown fate. */
export type WriteResult =
  | { kind: 'ok'; record: RecordData }
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'uncertain'; reason: string };

/** Lightspeed's own words of an error answer: `message`, 0.9's `details`, or `error`. */
export function errorText(answer: Pick<JsonResponse, 'json' | 'text' | 'status'>): string {
  const json = answer.json as { error?: unknown; message?: unknown; details?: unknown } | undefined;
  const said = [json?.message, json?.details, json?.error].find((v) => typeof v === 'string' && v !== '');
  if (typeof said === 'string') return said;
  const text = answer.text.trim();
  return text && !text.startsWith('<') ? text.slice(0, 300) : `HTTP ${answer.status}`;
}

export class LsClient {
  constructor(readonly init: LsClientInit) {}

  get transport(): LsTransport {
    return this.init.transport;
  }

  get catalog(): LsCatalog {
    return this.init.catalog;
  }

  /** `{origin}/api/2.0{path}`. */
  api(path: string): string {
    return `${this.init.origin}/api/2.0${path}`;
  }

  entity(name: string): LsEntity {
    const entity = this.init.catalog.entity(name);
    if (!entity) {
      const known = this.init.catalog.entities.map((e) => e.name).join(', ');
      throw new ConnectionError(`Lightspeed has no entity "${name}" (known: ${known})`);
    }
    return entity;
  }

  send(req: LsRequest): Promise<JsonResponse> {
    return this.init.transport.request(req);
  }

  /** The answer's JSON when it succeeded; the store as a whole refusing (401/403, no such store) stops the run. */
  async json(req: LsRequest): Promise<unknown> {
    const answer = await this.send(req);
    if (answer.status >= 200 && answer.status < 300) return answer.json;
    throw this.failure(req, answer);
  }

  private failure(req: Pick<LsRequest, 'method' | 'url'>, answer: JsonResponse): Error {
    const where = `${req.method} ${this.init.redact(req.url)}`;
    const detail = this.init.redact(errorText(answer));
    if (answer.status === 401) {
      return new ConnectionError(`Lightspeed refused ${this.init.principal} (HTTP 401 ${where}): ${detail} — check the token, or authorize the connection again`); // prettier-ignore
    }
    if (answer.status === 403) {
      return new ConnectionError(`Lightspeed does not let ${this.init.principal} do ${where} (HTTP 403): ${detail}`);
    }
    if (answer.status === 429) return new ConnectionError(`Lightspeed's rate limit still refused ${where} after the retries (HTTP 429)`); // prettier-ignore
    return new Error(`Lightspeed answered HTTP ${answer.status} to ${where}: ${detail}`);
  }

  /** Every page of an entity after `since`, in version order. */
  async *pages(entityName: string, query: PageQuery): AsyncGenerator<RecordData[]> {
    const entity = this.entity(entityName);
    let after = query.since === undefined || query.since === '' ? undefined : versionOf(query.since);
    for (;;) {
      const params = new URLSearchParams({ page_size: String(query.pageSize) });
      if (after !== undefined) params.set('after', String(after));
      if (query.deleted && entity.deleted) params.set('deleted', 'true');
      const url = this.api(`${entity.path}?${params.toString()}`);
      const page = (await this.json({ method: 'GET', url, signal: query.signal })) as ListPage | undefined;
      const records = Array.isArray(page?.data) ? page.data : [];
      if (records.length === 0) return;
      const max = typeof page?.version?.max === 'number' ? page.version.max : highestVersion(records);
      if (max === undefined || (after !== undefined && max <= after)) {
        throw new Error(`Lightspeed's ${entity.path} answered a page whose version does not move past ${after ?? 0}: the read stops rather than loop`); // prettier-ignore
      }
      yield records;
      after = max;
    }
  }

  /** GET /search?type=…: the records matching every parameter (a repeated parameter matches any of its values). */
  async search(type: string, params: readonly [string, string][], signal: AbortSignal): Promise<RecordData[]> {
    const query = new URLSearchParams([['type', type], ...params]);
    const answer = (await this.json({ method: 'GET', url: this.api(`/search?${query.toString()}`), signal })) as ListPage; // prettier-ignore
    return Array.isArray(answer?.data) ? answer.data : [];
  }

  async retailer(signal: AbortSignal, maxAttempts?: number): Promise<RecordData> {
    return dataOf(await this.json({ method: 'GET', url: this.api('/retailer'), signal, maxAttempts }));
  }

  /** The user the token acts as (sales need a user; the signed-in one when a record names none). */
  async currentUser(signal: AbortSignal): Promise<RecordData> {
    return dataOf(await this.json({ method: 'GET', url: this.api('/user'), signal }));
  }

  /** Every record of a small entity (outlets, registers) in one list. */
  async all(entityName: string, signal: AbortSignal, maxAttempts?: number): Promise<RecordData[]> {
    const records: RecordData[] = [];
    const entity = this.entity(entityName);
    let after: number | undefined;
    for (;;) {
      const params = new URLSearchParams({ page_size: '1000', ...(after === undefined ? {} : { after: String(after) }) }); // prettier-ignore
      const page = (await this.json({ method: 'GET', url: this.api(`${entity.path}?${params.toString()}`), signal, maxAttempts })) as ListPage; // prettier-ignore
      if (!Array.isArray(page?.data) || page.data.length === 0) return records;
      records.push(...page.data);
      const max = page.version?.max ?? highestVersion(page.data);
      if (max === undefined || (after !== undefined && max <= after)) return records;
      after = max;
    }
  }

  /**
   * A write. 4xx is a refusal of this record (its message names the field); 5xx after the retries, and an unknown
   * fate (timeout or reset after sending), are `uncertain`: the caller checks before sending again.
   */
  async write(method: 'POST' | 'PUT', path: string, body: unknown, signal: AbortSignal): Promise<WriteResult> {
    return this.upload({ method, url: `${this.init.origin}${path}`, body, signal });
  }

  /** A write of a request made by the caller (an image upload's multipart body), answered like `write`. */
  async upload(req: LsRequest): Promise<WriteResult> {
    let answer: JsonResponse;
    try {
      answer = await this.send(req);
    } catch (error) {
      if (error instanceof WriteUncertainError) return { kind: 'uncertain', reason: this.init.redact(error.message) };
      throw error;
    }
    if (answer.status >= 200 && answer.status < 300) {
      const json = answer.json as Record<string, unknown> | undefined;
      const record = (json?.data ?? json?.register_sale ?? {}) as RecordData;
      return { kind: 'ok', record };
    }
    if (answer.status === 401 || answer.status === 403 || answer.status === 429) throw this.failure(req, answer);
    if (answer.status >= 500) return { kind: 'uncertain', reason: `HTTP ${answer.status}: ${this.init.redact(errorText(answer))}` }; // prettier-ignore
    return { kind: 'refused', status: answer.status, message: this.init.redact(errorText(answer)) };
  }
}

interface ListPage {
  data?: RecordData[];
  version?: { min?: number; max?: number };
}

function dataOf(json: unknown): RecordData {
  const data = (json as { data?: unknown } | undefined)?.data;
  return data && typeof data === 'object' ? (data as RecordData) : {};
}

function highestVersion(records: readonly RecordData[]): number | undefined {
  const versions = records.map((r) => r.version).filter((v): v is number => typeof v === 'number');
  return versions.length > 0 ? Math.max(...versions) : undefined;
}

/** A watermark or --since as a version: Lightspeed's delta is the version number, never a date. */
export function versionOf(since: string): number {
  const text = since.trim();
  if (!/^\d+$/.test(text)) {
    throw new ConfigError(`--since / watermark "${since}": Lightspeed reads changes by version (a whole number), not by date`); // prettier-ignore
  }
  return Number(text);
}
