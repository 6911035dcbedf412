import type { RecordData } from '../../engine/record.js';
import { ConfigError, ConnectionError } from '../errors.js';
import type { ConnectorContext, ReadOptions, SourceFailure, SourcePage, SourceReader } from '../types.js';
import { HttpRequestError, isSuccess, remoteErrorText, type HttpClient, type HttpResponse } from './client.js';
import type { HttpSourceConfig } from './descriptor.js';
import { expandTemplate, getPath, placeholderNames } from './template.js';

/** Values of the source placeholders for one request. */
interface PageVars {
  since: string | undefined;
  /** The page number: paging.start-based for page paging, else 1-based. */
  page: number;
  /** Records read before this request. */
  offset: number;
  pageSize: number;
}

export function createSourceReader(client: HttpClient, config: HttpSourceConfig, ctx: ConnectorContext): SourceReader {
  return {
    keyField: config.key,
    delta: config.deltaField ? { field: config.deltaField, ordered: config.deltaOrdered } : undefined,
    pages: (options) => readPages(client, config, options, ctx),
    close: () => client.close(),
  };
}

/**
 * Turns fetched pages into SourcePages of at most `options.pageSize` entries. An async generator, so the next HTTP
 * page is fetched only when the engine pulls for it (back-pressure, and a cancelled run stops fetching).
 */
async function* readPages(
  client: HttpClient,
  config: HttpSourceConfig,
  options: ReadOptions,
  ctx: ConnectorContext,
): AsyncGenerator<SourcePage> {
  const signal = AbortSignal.any([options.signal, ctx.signal]);
  const size = Math.max(1, options.pageSize);
  if (options.since !== undefined && !usesSince(config)) {
    ctx.log.info(`since ${options.since} is not used: the path and query have no {{since}} placeholder, reading all`);
  }
  let position = 0;
  for await (const items of fetchRecordPages(client, config, options.since, signal)) {
    for (let start = 0; start < items.length; start += size) {
      const page: SourcePage = { records: [] };
      const failures: SourceFailure[] = [];
      for (const item of items.slice(start, start + size)) {
        position++;
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) page.records.push(item as RecordData);
        else failures.push({ key: String(position), error: `expected a JSON object, got ${jsonType(item)}` });
      }
      if (failures.length > 0) page.failures = failures;
      yield page;
    }
  }
}

/** The raw entries of each HTTP page, following the configured paging until it says there is no more. */
export async function* fetchRecordPages(
  client: HttpClient,
  config: HttpSourceConfig,
  since: string | undefined,
  signal: AbortSignal,
): AsyncGenerator<unknown[]> {
  const paging = config.paging;
  const vars: PageVars = {
    since,
    page: paging.kind === 'page' ? paging.start : 1,
    offset: 0,
    pageSize: config.pageSize,
  };
  // Link-following APIs sometimes repeat a link; without this a run would read the same page forever.
  const seen = new Set<string>();
  let largestPage = 0;
  let url: string | undefined = buildPageUrl(client, config, vars);
  while (url !== undefined) {
    signal.throwIfAborted();
    const response = await getPage(client, url, signal);
    const items = extractRecords(response.json, config.recordsPath, client.safeUrl(url));
    yield items;
    seen.add(url);
    let next: string | undefined;
    switch (paging.kind) {
      case 'none':
        break;
      case 'nextLink':
        next = resolveLink(getPath(response.json, paging.path), response.url || url);
        break;
      case 'linkHeader':
        next = resolveLink(nextFromLinkHeader(response.headers.get('link')), response.url || url);
        break;
      case 'page':
      case 'offset': {
        // Without a size parameter the server picks the page size; the largest page seen stands in for it.
        largestPage = Math.max(largestPage, items.length);
        const expected = paging.kind === 'page' && !paging.sizeParam ? largestPage : config.pageSize;
        if (items.length > 0 && items.length >= expected) {
          vars.page++;
          vars.offset += items.length;
          next = buildPageUrl(client, config, vars);
        }
        break;
      }
    }
    if (next !== undefined && seen.has(next)) {
      throw new ConnectionError(`paging loop: the next page link points back to ${client.safeUrl(next)}, already read`);
    }
    url = next;
  }
}

function usesSince(config: HttpSourceConfig): boolean {
  const texts = [config.path, ...Object.values(config.query ?? {})];
  return texts.some((t) => placeholderNames(t).includes('since'));
}

