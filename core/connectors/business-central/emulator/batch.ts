// JSON $batch (use-odata-batch.md; samples/batch.json): `{"requests":[{id, method, url, headers, body}]}` →
// `{"responses":[{id, status, headers, body}]}`. Inner URLs are relative to the API root; each operation succeeds
// or fails on its own (BC without `Isolation: snapshot`); a request whose `dependsOn` failed gets 424.
import type { ApiContext, ApiRequest, ApiResponse } from './context.js';
import { BcError, badRequest, errorBody } from './errors.js';
import { JSON_CONTENT_TYPE } from './representation.js';

interface BatchRequest {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
  dependsOn?: unknown;
}

type Handler = (ctx: ApiContext, req: ApiRequest) => ApiResponse;

function innerPath(root: string, url: string): string {
  if (url.startsWith(root)) return url.slice(root.length).replace(/^\//, '');
  if (/^https?:\/\//.test(url)) {
    const rootPath = new URL(root).pathname;
    const path = new URL(url).pathname + new URL(url).search;
    if (path.startsWith(rootPath)) return path.slice(rootPath.length).replace(/^\//, '');
  }
  return url.replace(/^\//, '');
}

function lowerHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

export function runBatch(ctx: ApiContext, req: ApiRequest, handle: Handler): ApiResponse {
  const requests = (req.body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests)) throw badRequest('Invalid Request Body');
  if (requests.length > ctx.maxBatchOperations) {
    throw badRequest(
      `The batch request contains ${requests.length} operations, more than the maximum of ${ctx.maxBatchOperations}.`,
    );
  }
  const failed = new Set<string>();
  const responses = (requests as BatchRequest[]).map((inner, index) => {
    const id = typeof inner.id === 'string' ? inner.id : String(index + 1);
    const dependsOn = Array.isArray(inner.dependsOn) ? inner.dependsOn.map(String) : [];
    let response: ApiResponse;
    if (dependsOn.some((d) => failed.has(d))) {
      const error = new BcError(424, 'BadRequest_FailedDependency', `A request that request ${id} depends on failed.`);
      response = { status: 424, headers: { 'Content-Type': 'application/json' }, body: errorBody(error.code, error.message) }; // prettier-ignore
    } else if (typeof inner.method !== 'string' || typeof inner.url !== 'string') {
      const error = badRequest(`Request ${id} of the batch has no method or url.`);
      response = { status: 400, headers: { 'Content-Type': 'application/json' }, body: errorBody(error.code, error.message) }; // prettier-ignore
    } else {
      const path = innerPath(req.root, inner.url);
      const at = path.indexOf('?');
      const headers = Object.fromEntries(Object.entries(inner.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])); // prettier-ignore
      response = handle(ctx, {
        method: inner.method.toUpperCase(),
        version: req.version,
        root: req.root,
        path: at < 0 ? path : path.slice(0, at),
        query: new URLSearchParams(at < 0 ? '' : path.slice(at + 1)),
        headers,
        body: inner.body,
      });
    }
    if (response.status >= 400) failed.add(id);
    const out: Record<string, unknown> = { id, status: response.status, headers: lowerHeaders(response.headers) };
    if (response.body !== undefined) out.body = response.body;
    else if (response.text !== undefined) out.body = response.text;
    return out;
  });
  return { status: 200, headers: { 'Content-Type': JSON_CONTENT_TYPE, 'OData-Version': '4.0' }, body: { responses } };
}
