import type { BcApiVersion } from '../catalog.js';
import type { BcStore } from './store.js';

/** One API call, from HTTP or from inside a $batch. */
export interface ApiRequest {
  method: string;
  version: BcApiVersion;
  /** Absolute URL of the API root (…/api/v2.0), for @odata.context, nextLink and Location. */
  root: string;
  /** The path below the root, without a leading slash. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body?: unknown;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body; `text` instead for $metadata and $count, `bytes` for a media stream (pictureContent). */
  body?: unknown;
  text?: string;
  bytes?: Uint8Array;
}

export interface ApiContext {
  store: BcStore;
  now: () => number;
  /** Server-driven page size (BC online: 20,000; on-premises: ODataServicesMaxPageSize). */
  maxPageSize: number;
  maxBatchOperations: number;
}
