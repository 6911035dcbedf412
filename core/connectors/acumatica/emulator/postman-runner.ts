// Runs a Postman collection (v2.1) the way the Postman runner does, small enough for tests: variables ({{name}},
// nested), collection and request auth (basic, oauth2 bearer, noauth), a cookie jar, raw / urlencoded / file bodies,
// and the pre-request and test scripts in a sandbox with the parts of the `pm` API the training collections use
// (pm.test/expect, response, cookies, variables, sendRequest, setNextRequest, require('moment')). Each request's
// test results are collected; a collection "passes" when every request ran and every pm.test passed.
import { runInNewContext } from 'node:vm';
import { chai } from 'vitest';

interface Script {
  listen: 'prerequest' | 'test';
  script: { exec?: string[] };
}
interface Auth {
  type: string;
  basic?: Array<{ key: string; value: string }>;
  oauth2?: Array<{ key: string; value: string }>;
}
interface PostmanRequest {
  method: string;
  header?: Array<{ key: string; value: string; disabled?: boolean }>;
  url: string | { raw: string };
  auth?: Auth;
  body?: { mode: string; raw?: string; urlencoded?: Array<{ key: string; value: string }>; file?: { src: string } };
}
export interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: PostmanRequest;
  event?: Script[];
}
export interface PostmanCollection {
  item: PostmanItem[];
  variable?: Array<{ key: string; value: string }>;
  auth?: Auth;
}

export interface TestResult {
  name: string;
  passed: boolean;
  error?: string;
}
export interface RequestResult {
  name: string;
  status: number;
  tests: TestResult[];
  /** pm.test calls in the request's scripts: each should have reported once. */
  expectedTests: number;
}

export interface RunOptions {
  /** Environment variables: they win over the collection's (BaseURL, credentials of the emulator). */
  environment: Record<string, string>;
  /** Contents for file bodies, by `src`. */
  files?: Record<string, Buffer>;
  /** The clock `moment()` reads. */
  now: () => number;
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 412: 'Precondition Failed', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error' }; // prettier-ignore

interface Reply {
  code: number;
  status: string;
  headers: Headers;
  text: string;
}

function flatten(items: PostmanItem[]): PostmanItem[] {
  return items.flatMap((i) => (i.item ? flatten(i.item) : [i]));
}

export class PostmanRunner {
  private readonly collectionVariables = new Map<string, string>();
  private readonly environment: Map<string, string>;
  private readonly cookies = new Map<string, string>();
  private readonly items: PostmanItem[];
  readonly results: RequestResult[] = [];

  constructor(
    private readonly collection: PostmanCollection,
    private readonly options: RunOptions,
  ) {
    for (const v of collection.variable ?? []) this.collectionVariables.set(v.key, String(v.value));
    this.environment = new Map(Object.entries(options.environment));
    this.items = flatten(collection.item);
  }

  /** The names of all requests, folders flattened, in collection order. */
  get requestNames(): string[] {
    return this.items.map((i) => i.name);
  }

  private variable(name: string): string | undefined {
    return this.environment.get(name) ?? this.collectionVariables.get(name);
  }

  replaceIn(text: string): string {
    let out = text;
    // Values may hold templates themselves (InstanceURL = {{BaseURL}}/MyStoreInstance).
    for (let i = 0; i < 10 && /{{[^{}]+}}/.test(out); i++) {
      out = out.replace(/{{([^{}]+)}}/g, (whole, name: string) => this.variable(name) ?? whole);
    }
    return out;
  }

