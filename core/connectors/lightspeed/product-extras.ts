/**
 * Two product fields Ferry adds to Lightspeed's own, because the API takes them as separate resources:
 * - `product_category_name`: the category by its name (the full path, "Parent / Child", for a nested one). The
 *   categories are read once per run (GET /api/2.0/product_categories) and a missing one is created as a root
 *   category (POST /api/2.0/product_categories/bulk) — the API allows it, so no value map of ids is needed; the
 *   product gets its id as `product_category_id` ("Product types are now product categories").
 * - `image`: a jpg or png, as base64 (or a `data:` URL), uploaded after the write with
 *   POST /api/2.0/products/{id}/actions/image_upload (multipart/form-data, field `image`; base64 bodies are not
 *   accepted). Uploaded when the product is created, or updated while it has no image in Lightspeed. Lightspeed keeps
 *   no fingerprint of an uploaded image to compare with, so a changed picture is not sent again over an image the
 *   product has (it would add a second image each run); replacing it is left to Lightspeed's back office.
 */
import type { RecordData } from '../../engine/record.js';
import type { EntityField } from '../../model/descriptor.js';
import type { LsClient } from './client.js';
import { NamedIds } from './named-ids.js';

export const PRODUCT_EXTRA_FIELDS: EntityField[] = [
  { name: 'product_category_name', type: 'string', description: 'Ferry: the product category by name ("Parent / Child" for a nested one); created in Lightspeed when missing' }, // prettier-ignore
  { name: 'image', type: 'string', description: 'Ferry: a jpg or png as base64, uploaded on create, or on update while the product has no image' }, // prettier-ignore
];
const EXTRA = new Set(PRODUCT_EXTRA_FIELDS.map((f) => f.name));

export interface ProductExtras {
  data: RecordData;
  category?: string;
  image?: Buffer;
}

/** Takes Ferry's fields out of a product record; an image that is not a jpg or png base64 is an error. */
export function splitProductExtras(data: RecordData): ProductExtras | { error: string } {
  if (!Object.keys(data).some((k) => EXTRA.has(k))) return { data };
  const { product_category_name: category, image, ...rest } = data;
  const out: ProductExtras = { data: rest };
  if (category !== undefined && category !== null && String(category).trim() !== '') out.category = String(category).trim(); // prettier-ignore
  if (image !== undefined && image !== null && image !== '') {
    const text = String(image).replace(/^data:image\/[a-z]+;base64,/i, '');
    const bytes = /^[A-Za-z0-9+/=\s]+$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
    const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const jpg = bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
    if (!png && !jpg) return { error: 'image: expected a jpg or png as base64' };
    out.image = bytes;
  }
  return out;
}

interface Category {
  id: string;
  category_path?: { name: string }[];
  name?: string;
}

/** Category ids by path for one run (named-ids.ts). */
export class CategoryIndex extends NamedIds {
  constructor(private readonly client: LsClient) {
    super();
  }

  protected async load(signal: AbortSignal): Promise<Map<string, string>> {
    const byPath = new Map<string, string>();
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ page_size: '1000', ...(after ? { after } : {}) });
      const url = this.client.api(`/product_categories?${query.toString()}`);
      const page = (await this.client.json({ method: 'GET', url, signal })) as { page_info?: { has_next?: boolean; last_seen?: string }; data?: { categories?: Category[] } }; // prettier-ignore
      for (const c of page?.data?.categories ?? []) {
        const path = c.category_path?.length ? c.category_path.map((s) => s.name).join(' / ') : String(c.name ?? '');
        byPath.set(path.toLowerCase(), c.id);
      }
      if (!page?.page_info?.has_next || !page.page_info.last_seen || page.page_info.last_seen === after) return byPath;
      after = page.page_info.last_seen;
    }
  }

  protected async create(name: string, signal: AbortSignal): Promise<string> {
    const result = await this.client.write('POST', '/api/2.0/product_categories/bulk', { categories: [{ name }] }, signal); // prettier-ignore
    const created = result.kind === 'ok' ? (result.record as unknown as Category[])[0] : undefined;
    if (!created?.id) throw new Error(`category "${name}": Lightspeed did not create it (${result.kind === 'refused' ? result.message : result.kind === 'uncertain' ? result.reason : 'no id in the answer'})`); // prettier-ignore
    return created.id;
  }
}

const CRLF = '\r\n';

/** Uploads an image to a product (multipart/form-data, field `image`); undefined when done, else the reason. */
export async function uploadImage(
  client: LsClient,
  productId: string,
  bytes: Buffer,
  signal: AbortSignal,
): Promise<string | undefined> {
  // prettier-ignore
  const png = bytes[0] === 0x89;
  const boundary = `ferry-${productId.replace(/[^a-z0-9]/gi, '')}`;
  const head = `--${boundary}${CRLF}Content-Disposition: form-data; name="image"; filename="image.${png ? 'png' : 'jpg'}"${CRLF}Content-Type: image/${png ? 'png' : 'jpeg'}${CRLF}${CRLF}`; // prettier-ignore
  const rawBody = Buffer.concat([Buffer.from(head, 'latin1'), bytes, Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'latin1')]); // prettier-ignore
  const url = client.api(`/products/${encodeURIComponent(productId)}/actions/image_upload`);
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  const result = await client.upload({ method: 'POST', url, rawBody, headers, signal });
  return result.kind === 'ok' ? undefined : result.kind === 'refused' ? `HTTP ${result.status}: ${result.message}` : result.reason; // prettier-ignore
}
