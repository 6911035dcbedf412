import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBcEmulator, type BcEmulator } from './server.js';
import { basicAuth, client, USA } from './test-support.js';

describe('Business Central emulator: item pictures (v2.0 picture, pictureContent as a media stream)', () => {
  let bc: BcEmulator;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    bc = await startBcEmulator({});
    api = client(bc);
  });
  afterAll(() => bc.close());

  const items = async () =>
    (await api.get(`companies(${USA})/items?$select=id,number&$orderby=number&$expand=picture`)).body.value as {
      id: string;
      number: string;
      picture: Record<string, unknown>;
    }[];

  it('expands every item’s picture: the seeded ones with their size and type, the others empty, never the stream inline', async () => {
    const all = await items();
    expect(all[0]!.picture).toMatchObject({ id: all[0]!.id, parentType: 'Item', width: 4, height: 4, contentType: 'image/png' }); // prettier-ignore
    expect(all[3]!.picture).toMatchObject({ id: all[3]!.id, parentType: 'Item', width: 0, height: 0, contentType: '' }); // prettier-ignore
    expect(all.filter((i) => Number(i.picture.width) > 0)).toHaveLength(3);
    for (const item of all) expect(item.picture).not.toHaveProperty('pictureContent');
    const single = await api.get(`companies(${USA})/items(${all[3]!.id})/picture`);
    expect(single.status).toBe(200);
    expect(single.body).toMatchObject({ width: 0, contentType: '' });
  });

  it('serves pictureContent as the image bytes (PNG), 204 for an item without one', async () => {
    const all = await items();
    const get = (id: string) =>
      fetch(`${api.root}/companies(${USA})/items(${id})/picture/pictureContent`, { headers: { Authorization: basicAuth() } }); // prettier-ignore
    const image = await get(all[0]!.id);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const other = Buffer.from(await (await get(all[1]!.id)).arrayBuffer());
    expect(other.equals(bytes)).toBe(false);
    expect((await get(all[3]!.id)).status).toBe(204);
    const patch = await api.patch(`companies(${USA})/items(${all[0]!.id})/picture/pictureContent`, {}, { 'If-Match': '*' }); // prettier-ignore
    expect(patch.status).toBe(405);
  });
});
