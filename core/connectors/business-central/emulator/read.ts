// GET of collections, entities and $count, with server-driven paging (Server-Driven-Paging-in-OData-Web-Services.md):
// at most maxPageSize rows a page, less when the client sends `Prefer: odata.maxpagesize=N` (answered with
// Preference-Applied), and `@odata.nextLink` carrying a skiptoken that points after the last row served.
import type { ApiContext, ApiRequest, ApiResponse } from './context.js';
import { afterSkipToken, defaultOrder, encodeSkipToken, parseQuery } from './query.js';
import { JSON_CONTENT_TYPE, contextUrl, entityJson, queryRows } from './representation.js';
import { type CollectionTarget, collectionRows } from './resolve.js';
import type { StoredRow } from './store.js';

export function queryParams(query: URLSearchParams): Map<string, string> {
  return new Map([...query.entries()].filter(([name]) => name.startsWith('$')));
}

function preferredPageSize(prefer: string | undefined): number | undefined {
  const match = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer ?? '');
  return match ? Number(match[1]) : undefined;
}

export function readCollection(ctx: ApiContext, req: ApiRequest, target: CollectionTarget): ApiResponse {
  const { view, scope } = target;
  const query = parseQuery(queryParams(req.query), view.set, req.version);
  const order = query.orderBy.length ? query.orderBy : defaultOrder(view.set);
  let rows = queryRows(view, collectionRows(ctx.store, target), query);
  const total = rows.length;
  let served = 0;
  if (query.skipToken !== undefined) {
    ({ rows, served } = afterSkipToken(rows, order, query.skipToken));
  } else if (query.skip) {
    rows = rows.slice(query.skip);
  }
  const remaining = query.top === undefined ? rows.length : Math.max(0, query.top - served);
  const preferred = preferredPageSize(req.headers.prefer);
  const pageSize = Math.min(preferred ?? ctx.maxPageSize, ctx.maxPageSize);
  const page = rows.slice(0, Math.min(remaining, pageSize));
  const headers: Record<string, string> = { 'Content-Type': JSON_CONTENT_TYPE, 'OData-Version': '4.0' };
  if (preferred !== undefined) headers['Preference-Applied'] = `odata.maxpagesize=${pageSize}`;

  const body: Record<string, unknown> = { '@odata.context': contextUrl(req.root, target.contextPath, query.select) };
  if (query.count) body['@odata.count'] = total;
  body.value = page.map((item) =>
    entityJson(ctx.store, req.version, scope.companyId, view, item.stored, query, item.row),
  );
  const more = page.length < Math.min(remaining, rows.length);
  if (more && page.length > 0) {
    const next = new URLSearchParams(req.query);
    next.delete('$skip');
    next.set('$skiptoken', encodeSkipToken(page[page.length - 1]!, order, served + page.length));
    body['@odata.nextLink'] = `${req.root}/${req.path}?${next.toString().replace(/\+/g, '%20')}`;
  }
  return { status: 200, headers, body };
}

export function readEntity(
  ctx: ApiContext,
  req: ApiRequest,
  target: CollectionTarget,
  stored: StoredRow,
  status = 200,
): ApiResponse {
  const query = parseQuery(queryParams(req.query), target.view.set, req.version);
  const body = {
    '@odata.context': contextUrl(req.root, target.contextPath, query.select, true),
    ...entityJson(ctx.store, req.version, target.scope.companyId, target.view, stored, query),
  };
  return { status, headers: { 'Content-Type': JSON_CONTENT_TYPE, 'OData-Version': '4.0' }, body };
}

export function readCount(ctx: ApiContext, req: ApiRequest, target: CollectionTarget): ApiResponse {
  const query = parseQuery(queryParams(req.query), target.view.set, req.version);
  const rows = queryRows(target.view, collectionRows(ctx.store, target), query);
  return { status: 200, headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' }, text: String(rows.length) };
}
