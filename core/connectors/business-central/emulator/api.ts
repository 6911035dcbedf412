// The OData endpoint below one API root (…/api/v2.0 or …/api/v1.0): routes a request to read, write, action,
// $metadata, the service document or $batch, and turns BcErrors into BC's error responses.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bcCatalog } from '../catalog.js';
import { runAction } from './actions.js';
import { runBatch } from './batch.js';
import type { ApiContext, ApiRequest, ApiResponse } from './context.js';
import { BcError, errorBody, methodNotAllowed, notFoundSegment } from './errors.js';
import { v1Metadata } from './metadata-v1.js';
import { splitPath } from './path.js';
import { parseQuery } from './query.js';
import { pictureContent } from './pictures.js';
import { queryParams, readCollection, readCount, readEntity } from './read.js';
import { JSON_CONTENT_TYPE, contextUrl } from './representation.js';
import { resolveScope, resolveTarget } from './resolve.js';
import { createEntity, deleteEntity, updateEntity } from './write.js';

const ODATA = { 'Content-Type': JSON_CONTENT_TYPE, 'OData-Version': '4.0' };

export function errorResponse(error: BcError): ApiResponse {
  return {
    status: error.status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...error.headers },
    body: errorBody(error.code, error.message),
  };
}

let metadataText: string | undefined;

/** The v2.0 $metadata is the captured spec itself (resources/specs, next to the bundle or the sources). */
function v2Metadata(): string {
  if (metadataText === undefined) {
    const candidates = ['../resources', '../../resources', '../../../../resources'].map((base) =>
      fileURLToPath(new URL(`${base}/specs/business-central/bc-v2.0/metadata.xml`, import.meta.url)),
    );
    const found = candidates.find((file) => existsSync(file));
    if (!found) throw new Error(`metadata.xml is missing (looked in ${candidates.join(', ')})`);
    metadataText = readFileSync(found, 'utf8');
  }
  return metadataText;
}

function companies(ctx: ApiContext, req: ApiRequest, key: string | undefined): ApiResponse {
  if (req.method !== 'GET') throw methodNotAllowed(req.method, 'companies');
  const set = bcCatalog(req.version).entitySet('companies')!;
  const query = parseQuery(queryParams(req.query), set, req.version);
  const shape = (row: Record<string, unknown>) =>
    Object.fromEntries(set.properties.filter((p) => !query.select || query.select.includes(p.name)).map((p) => [p.name, row[p.name]])); // prettier-ignore
  if (key !== undefined) {
    const company = ctx.store.company(key.replace(/^'|'$/g, ''));
    if (!company) throw new BcError(404, 'BadRequest_NotFound', `The company '${key}' does not exist.`);
    return { status: 200, headers: ODATA, body: { '@odata.context': contextUrl(req.root, 'companies', query.select, true), ...shape(company) } }; // prettier-ignore
  }
  let rows = ctx.store.companies();
  if (query.filter) rows = rows.filter(query.filter);
  if (query.skip) rows = rows.slice(query.skip);
  if (query.top !== undefined) rows = rows.slice(0, query.top);
  // BC serves companies without @odata.etag (samples/companies.json).
  return { status: 200, headers: ODATA, body: { '@odata.context': contextUrl(req.root, 'companies', query.select), value: rows.map(shape) } }; // prettier-ignore
}

function serviceDocument(req: ApiRequest): ApiResponse {
  const value = bcCatalog(req.version).entitySets.map((set) => ({ name: set.name, kind: 'EntitySet', url: set.name }));
  return { status: 200, headers: ODATA, body: { '@odata.context': `${req.root}/$metadata`, value } };
}

function route(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const segments = splitPath(req.path);
  const [first] = segments;
  if (!first) return serviceDocument(req);
  if (first.name === '$metadata' && segments.length === 1) {
    const text = req.version === 'v2.0' ? v2Metadata() : v1Metadata();
    return { status: 200, headers: { 'Content-Type': 'application/xml', 'OData-Version': '4.0' }, text };
  }
  if (first.name === '$batch' && segments.length === 1) {
    if (req.method !== 'POST') throw methodNotAllowed(req.method, '$batch');
    return runBatch(ctx, req, handleApi);
  }
  if (first.name === 'companies' && segments.length === 1) return companies(ctx, req, first.key);
  if (first.name === 'companies' && first.key === undefined) throw notFoundSegment(segments[1]?.name ?? '');
  const { scope, rest } = resolveScope(ctx.store, segments, req.query.get('company'));
  const target = resolveTarget(ctx.store, req.version, scope, rest);
  switch (target.kind) {
    case 'count':
      if (req.method !== 'GET') throw methodNotAllowed(req.method, '$count');
      return readCount(ctx, req, target.collection);
    case 'stream':
      // Reading the media stream is what the API offers here; uploads (PATCH with bytes) are not emulated.
      if (req.method !== 'GET') throw methodNotAllowed(req.method, target.property);
      return pictureContent(target.stored);
    case 'action':
      if (req.method !== 'POST') throw methodNotAllowed(req.method, target.action);
      runAction(ctx, scope.companyId, target.collection.view.storeSet, target.stored, target.action);
      return { status: 204, headers: { 'OData-Version': '4.0' } };
    case 'collection':
      if (req.method === 'GET') return readCollection(ctx, req, target);
      if (req.method === 'POST') return createEntity(ctx, req, target);
      throw methodNotAllowed(req.method, target.view.set.name);
    case 'entity':
      if (req.method === 'GET') return readEntity(ctx, req, target.collection, target.stored);
      if (req.method === 'PATCH') return updateEntity(ctx, req, target.collection, target.stored);
      if (req.method === 'DELETE') return deleteEntity(ctx, req, target.collection, target.stored);
      throw methodNotAllowed(req.method, target.collection.view.set.name);
  }
}

/** Answers one API request; BC-shaped errors, never a throw for a client mistake. */
export function handleApi(ctx: ApiContext, req: ApiRequest): ApiResponse {
  try {
    return route(ctx, req);
  } catch (error) {
    if (error instanceof BcError) return errorResponse(error);
    throw error;
  }
}
