/**
 * Variant families through the connector into the emulator: a record with `variants` created as one family (the
 * attribute found or created by name), found again by its variants' SKUs and updated in place, a new variant of an
 * existing family left out with a warning (the spec has no request that adds one), and a standard product with the
 * family's SKU refused. Every write's body is held against the spec's schema of that write.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLightspeedSpec } from '../../../scripts/generate-lightspeed-catalog.js';
import type { RecordData } from '../../engine/record.js';
import { recordingProxy } from '../net/recording-proxy.js';
import type { DestinationWriter } from '../types.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';
import { OpenApiSchemas } from './emulator/openapi-check.js';
import { createLightspeedConnector } from './index.js';
import { demoSecrets, demoSettings, fakeClock, lsContext, record } from './test-support.js';

let ls: LightspeedEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
let warnings: string[];
const signal = new AbortController().signal;

beforeEach(async () => {
  ls = await startLightspeedEmulator({ size: { products: 4, customers: 2, sales: 2 } });
  proxy = await recordingProxy(ls.url);
  warnings = [];
});
afterEach(async () => {
  await proxy.close();
  await ls.close();
});

async function destination(operation = 'upsert'): Promise<DestinationWriter> {
  const connector = createLightspeedConnector({ clock: fakeClock(), random: () => 0 });
  const ctx = lsContext(demoSettings(proxy.url), demoSecrets());
  ctx.log = { debug: () => undefined, info: () => undefined, warn: (m) => void warnings.push(m) };
  return (await connector.destination!.open({ entity: 'products', operation, key: 'sku' }, ctx)) as DestinationWriter;
}
const writes = () => proxy.exchanges.filter((e) => e.method !== 'GET');
const variant = (sku: string, value: string, extra: RecordData = {}) => ({ sku, variant_definitions: [{ attribute_name: 'Variant', value }], ...extra }); // prettier-ignore
const desk = (codes: string[], extra: RecordData = {}) =>
  record({ sku: '1900', name: 'Standing Desk', price_excluding_tax: 450, variants: codes.map((c) => variant(`1900-${c}`, c)), ...extra }, '1900', ['description']); // prettier-ignore
const members = () => ls.store.active('products').filter((p) => p.name === 'Standing Desk');

async function bodyProblems(): Promise<string[]> {
  const schemas = new OpenApiSchemas(JSON.parse(await readLightspeedSpec()) as Record<string, unknown>);
  return writes().flatMap((e) => {
    const path = new URL(e.url, 'http://x').pathname;
    if (path === '/api/2.0/products') return schemas.check('ProductCreateBody', e.requestBody, path);
    if (path === '/api/2.0/variant_attributes') return schemas.check('VariantAttributeCreateUpdateBody', e.requestBody, path); // prettier-ignore
    const { common, details, ...rest } = e.requestBody as Record<string, unknown>;
    return [...Object.keys(rest), ...(common ? schemas.check('ProductCreateBody', { name: 'x', ...common }, `${path} common`) : []), ...(details ? schemas.check('ProductAddVariantPayload', details, `${path} details`) : [])]; // prettier-ignore
  });
}

describe('variant families', () => {
  it('creates a family in one request, with the attribute created once; a re-run updates each variant in place', async () => {
    const w = await destination();
    const first = await w.write([desk(['BLACK', 'WHITE'], { description: 'Oak top' })], { dryRun: false, signal });
    expect(first).toEqual([{ status: 'created', targetKey: '1900', result: expect.objectContaining({ sku: '1900-BLACK', has_variants: true }) }]); // prettier-ignore
    const attribute = ls.store.active('variant_attributes').find((a) => a.name === 'Variant')!;
    expect(members().map((p) => [p.sku, p.variant_options, p.price_excluding_tax, p.description])).toEqual([
      ['1900-BLACK', [{ id: attribute.id, name: 'Variant', value: 'BLACK' }], 450, 'Oak top'],
      ['1900-WHITE', [{ id: attribute.id, name: 'Variant', value: 'WHITE' }], 450, 'Oak top'],
    ]);
    expect(members()[1]!.variant_parent_id).toBe(members()[0]!.id);
    expect(ls.store.active('products').some((p) => p.sku === '1900')).toBe(false);

    const again = await (await destination()).write([desk(['BLACK', 'WHITE'], { price_excluding_tax: 470, description: 'Would overwrite' })], { dryRun: false, signal }); // prettier-ignore
    expect(again).toEqual([{ status: 'updated', targetKey: '1900', result: expect.objectContaining({ sku: '1900-BLACK' }) }]); // prettier-ignore
    expect(members().map((p) => [p.sku, p.price_excluding_tax, p.description])).toEqual([['1900-BLACK', 470, 'Oak top'], ['1900-WHITE', 470, 'Oak top']]); // prettier-ignore
    const paths = writes().map((e) => `${e.method} ${new URL(e.url, 'http://x').pathname.replace(/[0-9a-f-]{36}/, '{id}')}`); // prettier-ignore
    expect(paths).toEqual(['POST /api/2.0/variant_attributes', 'POST /api/2.0/products', 'PUT /api/2.1/products/{id}', 'PUT /api/2.1/products/{id}']); // prettier-ignore
    expect(ls.store.active('variant_attributes').filter((a) => a.name === 'Variant')).toHaveLength(1);
    expect(warnings).toEqual([]);
    expect(await bodyProblems()).toEqual([]);
  });

  it('uses an attribute the store has, leaves a new variant of an existing family out with a warning', async () => {
    const colour = ls.store.active('variant_attributes').find((a) => a.name === 'Colour')!;
    const w = await destination();
    const tee = (codes: string[]) => record({ sku: 'TEE-2', name: 'Plain Tee', variants: codes.map((c) => ({ sku: `TEE-2-${c}`, variant_definitions: [{ attribute_name: 'colour', value: c }] })) }); // prettier-ignore
    expect((await w.write([tee(['RED'])], { dryRun: false, signal }))[0]!.status).toBe('created');
    expect(ls.store.active('products').find((p) => p.sku === 'TEE-2-RED')!.variant_options).toEqual([{ id: colour.id, name: 'Colour', value: 'RED' }]); // prettier-ignore
    const next = await w.write([tee(['RED', 'BLUE'])], { dryRun: false, signal });
    expect(next[0]!.status).toBe('updated');
    expect(ls.store.active('products').some((p) => p.sku === 'TEE-2-BLUE')).toBe(false);
    expect(warnings).toEqual(["Lightspeed product family TEE-2: variant TEE-2-BLUE not added — Lightspeed's API (2.0 spec) cannot add a variant to an existing family; add it in Lightspeed"]); // prettier-ignore
    expect(writes().filter((e) => e.url.includes('variant_attributes'))).toHaveLength(0);
  });

  it('refuses a standard product with the family SKU, a variant without a SKU; dry runs and createOnly write nothing', async () => {
    const w = await destination();
    const cup = record({ sku: LIGHTSPEED_DEMO.skus.cup, name: 'Espresso Cup', variants: [variant('CUP-A', 'A')] });
    const noSku = record({ sku: '1901', name: 'Lamp', variants: [{ variant_definitions: [{ attribute_name: 'Variant', value: 'X' }] }] }); // prettier-ignore
    expect(await w.write([cup, noSku], { dryRun: false, signal })).toEqual([
      { status: 'failed', error: `sku ${LIGHTSPEED_DEMO.skus.cup}: a standard product in Lightspeed; Lightspeed cannot turn it into a variant family (its variants would need new SKUs)` }, // prettier-ignore
      { status: 'failed', error: 'variants[0].sku: every variant needs its own SKU (the family is found by them)' },
    ]);
    expect(await w.write([desk(['BLACK'])], { dryRun: true, signal })).toEqual([{ status: 'created', targetKey: '1900' }]); // prettier-ignore
    expect(writes()).toHaveLength(0);
    await w.write([desk(['BLACK'])], { dryRun: false, signal });
    const createOnly = await (await destination('createOnly')).write([desk(['BLACK'])], { dryRun: false, signal });
    expect(createOnly[0]).toMatchObject({ status: 'skipped', targetKey: '1900' });
    expect(members()).toHaveLength(1);
  });

  it('takes a record with an empty variants list as a standard product, on create and on update', async () => {
    const w = await destination();
    const plain = (price: number) => record({ sku: '1902', name: 'Lamp', price_excluding_tax: price, variants: [] });
    expect((await w.write([plain(20)], { dryRun: false, signal }))[0]).toMatchObject({ status: 'created', result: { sku: '1902', has_variants: false } }); // prettier-ignore
    expect((await w.write([plain(25)], { dryRun: false, signal }))[0]).toMatchObject({ status: 'updated', result: { sku: '1902', price_excluding_tax: 25 } }); // prettier-ignore
    expect(await bodyProblems()).toEqual([]);
  });
});