  private async fetch(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string | Buffer },
  ): Promise<Reply> {
    // prettier-ignore
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(new URL(url), {
      method: init.method,
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...init.headers },
      body: init.body,
      redirect: 'manual',
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      if (/expires=Thu, 01[- ]Jan[- ]1970/i.test(set)) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(at + 1));
    }
    return { code: response.status, status: STATUS_TEXT[response.status] ?? '', headers: response.headers, text: await response.text() }; // prettier-ignore
  }

  private authHeader(request: PostmanRequest): Record<string, string> {
    const auth = request.auth ?? this.collection.auth;
    const value = (list: Array<{ key: string; value: string }> | undefined, key: string) =>
      this.replaceIn(list?.find((e) => e.key === key)?.value ?? '');
    if (auth?.type === 'basic') {
      const pair = `${value(auth.basic, 'username')}:${value(auth.basic, 'password')}`;
      return { Authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
    }
    if (auth?.type === 'oauth2') return { Authorization: `Bearer ${value(auth.oauth2, 'accessToken')}` };
    return {};
  }

  private async send(item: PostmanItem): Promise<Reply> {
    const request = item.request!;
    const url = this.replaceIn(typeof request.url === 'string' ? request.url : request.url.raw);
    const headers: Record<string, string> = { ...this.authHeader(request) };
    for (const h of request.header ?? []) if (!h.disabled) headers[h.key] = this.replaceIn(h.value);
    let body: string | Buffer | undefined;
    if (request.body?.mode === 'raw') body = this.replaceIn(request.body.raw ?? '');
    if (request.body?.mode === 'urlencoded') {
      body = new URLSearchParams(request.body.urlencoded!.map((e): [string, string] => [e.key, this.replaceIn(e.value)])).toString(); // prettier-ignore
    }
    if (request.body?.mode === 'file') body = this.options.files?.[request.body.file!.src] ?? Buffer.alloc(0);
    return this.fetch(url, { method: request.method, headers, ...(body === undefined ? {} : { body }) });
  }

  /** Runs one script; resolves when the requests it sent (and their callbacks) are done. */
  private async script(
    source: string,
    reply: Reply | undefined,
    tests: TestResult[],
    next: { name?: string | null },
  ): Promise<void> {
    const pending: Array<Promise<void>> = [];
    const expose = (r: Reply) => ({
      code: r.code,
      status: r.status,
      text: () => r.text,
      json: () => JSON.parse(r.text) as unknown,
      headers: { get: (name: string) => r.headers.get(name) },
      to: { have: { status: (code: number) => chai.expect(r.code, `status of ${r.text.slice(0, 300)}`).to.equal(code) } }, // prettier-ignore
    });
    const pm = {
      test: (name: string, fn: () => void) => {
        try {
          fn();
          tests.push({ name, passed: true });
        } catch (error) {
          tests.push({ name, passed: false, error: String((error as Error).message ?? error) });
        }
      },
      expect: chai.expect,
      response: reply && expose(reply),
      cookies: { indexOf: (name: string) => [...this.cookies.keys()].indexOf(name) },
      collectionVariables: { set: (k: string, v: unknown) => void this.collectionVariables.set(k, String(v)), get: (k: string) => this.collectionVariables.get(k) }, // prettier-ignore
      environment: { set: (k: string, v: unknown) => void this.environment.set(k, String(v)), get: (k: string) => this.environment.get(k) }, // prettier-ignore
      variables: { replaceIn: (t: string) => this.replaceIn(t), get: (k: string) => this.variable(k) },
      execution: { setNextRequest: (name: string | null) => void (next.name = name) },
      sendRequest: (
        req: { url: string; method?: string; header?: Record<string, string>; body?: { raw?: string } },
        callback: (error: unknown, response: unknown) => void,
      ) => {
        // prettier-ignore
        pending.push(
          this.fetch(this.replaceIn(req.url), { method: req.method ?? 'GET', headers: req.header ?? {}, ...(req.body?.raw === undefined ? {} : { body: req.body.raw }) }).then( // prettier-ignore
            (r) => callback(null, expose(r)),
            (error: unknown) => callback(error, undefined),
          ),
        );
      },
    };
    const moment = () => ({ format: () => new Date(this.options.now()).toISOString().slice(0, 10) });
    runInNewContext(source, {
      pm,
      postman: { setNextRequest: (name: string | null) => void (next.name = name) },
      require: (name: string) => {
        if (name === 'moment') return moment;
        throw new Error(`require('${name}') is not available in the sandbox`);
      },
      console: { log: () => undefined },
      setTimeout: () => undefined,
    });
    while (pending.length > 0) await pending.shift();
  }

  private async runItem(item: PostmanItem): Promise<{ name?: string | null }> {
    const tests: TestResult[] = [];
    const next: { name?: string | null } = {};
    const source = (listen: Script['listen']) =>
      (item.event ?? [])
        .filter((e) => e.listen === listen)
        .flatMap((e) => e.script.exec ?? [])
        .join('\n');
    await this.script(source('prerequest'), undefined, tests, next);
    const reply = await this.send(item);
    await this.script(source('test'), reply, tests, next);
    const expectedTests = (`${source('prerequest')}\n${source('test')}`.match(/pm\.test\(/g) ?? []).length;
    this.results.push({ name: item.name, status: reply.code, tests, expectedTests });
    return next;
  }

  /**
   * The run: in order, or where setNextRequest points (null or an unknown name ends it, as in Postman); then every
   * request the chain never reached, in order, so that each request of the collection is sent and checked, and the
   * chain's last request once more (it signs out).
   */
  async run(maxSteps = 100): Promise<RequestResult[]> {
    const ran = new Set<PostmanItem>();
    let index = 0;
    let last: PostmanItem | undefined;
    for (let step = 0; step < maxSteps && index >= 0 && index < this.items.length; step++) {
      last = this.items[index]!;
      ran.add(last);
      const next = await this.runItem(last);
      if (next.name === undefined) index++;
      else index = next.name === null ? -1 : this.items.findIndex((i) => i.name === next.name);
    }
    const missed = this.items.filter((item) => !ran.has(item));
    for (const item of missed) await this.runItem(item);
    if (missed.length > 0 && last) await this.runItem(last);
    return this.results;
  }
}
