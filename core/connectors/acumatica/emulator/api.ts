// The contract-based REST API of one endpoint version: /entity/{Endpoint}/{Version}/… (swagger paths):
//   GET    /{Entity}                      list ($select $filter $expand $custom $top $skip; no next link)
//   GET    /{Entity}/$adHocSchema         the entity's schema with its custom fields
//   GET    /{Entity}/{id} | /{k1}/{k2}…   one record by session id (GUID) or key values in key order
//   PUT    /{Entity}                      create or update (write.ts); inquiries answer their results
//   PATCH  /{Entity}                      update only (as PUT with If-Match: *)
//   DELETE /{Entity}/{id} | /{keys}       204
//   POST   /{Entity}/{Action}             202 + Location; GET there: 202 running, 204 done (actions.ts)
//   PUT    /{Entity}/{keys}/files/{name}, /files/{graph}/{view}/{id}/{name}   attach a file (204 + Location)
//   GET    /files/{fileId}                the file
import { randomUUID } from 'node:crypto';
import type { AcuEntity } from '../catalog.js';
import type { ActionRunner } from './actions.js';
import { AcuError, badRequest, cannotOptimize, noEntity, notFound } from './errors.js';
import { INQUIRIES } from './inquiries.js';
import { bodyPaths, parseQuery, parseShape } from './query.js';
import { renderRecord, renderSchema, screenInfo, type RenderContext } from './render.js';
import { keyFieldsOf } from './store.js';
import type { AcuRecord } from './values.js';
import { bindRecord, upsert } from './write.js';

export interface EndpointContext extends RenderContext {
  actions: ActionRunner;
  now: () => number;
}

export interface ApiRequest {
  method: string;
  /** Decoded path segments below the endpoint version. */
  segments: string[];
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  bytes?: Buffer;
}

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Details whose screen view has a BQL delegate: a list GET that expands them cannot be run as an optimized export
 * and fails (the I320 course's "failed request"); reading one record by its keys works.
 */
const NOT_OPTIMIZABLE: Record<string, Record<string, string>> = {
  Payment: { ApplicationHistory: 'Adjustments_History' },
};

const CUSTOM_FIELDS: Record<string, Array<{ view: string; field: string; type: string }>> = {
  SalesInvoice: [{ view: 'Document', field: 'CuryBalanceWOTotal', type: 'CustomDecimalField' }],
};

const MIME: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', pdf: 'application/pdf', txt: 'text/plain' }; // prettier-ignore

function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { ...JSON_TYPE, ...headers }, body };
}

function parseBody(request: ApiRequest): unknown {
  const text = request.body.toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The request is invalid.', { entity: ['The request body is not valid JSON.'] });
  }
}

function findRecord(ctx: EndpointContext, entity: AcuEntity, segments: string[]): AcuRecord {
  if (segments.length === 1 && GUID.test(segments[0]!)) {
    const record = ctx.store.find(entity.name, segments[0]!);
    if (record) return record;
  }
  const keys = keyFieldsOf(entity.name);
  if (keys.length === 0 || keys.length !== segments.length) throw noEntity();
  const record = ctx.store.findByKeys(entity.name, segments);
  if (!record) throw noEntity();
  return record;
}

function attach(
  ctx: EndpointContext,
  entity: AcuEntity,
  record: AcuRecord,
  filename: string,
  bytes: Buffer,
): ApiResponse {
  const keys = keyFieldsOf(entity.name).map((k) => String(record.fields[k] ?? ''));
  const name = `${screenInfo(entity).title} (${keys.join(' ') || record.id})\\${filename}`;
  const existing = (record.files ?? []).map((id) => ctx.store.file(id)).find((f) => f?.name === name);
  const updated = structuredClone(record);
  const id = existing?.id ?? randomUUID();
  if (existing) existing.contentBase64 = bytes.toString('base64');
  else ctx.store.addFile({ id, name, contentBase64: bytes.toString('base64'), entity: entity.name, recordId: record.id }, updated); // prettier-ignore
  ctx.store.save(entity.name, updated, record);
  return { status: 204, headers: { Location: `${ctx.base}/files/${id}` } };
}

function list(ctx: EndpointContext, entity: AcuEntity, query: URLSearchParams): ApiResponse {
  const q = parseQuery(query, ctx.catalog, entity);
  const delegated = NOT_OPTIMIZABLE[entity.name] ?? {};
  const failing = Object.entries(delegated).filter(([link]) => q.expand.has(link));
  if (failing.length > 0) {
    throw cannotOptimize(
      failing.flatMap(([link, view]) => {
        const fields = [...(q.select ?? [])].filter((p) => p.startsWith(`${link}/`)).map((p) => p.slice(link.length + 1)); // prettier-ignore
        return (fields.length > 0 ? fields : [link]).map((f) => `${link}.${f}: View ${view} has BQL delegate`);
      }),
    );
  }
  let records = ctx.store.records(entity.name);
  if (q.filter) records = records.filter(q.filter);
  records = records.slice(q.skip, q.top === undefined ? undefined : q.skip + q.top);
  return json(
    200,
    records.map((r, i) => renderRecord(ctx, entity, r, q, i + 1)),
  );
}

