import { describe, expect, it } from 'vitest';
import { connectorDescriptorSchema } from '../../model/descriptor.js';
import { bcDescriptor, bcDestinationConfigSchema, bcSourceConfigSchema } from './descriptor.js';

describe('Business Central descriptor', () => {
  it('is a valid, serialisable descriptor with secret fields marked', () => {
    expect(connectorDescriptorSchema.parse(bcDescriptor)).toEqual(bcDescriptor);
    const props = (
      bcDescriptor.connectionSchema as { properties: Record<string, { secret?: boolean; showWhen?: unknown }> }
    ).properties;
    expect(props.clientSecret).toMatchObject({ secret: true, showWhen: { mode: 'online' } });
    expect(props.password).toMatchObject({ secret: true, showWhen: { mode: 'on-premise' } });
    expect(props.domain?.showWhen).toEqual({ mode: 'on-premise', auth: 'windows' });
    expect(bcDescriptor.defaultConcurrency).toBe(5);
  });

  it('generates the entity picker from the catalog: types, keys, delta field, capabilities', () => {
    const customers = bcDescriptor.entities!.find((e) => e.name === 'customers')!;
    expect(customers).toMatchObject({
      key: ['id'],
      deltaField: 'lastModifiedDateTime',
      capabilities: { read: true, create: true, update: true, delete: true },
    });
    const field = (name: string) => customers.fields.find((f) => f.name === name);
    expect(field('id')).toMatchObject({ type: 'string', readOnly: true });
    expect(field('creditLimit')).toMatchObject({ type: 'number' });
    expect(field('taxLiable')).toMatchObject({ type: 'boolean' });
    expect(field('lastModifiedDateTime')).toMatchObject({ type: 'datetime', readOnly: true });
    expect(field('blocked')).toMatchObject({ type: 'string', description: 'one of _x0020_, Ship, Invoice, All' });
    expect(field('displayName')?.description).toBe('at most 100 characters');
    const lines = bcDescriptor.entities!.find((e) => e.name === 'salesOrderLines')!;
    expect(lines.label).toBe('salesOrderLines (in salesOrders)');
    expect(lines.fields.find((f) => f.name === 'sequence')).toMatchObject({ type: 'integer' });
    expect(bcDescriptor.entities!.some((e) => e.name === 'companies')).toBe(false); // not company-scoped
  });

  it('configs name the entity sets and bound actions the catalog has', () => {
    expect(bcSourceConfigSchema.parse({ entity: 'items' })).toEqual({ entity: 'items', maxPageSize: 1000 });
    expect(bcSourceConfigSchema.safeParse({ entity: 'itemz' }).success).toBe(false);
    expect(bcDestinationConfigSchema.parse({ entity: 'journals', action: 'post' })).toMatchObject({
      operation: 'create',
      batchSize: 100,
    });
    expect(bcDestinationConfigSchema.safeParse({ entity: 'customers', batchSize: 101 }).success).toBe(false);
    expect(bcDestinationConfigSchema.safeParse({ entity: 'generalLedgerEntries' }).success).toBe(false); // read-only
  });
});
