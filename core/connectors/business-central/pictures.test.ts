/** A source with `pictures`: items' picture expanded, the bytes of those with an image fetched, against the emulator. */
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordData } from '../../engine/record.js';
import { connect } from './connect.js';
import { bcSourceConfigSchema } from './descriptor.js';
import { BC_DEMO, startBcEmulator } from './emulator/index.js';
import { createSourceReader } from './source.js';
import { bcContext, fakeClock } from './test-support.js';

const USA = BC_DEMO.companies.usa.id;
const signal = new AbortController().signal;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function readItems(config: Record<string, unknown>, apiVersion = 'v2.0') {
  const bc = await startBcEmulator({});
  cleanups.push(() => bc.close());
  const settings = { mode: 'on-premise', baseUrl: `${bc.url}/${BC_DEMO.instance}`, apiVersion, username: BC_DEMO.userName, company: USA }; // prettier-ignore
  const ctx = bcContext(settings, { password: BC_DEMO.password });
  const connected = await connect(ctx, { clock: fakeClock(), random: () => 0.5 });
  cleanups.push(() => connected.close());
  await connected.client.useCompany(USA, signal);
  const parsed = bcSourceConfigSchema.parse({ entity: 'items', ...config });
  const reader = createSourceReader(connected.client, parsed, ctx, async () => {});
  const records: RecordData[] = [];
  for await (const page of reader.pages({ pageSize: 100, signal })) records.push(...page.records);
  return { records, sent: connected.client.transport.sent };
}

describe('Business Central source: pictures', () => {
  it('brings each item’s picture, with the image bytes (base64) of the items that have one', async () => {
    const { records, sent } = await readItems({ fields: ['number', 'displayName'], pictures: true });
    const withImage = records.filter((r) => (r.picture as RecordData).pictureContent !== undefined);
    expect(withImage.map((r) => r.number).sort()).toEqual(['1000', '1010', '1020']);
    for (const item of withImage) {
      const picture = item.picture as RecordData;
      expect(picture).toMatchObject({ width: 4, height: 4, contentType: 'image/png' });
      expect(Buffer.from(String(picture.pictureContent), 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    }
    expect(records.find((r) => r.number === '1030')!.picture).toMatchObject({ width: 0, contentType: '' });
    // One page of items, then one request per item with an image.
    expect(sent).toBe(1 + 3);
  });

  it('is refused on API v1.0, whose picture is another shape', async () => {
    await expect(readItems({ pictures: true }, 'v1.0')).rejects.toThrow(/pictures: items have no picture/);
  });

  it('without the option, no picture and no extra request', async () => {
    const { records, sent } = await readItems({ fields: ['number'] });
    expect(records[0]).not.toHaveProperty('picture');
    expect(sent).toBe(1);
  });
});
