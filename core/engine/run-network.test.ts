import { afterEach, expect, it } from 'vitest';
import { httpConnector } from '../connectors/http/index.js';
import { closeAll, makeCertificates, startHttpsServer } from '../connectors/net/test-servers.js';
import { ConnectorRegistry } from '../connectors/registry.js';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { runFlow } from './run-flow.js';
import { chainFlow } from './testing/flow-builder.js';
import { createWorld, memoryConnector } from './testing/memory-connector.js';

afterEach(closeAll);

it('a run on a connection that skips certificate verification says so once in the log, summary and events', async () => {
  const certs = await makeCertificates();
  const server = await startHttpsServer(certs);
  const warnings: string[] = [];
  const events: string[] = [];
  const world = createWorld();
  const connection = {
    schemaVersion: 1 as const,
    id: 'onprem',
    name: 'On-prem ERP',
    connector: 'http',
    settings: { baseUrl: server.url, allowUntrustedCertificates: true },
  };
  const flow = chainFlow('pull', [
    // Two nodes on the connection: the warning is about the connection, not repeated per node.
    { id: 'a', kind: 'source', type: 'http', config: { connection: 'onprem', path: '/a', recordsPath: 'none' } },
    { id: 'out', kind: 'destination', type: 'http', config: { connection: 'onprem', path: '/b' } },
  ]);
  const summary = await runFlow(
    flow,
    {
      workspace: { dir: '/nonexistent', workspaceId: 'ws-net', connections: new Map([['onprem', connection]]) },
      registry: new ConnectorRegistry([memoryConnector(world), httpConnector]),
      secrets: new MemorySecretStore(),
      log: { debug: () => undefined, info: () => undefined, warn: (m) => void warnings.push(m) },
    },
    { onEvent: (e) => e.type === 'run-warning' && events.push(e.message) },
  );
  // The server answers {"ok":true}: the records path is not there, so the run fails as a config problem, after
  // the request went through with verification off.
  expect(summary.errorKind).toBe('config');
  expect(server.hits).toBe(1);
  expect(warnings.filter((w) => w.includes('skips TLS certificate verification'))).toEqual([
    'connection "On-prem ERP" skips TLS certificate verification (allowUntrustedCertificates): the server\'s ' +
      'identity is not checked',
  ]);
  // The same warning, once, in the run's summary and as a run event (the run panel shows both).
  expect(summary.warnings).toEqual(warnings.filter((w) => w.includes('skips TLS')));
  expect(events).toEqual(summary.warnings);
});
