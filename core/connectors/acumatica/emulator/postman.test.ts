import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acumaticaSpecDir } from '../../../../scripts/generate-acumatica-catalog.js';
import { PostmanRunner, type PostmanCollection } from './postman-runner.js';
import { ACUMATICA_DEMO } from './seed.js';
import { T2MCRO_JPG } from './seed-training.js';
import { type AcumaticaEmulator, startAcumaticaEmulator } from './server.js';

// Acumatica's training collections, run against the emulator as the Postman runner would run them against the
// training instance: only the environment changes (the emulator's address and credentials).
async function collection(name: string): Promise<PostmanCollection> {
  return JSON.parse(await readFile(path.join(acumaticaSpecDir, 'postman', name), 'utf8')) as PostmanCollection;
}

describe('the training collections against the emulator', () => {
  let acu: AcumaticaEmulator;
  // A fixed clock: "today" for the collections' moment() and for the records they modify.
  const now = () => Date.parse('2025-06-02T10:00:00Z');

  beforeEach(async () => {
    acu = await startAcumaticaEmulator({ clock: now });
  });
  afterEach(async () => {
    await acu.close();
  });

  const environment = () => ({
    BaseURL: acu.url,
    Username: ACUMATICA_DEMO.userName,
    Password: ACUMATICA_DEMO.password,
    Tenant: ACUMATICA_DEMO.tenant,
    Branch: ACUMATICA_DEMO.branch,
    ClientID: ACUMATICA_DEMO.clientId,
    ClientSecret: ACUMATICA_DEMO.clientSecret,
  });

  it.each([
    'I300_OData.postman_collection.json',
    'I310_REST.postman_collection.json',
    'I320_REST.postman_collection.json',
    'I330_REST.postman_collection.json',
  ])('%s: every request is sent and answered as its tests expect', async (file) => {
    const source = await collection(file);
    const runner = new PostmanRunner(source, {
      environment: environment(),
      files: { 'SourceFiles/T2MCRO.jpg': T2MCRO_JPG },
      now,
    });
    const results = await runner.run();
    const failures = results.flatMap((r) => r.tests.filter((t) => !t.passed).map((t) => `${r.name} (${r.status}): ${t.name}: ${t.error}`)); // prettier-ignore
    expect(failures).toEqual([]);
    // Every request of the collection ran (the polling request of I330 runs twice: 202, then 204).
    expect(new Set(results.map((r) => r.name))).toEqual(new Set(runner.requestNames));
    // Every pm.test of every script reported (none skipped by a script error or a missing callback).
    expect(results.filter((r) => r.tests.length !== r.expectedTests).map((r) => r.name)).toEqual([]);
    expect(results.reduce((n, r) => n + r.tests.length, 0)).toBeGreaterThan(results.length);
    // Every session the collection opened was closed again by its own sign-out requests.
    expect(acu.stats.openSessions).toBe(0);
  });
});
