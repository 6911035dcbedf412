import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoDataPage } from '../model/demo-contract.js';
import { type DemoHarness, demoHarness } from './testing/demo-harness.js';

/**
 * Template 2, BC items → Lightspeed products, as a trainer runs it against the demo systems: categories by name
 * (created in Lightspeed once), the item's one picture uploaded once, drafts or published, the description
 * written on create only, and items with variants as variant families (one product per BC variant, SKU
 * `<item>-<variant code>`, the code as the value of the attribute "Variant") — the exact state of the Lightspeed
 * store after each run.
 */
let h: DemoHarness;
beforeEach(async () => {
  h = await demoHarness({ open: true });
});
afterEach(() => h.close());

type Row = DemoDataPage['rows'][number];
const all = async (system: string, entity: string): Promise<DemoDataPage['rows']> =>
  (await h.ok('browseDemoData', { system, entity, limit: 500 })).rows;
const FLOW = 'business-central-items-lightspeed-products';
const CATEGORY_NAMES: Record<string, string> = { DESK: 'Desks', CHAIR: 'Chairs', TABLE: 'Tables', MISC: 'Miscs' };

/** Changes a product in Lightspeed as a shop manager would, through the API with the demo store's token. */
async function editInLightspeed(productId: string, common: Record<string, unknown>): Promise<void> {
  const ls = h.demo.connections().find((c) => c.connector === 'lightspeed')!;
  const answer = await fetch(`${String(ls.settings.baseUrl)}/api/2.1/products/${productId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ls.secrets.personalToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ common }),
  });
  expect(answer.status).toBe(200);
}

/** Adds a variant to a BC item as a user would, through the demo Business Central's API v2.0. */
async function addBcVariant(itemId: string, code: string): Promise<void> {
  const bc = h.demo.connections().find((c) => c.connector === 'business-central')!;
  const { apiHost, tenant, environment, clientId, company } = bc.settings as Record<string, string>;
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId!, client_secret: bc.secrets.clientSecret!, scope: 'https://api.businesscentral.dynamics.com/.default' }); // prettier-ignore
  const token = (await (await fetch(`${apiHost}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: form })).json()) as { access_token: string }; // prettier-ignore
  const url = `${apiHost}/v2.0/${tenant}/${environment}/api/v2.0/companies(${company})/itemVariants`;
  const answer = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ itemId, code, description: code }) }); // prettier-ignore
  expect(answer.status).toBe(201);
}

