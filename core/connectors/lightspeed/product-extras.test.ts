/**
 * Ferry's product fields against the emulator: `product_category_name` found or created (GET
 * /product_categories, POST /product_categories/bulk) and `image` uploaded (image_upload, multipart) on create, or
 * on update while the product has none — never a second time over an image it has.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { solidPng } from '../business-central/emulator/pictures.js';
import type { FlowRecord } from '../../engine/record.js';
import { recordingProxy } from '../net/recording-proxy.js';
import type { DestinationWriter } from '../types.js';
import { type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';
import { createLightspeedConnector } from './index.js';
import { demoSecrets, demoSettings, fakeClock, lsContext, record } from './test-support.js';

let ls: LightspeedEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
const signal = new AbortController().signal;
beforeEach(async () => {
  ls = await startLightspeedEmulator({});
  proxy = await recordingProxy(ls.url);
});
afterEach(async () => {
  await proxy.close();
  await ls.close();
});

async function destination(): Promise<DestinationWriter> {
  const connector = createLightspeedConnector({ clock: fakeClock(), random: () => 0 });
  return (await connector.destination!.open({ entity: 'products', operation: 'upsert' }, lsContext(demoSettings(proxy.url), demoSecrets()))) as DestinationWriter; // prettier-ignore
}
const write = (w: DestinationWriter, records: FlowRecord[], dryRun = false) => w.write(records, { dryRun, signal });
const product = (sku: string) => ls.store.active('products').find((p) => p.sku === sku)!;
const categoryName = (sku: string) => ls.store.get('product_types', String(product(sku).product_type_id))?.name;
const paths = (method: string) => proxy.exchanges.filter((e) => e.method === method).map((e) => new URL(e.url, 'http://x').pathname); // prettier-ignore
const red = solidPng(2, 2, [255, 0, 0]).toString('base64');
const blue = solidPng(2, 2, [0, 0, 255]).toString('base64');

describe('product categories by name', () => {
  it('uses an existing category, creates a missing one once for the whole run, in any case', async () => {
    const types = ls.store.count('product_types');
    const w = await destination();
    const outcomes = await write(w, [
      record({ sku: 'C-1', name: 'One', product_category_name: 'Apparel' }),
      record({ sku: 'C-2', name: 'Two', product_category_name: 'Chairs' }),
      record({ sku: 'C-3', name: 'Three', product_category_name: 'chairs' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created', 'created']);
    expect(['C-1', 'C-2', 'C-3'].map(categoryName)).toEqual(['Apparel', 'Chairs', 'Chairs']);
    expect(ls.store.count('product_types')).toBe(types + 1);
    expect(paths('POST').filter((p) => p.endsWith('/bulk'))).toHaveLength(1);
    expect(paths('GET').filter((p) => p.endsWith('/product_categories'))).toHaveLength(1);
    expect(product('C-2').type).toMatchObject({ name: 'Chairs' });
  });

  it('a dry run creates no category', async () => {
    const types = ls.store.count('product_types');
    const outcomes = await write(await destination(), [record({ sku: 'C-9', name: 'Nine', product_category_name: 'Tables' })], true); // prettier-ignore
    expect(outcomes[0]).toMatchObject({ status: 'created' });
    expect(ls.store.count('product_types')).toBe(types);
  });
});

describe('one image', () => {
  it('uploads the image on create; an update over it sends none', async () => {
    const w = await destination();
    expect((await write(w, [record({ sku: 'I-1', name: 'Img', image: red })]))[0]).toMatchObject({ status: 'created' }); // prettier-ignore
    expect(ls.store.active('product_images')).toHaveLength(1);
    const image = ls.store.active('product_images')[0]!;
    expect(image).toMatchObject({ product_id: product('I-1').id, status: 'uploaded', content_size: Buffer.from(red, 'base64').length }); // prettier-ignore
    expect(product('I-1').images).toEqual([{ id: image.id, url: expect.stringMatching(/\.png$/), version: image.version }]); // prettier-ignore
    expect(product('I-1').image_url).toMatch(/\.png$/);
    expect((await write(w, [record({ sku: 'I-1', name: 'Img 2', image: blue })]))[0]).toMatchObject({ status: 'updated' }); // prettier-ignore
    expect(ls.store.active('product_images')).toHaveLength(1);
    expect(product('I-1').name).toBe('Img 2');
  });

  it('uploads on update while the product has no image; refuses what is not a jpg or png', async () => {
    const w = await destination();
    await write(w, [record({ sku: 'I-2', name: 'No image yet' })]);
    expect(ls.store.active('product_images')).toHaveLength(0);
    expect((await write(w, [record({ sku: 'I-2', name: 'Now with', image: `data:image/png;base64,${red}` })]))[0]).toMatchObject({ status: 'updated' }); // prettier-ignore
    expect(ls.store.active('product_images')).toHaveLength(1);
    const bad = await write(w, [record({ sku: 'I-3', name: 'Bad', image: Buffer.from('GIF89a').toString('base64') })]);
    expect(bad[0]).toEqual({ status: 'failed', error: 'image: expected a jpg or png as base64' });
    expect(product('I-3')).toBeUndefined();
  });
});
