import { z } from 'zod';
import { idSchema } from './json-value.js';

export const CONNECTION_SCHEMA_VERSION = 1;

/** A secret is never in the file: the file names the secret's id; the value lives in the keychain (or env / vault). */
export const secretRefSchema = z.looseObject({ secret: z.string().min(1) });
export type SecretRef = z.infer<typeof secretRefSchema>;

export const connectionFileSchema = z.looseObject({
  schemaVersion: z.literal(CONNECTION_SCHEMA_VERSION),
  id: idSchema,
  name: z.string().min(1),
  connector: z.string().min(1),
  /** Non-secret settings, validated by the connector's descriptor. */
  settings: z.record(z.string(), z.unknown()),
  /** field name → secret reference. */
  secrets: z.record(z.string(), secretRefSchema).optional(),
});
export type ConnectionFile = z.infer<typeof connectionFileSchema>;

/** The keychain account of a connection's secret field: `<workspace-id>/<connection-id>/<field>`. */
export function secretAccount(workspaceId: string, connectionId: string, field: string): string {
  return `${workspaceId}/${connectionId}/${field}`;
}
