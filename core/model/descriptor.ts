import type { NodeKind } from './flow.js';

/**
 * What the UI and CLI know of a connector, serialisable across IPC/HTTP. Config forms are JSON Schema generated
 * from the connector's zod schemas (with form hints in `meta`), so a form and its validation never disagree.
 */
export interface JsonSchemaObject {
  [key: string]: unknown;
}

export interface EntityField {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'object' | 'array' | 'unknown';
  required?: boolean;
  readOnly?: boolean;
  description?: string;
}

export interface EntityDescriptor {
  name: string;
  label?: string;
  key?: string[];
  deltaField?: string;
  fields: EntityField[];
  capabilities: { read: boolean; create: boolean; update: boolean; delete: boolean };
}

export interface ConnectorDescriptor {
  id: string;
  name: string;
  description: string;
  icon: string;
  /** Node kinds this connector can be used as. */
  nodeKinds: NodeKind[];
  /** Secret fields are marked with `"secret": true` in the schema. */
  connectionSchema?: JsonSchemaObject;
  sourceConfigSchema?: JsonSchemaObject;
  destinationConfigSchema?: JsonSchemaObject;
  lookupConfigSchema?: JsonSchemaObject;
  authKinds?: string[];
  entities?: EntityDescriptor[];
  /** Records per destination write call. */
  defaultBatchSize?: number;
}
