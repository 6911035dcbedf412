import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValueMapFile } from '../model/mapping.js';
import { dispatch } from './dispatch.js';
import { type ServiceHarness, serviceOverExamples } from './testing/service-harness.js';

let tmp: ServiceHarness;

beforeEach(async () => {
  tmp = await serviceOverExamples({ watch: false });
  await tmp.service.open(tmp.ws);
});
afterEach(() => tmp.close());

async function call(name: string, input: unknown) {
  return dispatch(tmp.service.handlers, name, input);
}
async function ok<T>(name: string, input: unknown): Promise<T> {
  const result = await call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as T;
}

const terms = {
  schemaVersion: 1,
  name: 'Payment terms',
  entries: [
    { from: '14', to: 'NET14' },
    { from: '30', to: 'NET30' },
  ],
  fallback: { kind: 'value', value: 'NET30' },
};

describe('value map methods', () => {
  it('create (id from the name), list, edit in place and delete', async () => {
    expect(await ok('listValueMaps', {})).toEqual([]);
    const saved = await ok<ValueMapFile>('saveValueMap', { valueMap: terms });
    expect(saved.id).toBe('payment-terms');
    const text = await readFile(join(tmp.ws, 'value-maps/payment-terms.value-map.json'), 'utf8');
    expect(JSON.parse(text)).toEqual({ ...terms, id: 'payment-terms' });

    await ok('saveValueMap', { valueMap: { ...terms, name: 'Shipping', entries: [], fallback: { kind: 'keep' } } });
    const list = await ok<ValueMapFile[]>('listValueMaps', {});
    expect(list.map((m) => m.id)).toEqual(['payment-terms', 'shipping']);

    await ok('saveValueMap', { valueMap: { ...saved, fallback: { kind: 'fail' } } });
    expect((await ok<ValueMapFile[]>('listValueMaps', {}))[0]!.fallback).toEqual({ kind: 'fail' });

    expect(await ok('deleteValueMap', { valueMapId: 'payment-terms' })).toEqual({});
    expect((await ok<ValueMapFile[]>('listValueMaps', {})).map((m) => m.id)).toEqual(['shipping']);
  });

  it('refuses a second map of the same name, bad input by field, and deleting what is not there', async () => {
    await ok('saveValueMap', { valueMap: terms });
    const twice = await call('saveValueMap', { valueMap: { ...terms, name: ' payment TERMS ' } });
    expect(twice).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^name: /) } });
    const bad = await call('saveValueMap', { valueMap: { ...terms, fallback: { kind: 'guess' } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!bad.ok && bad.error.message).toMatch(/^valueMap\.fallback\.kind: /);
    expect(await call('deleteValueMap', { valueMapId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'no value map "nope" in this workspace' },
    });
  });

  it('does not give a new map the id of a file that is broken on disk', async () => {
    await mkdir(join(tmp.ws, 'value-maps'), { recursive: true });
    await writeFile(join(tmp.ws, 'value-maps/payment-terms.value-map.json'), '{ broken');
    const saved = await ok<ValueMapFile>('saveValueMap', { valueMap: terms });
    expect(saved.id).toBe('payment-terms-2');
    expect(await ok('deleteValueMap', { valueMapId: 'payment-terms' })).toEqual({});
  });
});
