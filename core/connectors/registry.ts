import type { ConnectorDescriptor } from '../model/descriptor.js';
import { acumaticaConnector } from './acumatica/index.js';
import { businessCentralConnector } from './business-central/index.js';
import { fileConnector } from './file/index.js';
import { httpConnector } from './http/index.js';
import { lightspeedConnector } from './lightspeed/index.js';
import type { Connector } from './types.js';

/** The connectors a host knows. Adding a connector touches only its folder and this list. */
export class ConnectorRegistry {
  private readonly byId = new Map<string, Connector>();
  constructor(connectors: readonly Connector[]) {
    for (const c of connectors) {
      if (this.byId.has(c.descriptor.id)) throw new Error(`connector id "${c.descriptor.id}" registered twice`);
      this.byId.set(c.descriptor.id, c);
    }
  }
  get(id: string): Connector | undefined {
    return this.byId.get(id);
  }
  ids(): string[] {
    return [...this.byId.keys()];
  }
  descriptors(): ConnectorDescriptor[] {
    return [...this.byId.values()].map((c) => c.descriptor);
  }
}

export function builtInConnectors(): Connector[] {
  return [fileConnector, httpConnector, businessCentralConnector, acumaticaConnector, lightspeedConnector];
}

export function defaultRegistry(): ConnectorRegistry {
  return new ConnectorRegistry(builtInConnectors());
}