function put(ctx: EndpointContext, entity: AcuEntity, request: ApiRequest, updateOnly: boolean): ApiResponse {
  const body = parseBody(request);
  const shape = parseShape(request.query, ctx.catalog, entity);
  // A PUT answers the fields it set as well as the $select ones (the I330 course reads them back).
  for (const path of bodyPaths(body)) shape.select?.add(path);
  const inquiry = INQUIRIES[entity.name];
  if (inquiry) {
    const parameters = bindRecord(ctx.catalog, entity, body);
    parameters.links[inquiry.results] = inquiry.run(ctx.store, parameters, ctx.now).map((fields) => ({ id: randomUUID(), fields, links: {} })); // prettier-ignore
    return json(200, renderRecord(ctx, entity, parameters, shape));
  }
  const filter = request.query.get('$filter');
  const filtered = filter ? ctx.store.records(entity.name).filter(parseQuery(new URLSearchParams({ $filter: filter }), ctx.catalog, entity).filter!) : undefined; // prettier-ignore
  const headers = updateOnly ? { ...request.headers, 'if-match': '*' } : request.headers;
  const { record } = upsert({ catalog: ctx.catalog, entity, store: ctx.store, now: ctx.now, body, headers, ...(filtered ? { filtered } : {}) }); // prettier-ignore
  return json(200, renderRecord(ctx, entity, record, shape));
}

/** One request to the endpoint version; API errors are thrown as AcuError. */
export function handleEntityApi(ctx: EndpointContext, request: ApiRequest): ApiResponse {
  const { method, segments } = request;
  const [head, ...rest] = segments;
  const unknown = () => notFound(`${ctx.base}/${segments.join('/')}`);
  if (head === 'files') {
    if (method === 'GET' && rest.length === 1) {
      const file = ctx.store.file(rest[0]!);
      if (!file) throw noEntity();
      const extension = file.name.slice(file.name.lastIndexOf('.') + 1).toLowerCase();
      return { status: 200, headers: { 'Content-Type': MIME[extension] ?? 'application/octet-stream' }, bytes: Buffer.from(file.contentBase64, 'base64') }; // prettier-ignore
    }
    if (method === 'PUT' && rest.length >= 3) {
      const id = rest[rest.length - 2]!;
      const owner = ctx.store.ownerOf(id);
      const entity = owner ? ctx.catalog.entity(owner) : undefined;
      const record = owner ? ctx.store.find(owner, id) : undefined;
      if (!entity || !record) throw noEntity();
      return attach(ctx, entity, record, rest[rest.length - 1]!, request.body);
    }
    throw unknown();
  }
  const entity = head === undefined ? undefined : ctx.catalog.entity(head);
  if (!entity?.topLevel) throw unknown();

  if (method === 'GET' && rest.length === 0) return list(ctx, entity, request.query);
  if (method === 'GET' && rest.length === 1 && rest[0] === '$adHocSchema') {
    return json(200, renderSchema(ctx.catalog, entity, CUSTOM_FIELDS[entity.name] ?? []));
  }
  if (method === 'GET' && rest.length === 3 && rest[1] === 'status' && entity.actions.includes(rest[0]!)) {
    const result = ctx.actions.status(rest[2]!);
    if (!result) throw unknown();
    return result.body ? json(result.status, result.body) : { status: result.status, headers: {} };
  }
  if (method === 'POST' && rest.length === 1) {
    const location = ctx.actions.invoke(entity, rest[0]!, parseBody(request));
    return { status: 202, headers: { Location: `${ctx.base}/${location}` } };
  }
  if (method === 'PUT' && rest.length >= 3 && rest[rest.length - 2] === 'files') {
    const record = findRecord(ctx, entity, rest.slice(0, -2));
    return attach(ctx, entity, record, rest[rest.length - 1]!, request.body);
  }
  if ((method === 'PUT' || method === 'PATCH') && rest.length === 0) return put(ctx, entity, request, method === 'PATCH'); // prettier-ignore
  if (method === 'GET') {
    const record = findRecord(ctx, entity, rest);
    return json(200, renderRecord(ctx, entity, record, parseShape(request.query, ctx.catalog, entity)));
  }
  if (method === 'DELETE' && rest.length > 0) {
    const record = findRecord(ctx, entity, rest);
    ctx.store.remove(entity.name, record.id);
    return { status: 204, headers: {} };
  }
  throw new AcuError(405, { message: `The requested resource does not support http method '${method}'.` });
}
