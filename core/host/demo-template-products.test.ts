import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoDataPage } from '../model/demo-contract.js';
import { type DemoHarness, demoHarness } from './testing/demo-harness.js';

/**
 * Template 2, BC items → Lightspeed products, as a trainer runs it against the demo systems: categories by name
 * (created in Lightspeed once), the item's one picture uploaded once, drafts or published, and the description
 * written on create only — the exact state of the Lightspeed store after each run.
 */
let h: DemoHarness;
beforeEach(async () => {
  h = await demoHarness({ open: true });
});
afterEach(() => h.close());

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

describe('template: BC items → Lightspeed products', () => {
  it('drafts with categories and images; a re-run updates them, keeps what Lightspeed enriched and uploads nothing again', async () => {
    await h.ok('startDemoSystems', {});
    const sellable = (await all('business-central', 'items')).filter((i) => i.type === 'Inventory' && i.blocked !== true); // prettier-ignore
    const pictures = await all('business-central', 'pictures');
    const before = new Set((await all('lightspeed', 'products')).map((p) => p.id));
    const categoriesBefore = await all('lightspeed', 'product_types');

    // A second flow from the template, creating drafts.
    const drafts = await h.ok('createFlowFromTemplate', { templateId: 'bc-items-to-lightspeed-products', settings: { publish: false }, connections: {}, name: 'Drafts' }); // prettier-ignore
    const first = await h.run(drafts.flow.id);
    expect(first.summary?.counts).toMatchObject({ created: 27, updated: 0, filtered: 3, failed: 0 });

    const created = (await all('lightspeed', 'products')).filter((p) => !before.has(p.id));
    expect(created).toHaveLength(27);
    const bySku = (sku: unknown) => created.find((p) => p.sku === sku)!;
    const categories = await all('lightspeed', 'product_types');
    expect(categories.length - categoriesBefore.length).toBe(4);
    expect(categories.map((c) => c.name)).toEqual(expect.arrayContaining(Object.values(CATEGORY_NAMES)));
    for (const item of sellable) {
      const product = bySku(item.number);
      expect(product, String(item.number)).toMatchObject({ name: item.displayName, description: item.displayName, is_active: false }); // prettier-ignore
      expect((product.type as { name: string }).name).toBe(CATEGORY_NAMES[String(item.itemCategoryCode)]);
    }

    // BC holds one picture per item; the three demo items with one have it as their product's only image.
    const images = await all('lightspeed', 'product_images');
    const withPicture = sellable.filter((i) => pictures.some((p) => p.id === i.id && Number(p.width) > 0));
    expect(withPicture.map((i) => i.number).sort()).toEqual(['1000', '1010', '1020']);
    expect(images).toHaveLength(3);
    for (const item of withPicture) {
      const product = bySku(item.number);
      const picture = pictures.find((p) => p.id === item.id)!;
      const image = images.find((i) => i.product_id === product.id)!;
      const bytes = Buffer.from(String(picture.pictureContent), 'base64');
      expect(image).toMatchObject({ status: 'uploaded', content_sha256: createHash('sha256').update(bytes).digest('hex') }); // prettier-ignore
      expect(product.images).toEqual([expect.objectContaining({ id: image.id })]);
    }
    for (const item of sellable.filter((i) => !withPicture.includes(i))) expect(bySku(item.number).images).toEqual([]);

    // The shop enriches a description in Lightspeed; the published flow runs over every item again.
    const enriched = bySku('1000');
    await editInLightspeed(String(enriched.id), { description: '<p>Solid oak, hand finished.</p>' });
    const again = await h.run(FLOW, { since: '2000-01-01T00:00:00Z' });
    expect(again.summary?.counts).toMatchObject({ created: 0, updated: 27, filtered: 3, failed: 0 });
    const after = (await all('lightspeed', 'products')).filter((p) => !before.has(p.id));
    expect(after).toHaveLength(27);
    expect(after.find((p) => p.id === enriched.id)!.description).toBe('<p>Solid oak, hand finished.</p>');
    // Publishing is on create only: the drafts stay drafts; prices and names follow BC.
    for (const item of sellable) {
      expect(after.find((p) => p.sku === item.number), String(item.number)).toMatchObject({ is_active: false, price_excluding_tax: item.unitPrice }); // prettier-ignore
    }
    expect(await all('lightspeed', 'product_images')).toHaveLength(3);
    expect(await all('lightspeed', 'product_types')).toHaveLength(categories.length);
  });
});
