import type { ApiErrorBody, ApiEvent, ApiMethodName } from '../core/model/contract.js';
import type { DispatchResult } from '../core/host/dispatch.js';
import { type EngineRequest, failure, isEventReply, isResultReply } from './engine-messages.js';

/** What main needs of an Electron `UtilityProcess` (tests pass a fake). */
export interface EngineProcess {
  postMessage(message: EngineRequest): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface EngineHostOptions {
  /** Starts the engine process (`utilityProcess.fork(...)`). */
  fork(): EngineProcess;
  /** Every service event, for the window. */
  onEvent(event: ApiEvent): void;
  log?(message: string): void;
  /** A process that dies this often within `restartWindowMs` is not restarted again (a crash loop). */
  maxRestarts?: number;
  restartWindowMs?: number;
  now?(): number;
}

export interface EngineHost {
  /** Forwards one contract call; never rejects: failures come back as the contract's error body. */
  call(method: ApiMethodName, input: unknown): Promise<DispatchResult>;
  /** The workspace the engine has open, as last announced by a `workspace-opened` event. */
  workspaceDir(): string | undefined;
  /** Asks the engine to close its stores and exit; kills it after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

export function engineStoppedError(code: number): ApiErrorBody {
  return {
    code: 'internal',
    message: `The engine process stopped unexpectedly (exit code ${code}) and is restarting. Try again in a moment.`,
  };
}

export function engineGaveUpError(code: number): ApiErrorBody {
  return {
    code: 'internal',
    message: `The engine process keeps stopping (last exit code ${code}); restart Ferry. Details are in the log.`,
  };
}

const shuttingDown: ApiErrorBody = { code: 'internal', message: 'Ferry is closing: the engine process has stopped.' };

/**
 * Main's side of the engine in its utility process: numbers calls, matches replies, relays events, and turns a
 * crash into error results for the calls in flight, a restart, and a re-open of the workspace that was open — so
 * the window keeps working with the same workspace after a crash (runs in flight end as `interrupted`).
 */
export function createEngineHost(options: EngineHostOptions): EngineHost {
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.restartWindowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const pending = new Map<number, (result: DispatchResult) => void>();
  const restarts: number[] = [];
  let nextId = 1;
  let child: EngineProcess | undefined;
  let dir: string | undefined;
  let stopping = false;
  let unavailable: ApiErrorBody | undefined;
  // Calls wait for the re-open after a restart, so none reaches a service that has no workspace yet.
  let ready: Promise<void> = Promise.resolve();
  let exited: (() => void) | undefined;

  const post = (method: string, input: unknown): Promise<DispatchResult> => {
    const target = child;
    if (!target) return Promise.resolve(failure(unavailable ?? shuttingDown));
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      try {
        target.postMessage({ id, method, input });
      } catch (error) {
        pending.delete(id);
        resolve(failure({ code: 'internal', message: `Internal error: ${(error as Error).message}` }));
      }
    });
  };

  const onMessage = (message: unknown) => {
    if (isResultReply(message)) {
      const resolve = pending.get(message.id);
      pending.delete(message.id);
      resolve?.(message.result);
    } else if (isEventReply(message)) {
      if (message.event.type === 'workspace-opened') dir = message.event.workspace.dir;
      options.onEvent(message.event);
    }
  };

  const onExit = (proc: EngineProcess, code: number) => {
    if (proc !== child) return;
    child = undefined;
    const error = stopping ? shuttingDown : engineStoppedError(code);
    for (const resolve of pending.values()) resolve(failure(error));
    pending.clear();
    if (stopping) {
      exited?.();
      return;
    }
    const t = now();
    restarts.push(t);
    while (restarts.length > 0 && (restarts[0] ?? t) < t - windowMs) restarts.shift();
    if (restarts.length > maxRestarts) {
      unavailable = engineGaveUpError(code);
      options.log?.(`engine process exited with code ${code}; not restarting (${restarts.length} exits in a minute)`);
      return;
    }
    options.log?.(`engine process exited with code ${code}; restarting`);
    start();
    const reopen = dir;
    if (reopen !== undefined) {
      ready = post('openWorkspace', { dir: reopen }).then((result) => {
        if (!result.ok) options.log?.(`could not re-open ${reopen} after a restart: ${result.error.message}`);
      });
    }
  };

  const start = () => {
    const proc = options.fork();
    child = proc;
    proc.on('message', onMessage);
    proc.on('exit', (code: number) => onExit(proc, code));
  };

  start();

  return {
    async call(method, input) {
      await ready;
      return post(method, input);
    },
    workspaceDir: () => dir,
    async stop(timeoutMs = 3000) {
      stopping = true;
      const proc = child;
      if (!proc) return;
      const gone = new Promise<void>((resolve) => (exited = resolve));
      try {
        proc.postMessage({ shutdown: true });
      } catch {
        proc.kill();
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          proc.kill();
          resolve();
        }, timeoutMs);
      });
      await Promise.race([gone, timeout]);
      clearTimeout(timer);
    },
  };
}
