import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent, WorkspaceSummary } from '../core/model/contract.js';
import { type EngineProcess, createEngineHost } from './engine-host.js';
import type { EngineRequest } from './engine-messages.js';

class FakeEngine extends EventEmitter implements EngineProcess {
  readonly sent: EngineRequest[] = [];
  killed = false;
  postMessage(message: EngineRequest): void {
    this.sent.push(message);
  }
  kill(): boolean {
    this.killed = true;
    this.emit('exit', 15);
    return true;
  }
  /** Answers the request with the given id. */
  reply(id: number, value: unknown): void {
    this.emit('message', { id, result: { ok: true, value } });
  }
  calls(): { id: number; method: string; input: unknown }[] {
    return this.sent.filter((m): m is { id: number; method: string; input: unknown } => 'method' in m);
  }
}

const workspace = (dir: string): WorkspaceSummary => ({
  dir,
  id: 'ws',
  name: 'WS',
  flows: [],
  connections: [],
  problems: [],
});

function setup(options: { maxRestarts?: number } = {}) {
  const engines: FakeEngine[] = [];
  const events: ApiEvent[] = [];
  const log = vi.fn();
  const host = createEngineHost({
    fork: () => {
      const engine = new FakeEngine();
      engines.push(engine);
      return engine;
    },
    onEvent: (event) => events.push(event),
    log,
    ...options,
  });
  const current = () => engines[engines.length - 1] as FakeEngine;
  return { host, engines, events, log, current };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the engine host (main side of the utility process)', () => {
  it('forwards calls with ids and resolves each with its own result', async () => {
    const { host, current } = setup();
    const a = host.call('loadFlow', { flowId: 'a' });
    const b = host.call('loadFlow', { flowId: 'b' });
    await tick();
    const [first, second] = current().calls();
    expect(first).toMatchObject({ method: 'loadFlow', input: { flowId: 'a' } });
    expect(second).toMatchObject({ method: 'loadFlow', input: { flowId: 'b' } });
    current().reply(second!.id, 'B');
    current().reply(first!.id, 'A');
    expect(await a).toEqual({ ok: true, value: 'A' });
    expect(await b).toEqual({ ok: true, value: 'B' });
  });

  it('relays service events (progress, run-finished) to the window', () => {
    const { events, current } = setup();
    const progress: ApiEvent = {
      type: 'run',
      event: { type: 'progress', runId: 'r1', nodes: {} } as never,
    };
    const finished: ApiEvent = {
      type: 'run',
      event: { type: 'run-finished', runId: 'r1', summary: {} } as never,
    };
    current().emit('message', { event: progress });
    current().emit('message', { event: finished });
    current().emit('message', { nonsense: true });
    expect(events).toEqual([progress, finished]);
  });

  it('turns a crash into error results for pending calls, restarts and re-opens the workspace', async () => {
    const { host, engines, events, current } = setup();
    current().emit('message', { event: { type: 'workspace-opened', workspace: workspace('/ws/orders') } });
    expect(host.workspaceDir()).toBe('/ws/orders');
    expect(events).toHaveLength(1);

    const pending = host.call('startRun', { flowId: 'f', dryRun: false });
    await tick();
    engines[0]!.emit('exit', 134);
    const result = await pending;
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/engine process stopped.*134.*restarting/) },
    });

    expect(engines).toHaveLength(2);
    const reopen = current().calls()[0]!;
    expect(reopen).toMatchObject({ method: 'openWorkspace', input: { dir: '/ws/orders' } });

    // Calls made meanwhile wait for the re-open, so they never reach an engine without a workspace.
    const next = host.call('listConnections', {});
    await tick();
    expect(current().calls()).toHaveLength(1);
    current().reply(reopen.id, workspace('/ws/orders'));
    await tick();
    const listed = current().calls()[1]!;
    expect(listed.method).toBe('listConnections');
    current().reply(listed.id, []);
    expect(await next).toEqual({ ok: true, value: [] });
  });

  it('restarts without re-opening when no workspace was open', () => {
    const { engines, current } = setup();
    engines[0]!.emit('exit', 1);
    expect(engines).toHaveLength(2);
    expect(current().calls()).toEqual([]);
  });

  it('stops restarting a process that keeps crashing', async () => {
    const { host, engines, log } = setup({ maxRestarts: 2 });
    for (let i = 0; i < 3; i++) engines[i]!.emit('exit', 1);
    expect(engines).toHaveLength(3);
    expect(log).toHaveBeenLastCalledWith(expect.stringContaining('not restarting'));
    expect(await host.call('currentWorkspace', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('keeps stopping') },
    });
  });

  it('asks the engine to shut down on quit and does not restart it', async () => {
    const { host, engines, current } = setup();
    const pending = host.call('listRuns', { flowId: 'f' });
    await tick();
    const stopping = host.stop(1000);
    expect(current().sent.at(-1)).toEqual({ shutdown: true });
    current().emit('exit', 0);
    await stopping;
    expect(engines).toHaveLength(1);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('kills an engine that does not shut down in time', async () => {
    const { host, current } = setup();
    await host.stop(10);
    expect(current().killed).toBe(true);
  });
});
