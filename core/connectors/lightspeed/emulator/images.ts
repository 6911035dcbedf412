// Product images (POST /api/2.0/products/{product_id}/actions/image_upload, UploadImage): the body is
// multipart/form-data with the file in the field `image`, jpg or png (the spec's note, and
// docs/products_image_upload_basics: base64 is not accepted). The answer is 201 with the Image (id, product_id,
// position, status); the product then lists it in `images` ({id, url, version}) and its `image_url` shows it.
// Uploads are kept in `product_images` with the size and SHA-256 of the bytes (emulator-only, for tests) and counted.
import { createHash } from 'node:crypto';
import { badRequest, notFound } from './errors.js';
import { refreshDerived } from './products.js';
import type { LsRecord, LsStore } from './store.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** The bytes of the multipart field `name`, or undefined (RFC 7578). */
export function multipartField(contentType: string, body: Buffer, name: string): Buffer | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('latin1');
    if (new RegExp(`name="${name}"`, 'i').test(headers)) return part.subarray(split + 4);
    start = next;
  }
  return undefined;
}

export function uploadImage(store: LsStore, productId: string, contentType: string, raw: Buffer): LsRecord {
  const product = store.get('products', productId);
  if (!product || product.deleted_at) throw notFound(`product ${productId}`);
  const bytes = multipartField(contentType, raw, 'image');
  if (!bytes) throw badRequest('image: expected a multipart/form-data body with the file in the field "image"');
  const kind = bytes.subarray(0, 4).equals(PNG) ? 'png' : bytes.subarray(0, 3).equals(JPEG) ? 'jpg' : undefined;
  if (!kind) throw badRequest('image: the file is not a jpg or png image');
  const position = ((product.images ?? []) as unknown[]).length;
  const image = store.put('product_images', { id: store.newId(), product_id: productId, position, status: 'uploaded', content_size: bytes.length, content_sha256: createHash('sha256').update(bytes).digest('hex') }); // prettier-ignore
  const url = `https://images.ferrydemo.example/product-images/${image.id}.${kind}`;
  const images = [...((product.images ?? []) as object[]), { id: image.id, url, version: image.version }];
  refreshDerived(store, { ...product, images });
  return image;
}

/** The Image as the API answers it (without the emulator's size and hash). */
export function imageJson(image: LsRecord): Record<string, unknown> {
  const { content_size: _s, content_sha256: _h, ...rest } = image;
  return rest;
}
