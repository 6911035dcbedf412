import { describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '../connectors/registry.js';
import type { ValueMapFile } from '../model/mapping.js';
import { ValidationError } from '../model/validation-error.js';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { runFlow, type RunContext } from './run-flow.js';
import { chainFlow } from './testing/flow-builder.js';
import { createWorld, memoryConnector } from './testing/memory-connector.js';
import { validateFlow } from './validate-flow.js';

const terms: ValueMapFile = {
  schemaVersion: 1,
  id: 'terms',
  name: 'Payment terms',
  entries: [
    { from: '14', to: '14D' },
    { from: '30', to: '30D' },
  ],
  fallback: { kind: 'fail' },
};

const flow = (valueMap: string) =>
  chainFlow('customers', [
    { id: 'src', kind: 'source', config: { dataset: 'customers', key: 'id' } },
    {
      id: 'map',
      kind: 'map',
      config: {
        fields: [
          { target: 'id', expression: 'id' },
          { target: 'terms', expression: 'days', valueMap },
        ],
      },
    },
    { id: 'dst', kind: 'destination', config: { target: 'out' } },
  ]);

describe('value maps in flows', () => {
  it('a run translates through the workspace’s value maps; a value not in a "fail" map fails its record', async () => {
    const world = createWorld({
      customers: [
        { id: 'a', days: 30 },
        { id: 'b', days: 45 },
        { id: 'c', days: '14' },
      ],
    });
    const ctx: RunContext = {
      workspace: {
        dir: '/nonexistent',
        workspaceId: 'ws',
        connections: new Map(),
        valueMaps: new Map([['terms', terms]]),
      },
      registry: new ConnectorRegistry([memoryConnector(world)]),
      secrets: new MemorySecretStore(),
    };
    const summary = await runFlow(flow('terms'), ctx);
    expect(world.written.out).toEqual([
      { id: 'a', terms: '30D' },
      { id: 'c', terms: '14D' },
    ]);
    expect(summary.counts.failed).toBe(1);
    expect(summary.failures[0]).toMatchObject({
      error: 'terms: value "45" is not in value map "Payment terms"',
    });
  });

  it('validation reports an unknown value map at the node’s path; a run does not start', async () => {
    const world = createWorld({ customers: [] });
    const registry = new ConnectorRegistry([memoryConnector(world)]);
    const problems = validateFlow(flow('nope'), {
      registry,
      connections: new Map(),
      valueMaps: new Map([['terms', terms]]),
      file: 'flows/customers.flow.json',
    });
    expect(problems).toEqual([
      {
        file: 'flows/customers.flow.json',
        path: 'nodes[1].config.fields[1].valueMap',
        message: 'unknown value map "nope" (expected one of terms)',
      },
    ]);
    const ctx: RunContext = {
      workspace: { dir: '/nonexistent', workspaceId: 'ws', connections: new Map() },
      registry,
      secrets: new MemorySecretStore(),
    };
    await expect(runFlow(flow('terms'), ctx)).rejects.toThrow(ValidationError);
  });
});
