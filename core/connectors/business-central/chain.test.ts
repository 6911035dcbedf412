/**
 * A chained flow against the emulator: web orders create their customer in Business Central, and each order is
 * then created for the customer number BC just gave (`result.number`), with its line. The emulator's final state,
 * every record's outcome at each destination and the lineage back to the web order are checked.
 */
import { afterEach, expect, it } from 'vitest';
import { runFlow } from '../../engine/run-flow.js';
import { graphFlow } from '../../engine/testing/flow-builder.js';
import { createWorld } from '../../engine/testing/memory-connector.js';
import { BC_DEMO, startBcEmulator } from './emulator/index.js';
import { bcRunContext } from './test-support.js';

const USA = BC_DEMO.companies.usa.id;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('creates each customer, then its sales order for the number BC gave the customer', async () => {
  const bc = await startBcEmulator();
  cleanups.push(() => bc.close());
  const item = String(bc.store.rows(USA, 'items')[0]!.row.number);
  const world = createWorld({
    web: [
      { orderNo: 'WEB-1', name: 'Anna Shop', email: 'anna@shop.example', qty: 2 },
      { orderNo: 'WEB-2', name: 'Bert Store', email: `${'b'.repeat(90)}@too.long`, qty: 1 },
      { orderNo: 'WEB-3', name: 'Cleo Corner', email: 'cleo@corner.example', qty: 5 },
    ],
  });
  const { ctx, store } = await bcRunContext(world, bc.url);
  cleanups.push(async () => store.close());
  const bcNode = (id: string, entity: string) => ({
    id,
    kind: 'destination' as const,
    type: 'business-central',
    config: { connection: 'bc', entity, operation: 'create', batchSize: 2 },
  });
  const flow = graphFlow(
    'customer-then-order',
    [
      { id: 'web', kind: 'source', config: { dataset: 'web', key: 'orderNo' } },
      { id: 'toCustomer', kind: 'map', config: { fields: [{ target: 'displayName', expression: 'name' }, { target: 'email', expression: 'email' }] } }, // prettier-ignore
      bcNode('customers', 'customers'),
      {
        id: 'toOrder',
        kind: 'map',
        config: {
          fields: [
            { target: 'customerNumber', expression: 'result.number' },
            { target: 'externalDocumentNumber', expression: '$source.orderNo' },
            { target: 'salesOrderLines', expression: `[{"lineType": "Item", "lineObjectNumber": "${item}", "quantity": $source.qty}]` }, // prettier-ignore
          ],
        },
      },
      bcNode('orders', 'salesOrders'),
    ],
    ['web -> toCustomer', 'toCustomer -> customers', 'customers:out -> toOrder', 'toOrder -> orders'],
  );

  const summary = await runFlow(flow, ctx);
  expect(summary.status).toBe('succeeded');
  expect(summary.counts).toMatchObject({ created: 4, failed: 1 });

  const customers = bc.store.rows(USA, 'customers').map((r) => r.row);
  const anna = customers.find((c) => c.displayName === 'Anna Shop')!;
  const cleo = customers.find((c) => c.displayName === 'Cleo Corner')!;
  expect(customers.some((c) => c.displayName === 'Bert Store')).toBe(false);
  const orders = bc.store
    .rows(USA, 'salesOrders')
    .map((r) => r.row)
    .filter((o) => String(o.externalDocumentNumber).startsWith('WEB-'));
  expect(orders.map((o) => [o.externalDocumentNumber, o.customerNumber, o.customerName])).toEqual([
    ['WEB-1', anna.number, 'Anna Shop'],
    ['WEB-3', cleo.number, 'Cleo Corner'],
  ]);
  const lines = bc.store.rows(USA, 'salesOrderLines').map((r) => r.row);
  expect(orders.map((o) => lines.filter((l) => l.documentId === o.id).map((l) => l.quantity))).toEqual([[2], [5]]);

  // Each destination recorded its own outcome, every one leading back to its web order.
  const history = store
    .runOutcomes(summary.runId)
    .map((o) => [o.nodeId, o.sourceNode, o.sourceKey, o.status, o.targetKey ?? o.message]);
  const ordered = [...history].sort((a, b) => String(a[2]).localeCompare(String(b[2])));
  expect(ordered).toEqual([
    ['customers', 'web', 'WEB-1', 'created', anna.id],
    ['orders', 'web', 'WEB-1', 'created', orders[0]!.id],
    ['customers', 'web', 'WEB-2', 'failed', expect.stringMatching(/^email: .*at most 80/)],
    ['customers', 'web', 'WEB-3', 'created', cleo.id],
    ['orders', 'web', 'WEB-3', 'created', orders[1]!.id],
  ]);
});
