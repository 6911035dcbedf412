import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../host/dispatch.js';
import { type ServiceHarness, serviceOverExamples } from '../../host/testing/service-harness.js';
import { acumaticaCatalog, acumaticaVersions } from './catalog.js';
import { acuConnectionSettingsSchema, acuDescriptor } from './descriptor.js';
import { acumaticaEntities } from './index.js';

let harness: ServiceHarness | undefined;
afterEach(() => harness?.close());

describe('Acumatica descriptor', () => {
  it('says both modes are reached directly, and offers the shipped endpoint versions (newest by default)', () => {
    const props = (acuDescriptor.connectionSchema as { properties: Record<string, Record<string, unknown>> })
      .properties;
    expect(String(props.mode!.description)).toContain('no agent');
    expect(props.endpointVersion!.enum).toEqual(expect.arrayContaining([...acumaticaVersions('MANUFACTURING')]));
    expect(props.password!.secret).toBe(true);
    expect(props.clientSecret!.secret).toBe(true);
    expect(props.refreshToken!.secret).toBe(true);
    expect(acuDescriptor.defaultConcurrency).toBe(2);
    const palette = acuDescriptor.entities!.map((e) => e.name);
    expect(palette).toEqual(
      acumaticaCatalog('Default')
        .entities.filter((e) => e.topLevel)
        .map((e) => e.name),
    );
    expect(acuDescriptor.entities!.find((e) => e.name === 'SalesOrder')).toMatchObject({
      key: ['OrderType', 'OrderNbr'],
      // SalesOrder's delta field in the Default endpoint is LastModified (most entities: LastModifiedDateTime).
      deltaField: 'LastModified',
      fields: expect.arrayContaining([
        { name: 'OrderTotal', type: 'number' },
        { name: 'Details', type: 'array', description: 'SalesOrderDetail details (read with expand)' },
      ]),
    });
  });

  it('validates a connection: what each auth needs, versions of the chosen endpoint, a URL before /entity', () => {
    const problems = (settings: Record<string, unknown>) => {
      const result = acuConnectionSettingsSchema.safeParse(settings);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems({ instanceUrl: 'https://erp.example/AcumaticaERP', username: 'admin' })).toEqual([]);
    expect(problems({ instanceUrl: 'https://erp.example', auth: 'oauth-code' })).toEqual([
      'clientId: OAuth 2.0 needs the client ID of the connected application',
    ]);
    expect(problems({ instanceUrl: 'https://erp.example/entity/Default', username: 'a' })).toEqual([
      'instanceUrl: the instance URL ends before /entity',
    ]);
    expect(
      problems({
        instanceUrl: 'https://x.example',
        username: 'a',
        endpoint: 'eCommerce',
        endpointVersion: '21.200.001',
      }),
    ).toEqual([
      // prettier-ignore
      'endpointVersion: the eCommerce endpoint ships in 20.200.001, 22.200.001, 23.200.001, 24.200.001',
    ]);
  });

  it("a connection's endpoint picks the entity catalog (MANUFACTURING entities appear when it is chosen)", async () => {
    const base = { instanceUrl: 'https://erp.example', username: 'admin' };
    expect(acumaticaEntities(base).map((e) => e.name)).not.toContain('ProductionOrder');
    const manufacturing = acumaticaEntities({ ...base, endpoint: 'MANUFACTURING', endpointVersion: '23.100.001' });
    expect(manufacturing.map((e) => e.name)).toContain('ProductionOrder');

    harness = await serviceOverExamples();
    const { service, ws } = harness;
    await writeFile(
      join(ws, 'connections/mfg.connection.json'),
      JSON.stringify({ schemaVersion: 1, id: 'mfg', name: 'Mfg', connector: 'acumatica', settings: { ...base, endpoint: 'MANUFACTURING' } }), // prettier-ignore
    );
    await dispatch(service.handlers, 'openWorkspace', { dir: ws });
    const listed = await dispatch(service.handlers, 'listEntities', { connectorId: 'acumatica', connectionId: 'mfg' });
    expect(listed.ok && (listed.value as { name: string }[]).map((e) => e.name)).toContain('ProductionOrder');
    const palette = await dispatch(service.handlers, 'listEntities', { connectorId: 'acumatica' });
    expect(palette.ok && (palette.value as { name: string }[]).map((e) => e.name)).not.toContain('ProductionOrder');
  });
});
