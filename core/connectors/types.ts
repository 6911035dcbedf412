import type { z } from 'zod';
import type { ConnectionFile } from '../model/connection.js';
import type { ConnectorDescriptor, EntityDescriptor } from '../model/descriptor.js';
import type { FlowRecord, Outcome, RecordData } from '../engine/record.js';
import type { NetworkScope } from './net/http-factory.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export interface ConnectorContext {
  /** Absolute path of the workspace folder; relative file paths in configs resolve against it. */
  workspaceDir: string;
  /** The connection the node uses (settings already validated by the connector's connectionSettings). */
  connection?: ConnectionFile;
  /** Reads a secret field of `connection` from the secret store; undefined when not stored. */
  secret(field: string): Promise<string | undefined>;
  /**
   * Stores a new value of a secret field of `connection` (an OAuth refresh token the server rotated). Absent where
   * nothing may be stored, e.g. a host's test of values not saved yet.
   */
  saveSecret?(field: string, value: string): Promise<void>;
  signal: AbortSignal;
  log: Logger;
  /**
   * The connection's concurrency pool (its own, or the one it borrows), shared by every flow running in the
   * process: `limit` requests in flight at most. Connectors hold a slot around each request (`openHttp` does).
   * Absent outside the engine (unit tests, a host's connection test): then nothing limits.
   */
  limit?: number;
  acquire?(signal: AbortSignal): Promise<() => void>;
  /** The run's HTTP dispatchers, closed by the engine when the run ends; absent: `openHttp` makes its own. */
  network?: NetworkScope;
}

/** A record the source could not turn into data (e.g. "price: expected a number"): it ends as `failed`. */
export interface SourceFailure {
  key: string;
  error: string;
}

export interface SourcePage {
  records: RecordData[];
  /**
   * Lineage keys parallel to `records`, for sources whose records have no key field: e.g. `#17` for the 17th data
   * row, the number the source's own messages use. Without them the engine numbers records as it receives them.
   */
  keys?: string[];
  failures?: SourceFailure[];
}

export interface ReadOptions {
  /** Incremental read: only records whose delta field is greater than this (a watermark or `--since`). */
  since?: string;
  pageSize: number;
  signal: AbortSignal;
}

export interface SourceReader {
  /** Field identifying a record in the source, for lineage and logs. */
  keyField?: string;
  /** The delta field and whether pages arrive ordered by it (then the watermark can advance mid-run). */
  delta?: { field: string; ordered: boolean };
  pages(options: ReadOptions): AsyncIterable<SourcePage>;
  close?(): Promise<void>;
}

export interface WriteOptions {
  dryRun: boolean;
  signal: AbortSignal;
}

export interface DestinationWriter {
  batchSize: number;
  /**
   * True when written records only become real at `close({ok:true})` (a file renamed into place). The engine then
   * advances watermarks only after a successful close, and marks the records failed if the output is discarded.
   */
  transactional?: boolean;
  /** One outcome per record, in the batch's order. Throw ConnectionError when the target as a whole is unreachable. */
  write(batch: readonly FlowRecord[], options: WriteOptions): Promise<Outcome[]>;
  /** ok=false when the run failed or was cancelled: discard what can be discarded (a file target keeps its old bytes). */
  close(result: { ok: boolean; dryRun: boolean }): Promise<void>;
}

/**
 * A lookup node's connector side: finds records of an entity by field values (customer by e-mail, item by SKU, order
 * by external document number). The engine caches answers per run and holds the connection's pool slots through
 * `ctx.acquire` like every other request.
 */
export interface LookupRuntime {
  /**
   * One answer per criteria, in order: the first matching record, or undefined when none matches. A criteria maps
   * field names of the entity to the values they must equal. Throw ConnectionError when the system is unreachable.
   */
  find(criteria: readonly Record<string, unknown>[], signal: AbortSignal): Promise<(RecordData | undefined)[]>;
  /**
   * For lookups with `matches: 'all'`: one answer per criteria, in order — every matching record (all pages of
   * them), empty when none matches. A connector that has it says so with its lookup role's `findsAll`, so a flow
   * can be checked before anything is opened.
   */
  findAll?(criteria: readonly Record<string, unknown>[], signal: AbortSignal): Promise<RecordData[][]>;
  close?(): Promise<void>;
}

/** The lookup role; `findsAll`: its runtime implements `findAll` (validation refuses `matches: 'all'` otherwise). */
export type LookupRole = NodeRole<any, LookupRuntime> & { findsAll?: boolean }; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TestResult {
  ok: boolean;
  /** What the test found (company names, API version) or the precise error. */
  message: string;
  details?: string[];
  /** Choices that weaken the connection and must be shown with it, e.g. certificate verification turned off. */
  warnings?: string[];
}

export interface NodeRole<Config, Runtime> {
  configSchema: z.ZodType<Config>;
  open(config: Config, ctx: ConnectorContext): Promise<Runtime>;
}

/**
 * OAuth 2.0 authorization code with PKCE (RFC 7636) for connectors whose users sign in interactively. The host
 * (desktop app, `ferry serve`, `ferry auth`: core/host/oauth-sign-in.ts) makes state and verifier, listens for the
 * redirect on 127.0.0.1 (RFC 8252 §7.3), checks the state, then calls `exchangeCode`. It listens on a port the OS
 * chooses, or on the connection setting `redirectPort` where a provider accepts only a registered redirect URI
 * (`http://127.0.0.1:<redirectPort>/callback`).
 */
export interface OAuthAuthorization {
  /** The page the user's browser opens to sign in and consent. */
  authorizationUrl(settings: unknown, request: { redirectUri: string; state: string; codeChallenge: string }): string;
  /**
   * Exchanges the code for tokens and stores what later runs need (the refresh token) through `ctx.saveSecret`,
   * before returning. The result says who signed in, for the UI.
   */
  exchangeCode(
    ctx: ConnectorContext,
    request: { code: string; redirectUri: string; codeVerifier: string },
  ): Promise<TestResult>;
}

export interface Connector {
  descriptor: ConnectorDescriptor;
  /** Validates a connection file's `settings`; absent when the connector needs no connection. */
  connectionSettings?: z.ZodType;
  /** Whether a node of this connector must name a connection. */
  requiresConnection: boolean;
  source?: NodeRole<any, SourceReader>; // eslint-disable-line @typescript-eslint/no-explicit-any
  destination?: NodeRole<any, DestinationWriter>; // eslint-disable-line @typescript-eslint/no-explicit-any
  lookup?: LookupRole;
  test?(ctx: ConnectorContext): Promise<TestResult>;
  /** Interactive sign-in, where the connection's settings choose the authorization-code grant. */
  oauth?: OAuthAuthorization;
  /** The entity catalog for a connection's settings, where they choose it (an endpoint and version). */
  entities?(settings: unknown): EntityDescriptor[];
}
