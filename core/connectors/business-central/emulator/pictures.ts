// Pictures as BC v2.0 serves them ($metadata: EntityType picture, contained in item/customer/vendor/employee/contact
// through the single navigation `picture`, keyed by the parent's id). Every parent answers one: a parent without an
// image has width 0, height 0 and an empty contentType (BC's picture API page fills these from the parent's media).
// `pictureContent` is an Edm.Stream: it is never inline in JSON — with
// odata.metadata=minimal the media links follow the convention and are left out (OData JSON Format 4.0 §8.3) — and
// `GET …/picture/pictureContent` answers the bytes with the picture's content type (204 when there are none).
import { deflateSync } from 'node:zlib';
import type { ApiResponse } from './context.js';
import type { StoredRow } from './store.js';
import type { Row } from './values.js';

/** The parent sets and their `parentType` member (Microsoft.NAV.pictureEntityParentType). */
const PARENT_TYPES: Record<string, string> = {
  items: 'Item',
  customers: 'Customer',
  vendors: 'Vendor',
  employees: 'Employee',
  contacts: 'Contact',
};

/** The stored picture of a parent row, or the empty one BC answers for a parent without an image. */
export function pictureOrEmpty(parentSet: string, parent: StoredRow, stored: StoredRow | undefined): StoredRow {
  if (stored) return stored;
  const row: Row = { id: parent.row.id, parentType: PARENT_TYPES[parentSet] ?? 'Item', width: 0, height: 0, contentType: '', pictureContent: null }; // prettier-ignore
  return { row, version: parent.version };
}

/** `GET …/picture/pictureContent`: the image's bytes (stored as base64 in the row). */
export function pictureContent(stored: StoredRow): ApiResponse {
  const content = stored.row.pictureContent;
  if (typeof content !== 'string' || content === '') return { status: 204, headers: { 'OData-Version': '4.0' } };
  const bytes = Buffer.from(content, 'base64');
  const type = String(stored.row.contentType || 'application/octet-stream');
  return { status: 200, headers: { 'Content-Type': type, 'Content-Length': String(bytes.length) }, bytes };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small solid-colour PNG (8-bit RGB), the same bytes on every machine: the demo items' pictures. */
export function solidPng(width: number, height: number, rgb: readonly [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const line = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => line));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]); // prettier-ignore
}

/** The seed's picture row of an item: a 4×4 PNG in one of a few colours. */
export function demoPictureRow(itemId: unknown, n: number): Row {
  const colours = [[200, 60, 40], [40, 120, 200], [60, 160, 80]] as const; // prettier-ignore
  const png = solidPng(4, 4, colours[n % colours.length]!);
  return { id: itemId, parentType: 'Item', width: 4, height: 4, contentType: 'image/png', pictureContent: png.toString('base64') }; // prettier-ignore
}
