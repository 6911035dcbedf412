import { type Mock, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ServiceHarness, serviceOverExamples } from '../core/host/testing/service-harness.js';
import type { ApiEvent } from '../core/model/contract.js';
import type { DispatchResult } from '../core/host/dispatch.js';
import type { EngineReply } from './engine-messages.js';
import { type ParentPortLike, serveEngine } from './engine-server.js';

class FakePort implements ParentPortLike {
  readonly replies: EngineReply[] = [];
  private listener: ((message: { data: unknown }) => void) | undefined;
  on(_event: 'message', listener: (message: { data: unknown }) => void): void {
    this.listener = listener;
  }
  postMessage(message: EngineReply): void {
    // What crosses the process boundary is a structured clone, not the object itself.
    this.replies.push(structuredClone(message));
  }
  send(data: unknown): void {
    this.listener?.({ data });
  }
  result(id: number): DispatchResult | undefined {
    const reply = this.replies.find((r) => 'id' in r && r.id === id);
    return reply && 'result' in reply ? reply.result : undefined;
  }
  events(): ApiEvent[] {
    return this.replies.flatMap((r) => ('event' in r ? [r.event] : []));
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

let tmp: ServiceHarness;
let port: FakePort;
let shutdown: Mock<() => Promise<void>>;

beforeEach(async () => {
  tmp = await serviceOverExamples({ watch: false });
  port = new FakePort();
  shutdown = vi.fn(async () => undefined);
  serveEngine(port, tmp.service, shutdown);
});
afterEach(() => tmp.close());

describe('the engine process loop', () => {
  it('answers each request by id through the contract dispatch', async () => {
    port.send({ id: 1, method: 'openWorkspace', input: { dir: tmp.ws } });
    await until(() => port.result(1) !== undefined, 'openWorkspace');
    expect(port.result(1)).toMatchObject({ ok: true, value: { name: 'Ferry examples' } });
    expect(port.events().map((e) => e.type)).toEqual(['workspace-opened']);

    port.send({ id: 2, method: 'openWorkspace', input: { dir: '' } });
    port.send({ id: 3, method: 'noSuchMethod', input: {} });
    await until(() => port.result(3) !== undefined && port.result(2) !== undefined, 'errors');
    expect(port.result(2)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(port.result(3)).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('posts run events — progress and run-finished — as they happen', async () => {
    port.send({ id: 1, method: 'openWorkspace', input: { dir: tmp.ws } });
    await until(() => port.result(1) !== undefined, 'open');
    port.send({ id: 2, method: 'startRun', input: { flowId: 'products-to-catalog', dryRun: true } });
    await until(() => port.result(2) !== undefined, 'startRun');
    const started = port.result(2);
    expect(started).toMatchObject({ ok: true, value: { runId: expect.any(String) } });
    const runTypes = () => port.events().flatMap((e) => (e.type === 'run' ? [e.event.type] : []));
    await until(() => runTypes().includes('run-finished'), 'run-finished');
    expect(runTypes()[0]).toBe('run-started');
    expect(runTypes()).toContain('progress');
  });

  it('ignores malformed messages and shuts down once on request', async () => {
    port.send('garbage');
    port.send({ id: 'x', method: 1 });
    port.send({ shutdown: true });
    port.send({ shutdown: true });
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(port.replies).toEqual([]);
  });
});
