import { describe, expect, it } from 'vitest';
import { ConnectorRegistry, builtInConnectors, defaultRegistry } from './registry.js';

describe('connector registry', () => {
  it('registers the built-in connectors with complete, serialisable descriptors', () => {
    const registry = defaultRegistry();
    expect(registry.ids()).toEqual(['file', 'http', 'business-central', 'acumatica', 'lightspeed']);
    for (const d of registry.descriptors()) {
      expect(d.name).not.toBe('');
      expect(d.icon).not.toBe('');
      expect(d.nodeKinds.length).toBeGreaterThan(0);
      // Crosses IPC/HTTP to the UI: must survive JSON.
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);
      for (const kind of d.nodeKinds) {
        const schemas: Record<string, unknown> = {
          source: d.sourceConfigSchema,
          destination: d.destinationConfigSchema,
          lookup: d.lookupConfigSchema,
        };
        const schema = schemas[kind];
        expect(schema, `${d.id} ${kind} schema`).toMatchObject({ type: 'object' });
      }
    }
  });

  it('marks secret connection fields so forms render them as keychain fields', () => {
    const http = defaultRegistry().get('http')!.descriptor;
    const props = (http.connectionSchema as { properties: Record<string, { secret?: boolean }> }).properties;
    expect(props.token?.secret).toBe(true);
    expect(props.password?.secret).toBe(true);
    expect(props.baseUrl?.secret).toBeUndefined();
  });

  it('refuses two connectors with one id', () => {
    const [file] = builtInConnectors();
    expect(() => new ConnectorRegistry([file!, file!])).toThrow('connector id "file" registered twice');
  });
});
