import { describe, expect, it } from 'vitest';
import { BC_DEMO, seedStoreData } from './seed.js';
import { BcStore, rowKey, entitySet } from './store.js';

const USA = BC_DEMO.companies.usa.id;

describe('BcStore indexes', () => {
  it('find rows by a field through an index that follows inserts, updates and removals', () => {
    const store = new BcStore(seedStoreData(1, { customers: 5 }));
    const first = store.rows(USA, 'customers')[0]!.row;
    expect(store.findBy(USA, 'customers', 'number', first.number).map((r) => r.row.id)).toEqual([first.id]);

    const added = store.insert(USA, 'customers', { number: 'IDX-1', displayName: 'Indexed' });
    expect(store.findBy(USA, 'customers', 'number', 'IDX-1')).toEqual([added]);

    const key = rowKey(entitySet('customers'), added.row);
    store.update(USA, 'customers', key, { number: 'IDX-2' });
    expect(store.findBy(USA, 'customers', 'number', 'IDX-1')).toEqual([]);
    expect(store.findBy(USA, 'customers', 'number', 'IDX-2').map((r) => r.row.displayName)).toEqual(['Indexed']);

    store.remove(USA, 'customers', key);
    expect(store.findBy(USA, 'customers', 'number', 'IDX-2')).toEqual([]);
    expect(store.findBy(USA, 'customers', 'number', 'nobody')).toEqual([]);
  });
});
