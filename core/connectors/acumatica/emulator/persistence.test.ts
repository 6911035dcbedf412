import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedStoreData } from './seed.js';
import { startAcumaticaEmulator } from './server.js';
import { client } from './test-support.js';

describe('Acumatica emulator: demo data and persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ferry-acu-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('seeds the same records for the same seed and size, and as many as the size asks', () => {
    const a = seedStoreData(3, { stockItems: 40 });
    expect(seedStoreData(3, { stockItems: 40 })).toEqual(a);
    expect(seedStoreData(4, { stockItems: 40 })).not.toEqual(a);
    expect(a.entities.StockItem).toHaveLength(45);
    const large = seedStoreData(1, { customers: 2000, salesOrders: 3000 });
    expect(large.entities.Customer).toHaveLength(2005);
    expect(large.entities.SalesOrder).toHaveLength(3009);
    expect(new Set(large.entities.SalesOrder!.map((o) => o.fields.OrderNbr)).size).toBe(3009);
  });

  it('keeps changes in the data file (temp file + rename) and loads them at the next start', async () => {
    const file = path.join(dir, 'acu.json');
    const first = await startAcumaticaEmulator({
      dataFile: file,
      size: { customers: 1, stockItems: 1, salesOrders: 1 },
    });
    try {
      const c = await client(first);
      expect((await c.put('Customer', { CustomerID: { value: 'KEPT' }, CustomerName: { value: 'Kept Ltd' } })).status).toBe(200); // prettier-ignore
      await c.logout();
      await first.save();
    } finally {
      await first.close();
    }
    expect(JSON.parse(await readFile(file, 'utf8')).format).toBe('ferry-acumatica-emulator/1');
    const second = await startAcumaticaEmulator({ dataFile: file });
    try {
      const c = await client(second);
      expect((await c.get('Customer/KEPT')).body.CustomerName).toEqual({ value: 'Kept Ltd' });
      // The seed size of the second start does not matter: the file is the data.
      expect(second.store.count('Customer')).toBe(7);
    } finally {
      await second.close();
    }
  });

  it('refuses a data file another emulator wrote', async () => {
    const file = path.join(dir, 'other.json');
    await (await import('node:fs/promises')).writeFile(file, JSON.stringify({ format: 'ferry-bc-emulator/1' }));
    await expect(startAcumaticaEmulator({ dataFile: file })).rejects.toThrow(/not an Acumatica emulator data file/);
  });
});