/** baseUrl + path + query + paging parameters for one request. */
export function buildPageUrl(client: HttpClient, config: HttpSourceConfig, vars: PageVars): string {
  const lookup = (name: string): unknown => vars[name as keyof PageVars];
  const path = expandTemplate(config.path, lookup, true);
  if (!path.ok) {
    throw new ConfigError(
      `path uses {{${path.missing}}}, which ${path.reason} in this read` +
        (path.missing === 'since' ? ' (a full read); put it in a query value instead, which is left out then' : ''),
    );
  }
  const paging = config.paging;
  const pagingParams: [string, string][] = [];
  if (paging.kind === 'page') {
    pagingParams.push([paging.param, String(vars.page)]);
    if (paging.sizeParam) pagingParams.push([paging.sizeParam, String(vars.pageSize)]);
  } else if (paging.kind === 'offset') {
    pagingParams.push([paging.param, String(vars.offset)], [paging.limitParam, String(vars.pageSize)]);
  }
  const pairs: string[] = [];
  for (const [name, template] of Object.entries(config.query ?? {})) {
    if (pagingParams.some(([p]) => p === name)) continue; // the paging owns this parameter
    const value = expandTemplate(template, lookup, false);
    // "modifiedSince={{since}}" on a full read: leave the parameter out rather than send an empty filter.
    if (!value.ok) continue;
    pairs.push(`${encodeQueryKey(name)}=${encodeURIComponent(value.value)}`);
  }
  for (const [name, value] of pagingParams) pairs.push(`${encodeQueryKey(name)}=${encodeURIComponent(value)}`);
  const base = client.resolve(path.value).replace(/#.*$/, '');
  if (pairs.length === 0) return base;
  return `${base}${base.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

/** OData-style "$filter" keys stay readable; "$" needs no escaping in a query. */
function encodeQueryKey(name: string): string {
  return encodeURIComponent(name).replace(/%24/g, '$');
}

async function getPage(client: HttpClient, url: string, signal: AbortSignal): Promise<HttpResponse> {
  let response: HttpResponse;
  try {
    response = await client.request({ method: 'GET', url, signal });
  } catch (error) {
    // A source cannot skip a page it failed to read: the run stops either way.
    if (error instanceof HttpRequestError) throw new ConnectionError(error.message, error);
    throw error;
  }
  const where = `GET ${client.safeUrl(url)}`;
  if (isSuccess(response.status)) {
    if (response.json === undefined) {
      const type = response.headers.get('content-type') ?? 'no content type';
      const start = client.redact(response.text.replace(/\s+/g, ' ').trim().slice(0, 100));
      throw new ConfigError(`${where}: expected a JSON body, got ${type}${start ? `: ${start}` : ' (empty)'}`);
    }
    return response;
  }
  const auth = client.authFailure(response, where);
  if (auth) throw auth;
  const text = client.redact(remoteErrorText(response));
  if (response.status === 404) throw new ConfigError(`HTTP 404 ${where}: wrong URL or path${text ? ` (${text})` : ''}`);
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
    throw new ConfigError(`HTTP ${response.status} ${where}: ${text || 'request rejected'}`);
  }
  const tries = response.attempts > 1 ? ` (after ${response.attempts} attempts)` : '';
  throw new ConnectionError(`HTTP ${response.status} ${where}${tries}${text ? `: ${text}` : ''}`);
}

/** The page's records: the body itself, or the array at `recordsPath`. */
export function extractRecords(body: unknown, recordsPath: string | undefined, where: string): unknown[] {
  if (recordsPath === undefined) {
    if (Array.isArray(body)) return body;
    const arrays = arrayKeys(body);
    throw new ConfigError(
      `the response from ${where} is ${jsonType(body)}, not a list of records: set recordsPath` +
        (arrays.length > 0 ? ` (lists in it: ${arrays.join(', ')})` : ''),
    );
  }
  const found = getPath(body, recordsPath);
  if (Array.isArray(found)) return found;
  if (found === null) return [];
  if (found === undefined) {
    const keys = body && typeof body === 'object' ? Object.keys(body).slice(0, 20) : [];
    throw new ConfigError(
      `recordsPath "${recordsPath}" is not in the response from ${where}` +
        (keys.length > 0 ? ` (top-level keys: ${keys.join(', ')})` : ''),
    );
  }
  throw new ConfigError(`recordsPath "${recordsPath}" in the response from ${where} is ${jsonType(found)}, not a list`);
}

function arrayKeys(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body)
    .filter(([, v]) => Array.isArray(v))
    .map(([k]) => k);
}

function resolveLink(link: unknown, current: string): string | undefined {
  if (typeof link !== 'string' || link.trim() === '') return undefined;
  try {
    return new URL(link.trim(), current).href;
  } catch {
    throw new ConnectionError(`the next page link "${link}" from ${current} is not a URL`);
  }
}

/** RFC 8288: `<https://…?page=2>; rel="next", <…>; rel="last"`; rel may list several types. */
export function nextFromLinkHeader(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const params = match[2]!.split(';').slice(1);
    for (const param of params) {
      const [name, ...rest] = param.split('=');
      if (name?.trim().toLowerCase() !== 'rel') continue;
      const rels = rest.join('=').trim().replace(/^"|"$/g, '').toLowerCase().split(/\s+/);
      if (rels.includes('next')) return match[1];
    }
  }
  return undefined;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