describe('template: BC items → Lightspeed products', () => {
  it('drafts with categories, images and variant families; a re-run updates them in place, keeps what Lightspeed enriched, uploads nothing again', async () => {
    await h.ok('startDemoSystems', {});
    const sellable = (await all('business-central', 'items')).filter((i) => i.type === 'Inventory' && i.blocked !== true); // prettier-ignore
    const pictures = await all('business-central', 'pictures');
    const before = new Set((await all('lightspeed', 'products')).map((p) => p.id));
    const categoriesBefore = await all('lightspeed', 'product_types');

    // A second flow from the template, creating drafts.
    const drafts = await h.ok('createFlowFromTemplate', { templateId: 'bc-items-to-lightspeed-products', settings: { publish: false }, connections: {}, name: 'Drafts' }); // prettier-ignore
    const first = await h.run(drafts.flow.id);
    expect(first.summary?.counts).toMatchObject({ created: 27, updated: 0, filtered: 3, failed: 0 });
    expect(first.summary?.warnings ?? []).toEqual([]);

    // The five demo items with BLACK and WHITE variants are families of two; the others standard products.
    const itemVariants = await all('business-central', 'itemVariants');
    const variantsOf = (item: Row) =>
      itemVariants
        .filter((v) => v.itemId === item.id)
        .map((v) => String(v.code))
        .sort();
    const families = sellable.filter((i) => variantsOf(i).length > 0);
    expect(families.map((i) => [i.number, variantsOf(i)]).sort()).toEqual(['1000', '1010', '1020', '1030', '1040'].map((n) => [n, ['BLACK', 'WHITE']])); // prettier-ignore
    const created = (await all('lightspeed', 'products')).filter((p) => !before.has(p.id));
    expect(created).toHaveLength(22 + 5 * 2);
    const bySku = (sku: unknown) => created.find((p) => p.sku === sku)!;
    /** The products of an item: its family's members (parent first), or its one standard product. */
    const productsOf = (item: Row) => (variantsOf(item).length > 0 ? variantsOf(item).map((c) => bySku(`${String(item.number)}-${c}`)) : [bySku(item.number)]); // prettier-ignore
    const attribute = (await all('lightspeed', 'variant_attributes')).filter((a) => a.name === 'Variant');
    expect(attribute).toHaveLength(1);
    for (const item of families) {
      const [parent, child] = productsOf(item);
      expect(bySku(item.number), String(item.number)).toBeUndefined();
      expect(parent).toMatchObject({ has_variants: true, variant_parent_id: null, variant_options: [{ id: attribute[0]!.id, name: 'Variant', value: 'BLACK' }] }); // prettier-ignore
      expect(child).toMatchObject({ has_variants: false, variant_parent_id: parent!.id, variant_options: [{ id: attribute[0]!.id, name: 'Variant', value: 'WHITE' }], variant_name: `${String(item.displayName)} / WHITE` }); // prettier-ignore
      // The item's EAN names the item, not one of its variants: the members get none.
      for (const member of [parent!, child!]) expect(member.product_codes).toEqual([]);
    }
    const categories = await all('lightspeed', 'product_types');
    expect(categories.length - categoriesBefore.length).toBe(4);
    expect(categories.map((c) => c.name)).toEqual(expect.arrayContaining(Object.values(CATEGORY_NAMES)));
    for (const item of sellable) {
      for (const product of productsOf(item)) {
        expect(product, String(item.number)).toMatchObject({ name: item.displayName, description: item.displayName, is_active: false, price_excluding_tax: item.unitPrice, supply_price: item.unitCost }); // prettier-ignore
        expect((product.type as { name: string }).name).toBe(CATEGORY_NAMES[String(item.itemCategoryCode)]);
      }
    }

    // BC holds one picture per item; the three demo items with one have it as their product's only image.
    const images = await all('lightspeed', 'product_images');
    const withPicture = sellable.filter((i) => pictures.some((p) => p.id === i.id && Number(p.width) > 0));
    expect(withPicture.map((i) => i.number).sort()).toEqual(['1000', '1010', '1020']);
    expect(images).toHaveLength(3);
    for (const item of withPicture) {
      // A family's image is its parent's (the one product the flow's record writes first).
      const product = productsOf(item)[0]!;
      const picture = pictures.find((p) => p.id === item.id)!;
      const image = images.find((i) => i.product_id === product.id)!;
      const bytes = Buffer.from(String(picture.pictureContent), 'base64');
      expect(image).toMatchObject({ status: 'uploaded', content_sha256: createHash('sha256').update(bytes).digest('hex') }); // prettier-ignore
      expect(product.images).toEqual([expect.objectContaining({ id: image.id })]);
    }
    const withoutImage = sellable.flatMap((i) => (withPicture.includes(i) ? productsOf(i).slice(1) : productsOf(i)));
    for (const product of withoutImage) expect(product.images, String(product.sku)).toEqual([]);

    // BC gets a third variant of 1010: Lightspeed's API cannot add it to the family, so the run says so.
    await addBcVariant(String(sellable.find((i) => i.number === '1010')!.id), 'RED');

    // The shop enriches a description in Lightspeed; the published flow runs over every item again.
    const enriched = productsOf(sellable.find((i) => i.number === '1000')!)[1]!;
    await editInLightspeed(String(enriched.id), { description: '<p>Solid oak, hand finished.</p>' });
    const again = await h.run(FLOW, { since: '2000-01-01T00:00:00Z' });
    expect(again.summary?.counts).toMatchObject({ created: 0, updated: 27, filtered: 3, failed: 0 });
    expect(again.summary?.warnings).toEqual([
      "Lightspeed product family 1010: variant 1010-RED not added — Lightspeed's API (2.0 spec) cannot add a variant to an existing family; add it in Lightspeed",
    ]);
    const after = (await all('lightspeed', 'products')).filter((p) => !before.has(p.id));
    // The families were found by their variants' SKUs and updated in place: nothing new, nothing twice.
    expect(after.map((p) => p.id).sort()).toEqual(created.map((p) => p.id).sort());
    // A family's description is common to its members: enriched on one, kept on both.
    const enrichedFamily = after.filter((p) => p.name === enriched.name);
    expect(enrichedFamily.map((p) => [p.sku, p.description])).toEqual([['1000-BLACK', '<p>Solid oak, hand finished.</p>'], ['1000-WHITE', '<p>Solid oak, hand finished.</p>']]); // prettier-ignore
    // Publishing is on create only: the drafts stay drafts; prices and names follow BC.
    for (const item of sellable) {
      for (const product of productsOf(item)) {
        expect(after.find((p) => p.id === product.id), String(product.sku)).toMatchObject({ is_active: false, price_excluding_tax: item.unitPrice }); // prettier-ignore
      }
    }
    expect((await all('lightspeed', 'variant_attributes')).filter((a) => a.name === 'Variant')).toHaveLength(1);
    expect(await all('lightspeed', 'product_images')).toHaveLength(3);
    expect(await all('lightspeed', 'product_types')).toHaveLength(categories.length);
  });
});
