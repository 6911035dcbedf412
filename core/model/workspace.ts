import { z } from 'zod';
import { errorPolicySchema } from './flow.js';
import { idSchema } from './json-value.js';

export const WORKSPACE_SCHEMA_VERSION = 1;
export const WORKSPACE_FILE = 'ferry.workspace.json';

export const workspaceDefaultsSchema = z.looseObject({
  errorPolicy: errorPolicySchema.optional(),
  /** Records per page flowing through the graph; bounds memory together with destination batch sizes. */
  pageSize: z.number().int().min(1).max(100_000).optional(),
  /** Which per-record outcomes the run history keeps: all, or only changes (created/updated/skipped) and failures. */
  recordHistory: z.enum(['all', 'changes', 'failures']).optional(),
});
export type WorkspaceDefaults = z.infer<typeof workspaceDefaultsSchema>;

export const workspaceFileSchema = z.looseObject({
  schemaVersion: z.literal(WORKSPACE_SCHEMA_VERSION),
  /** Stable identity: keys run state and keychain entries, so renaming the folder loses nothing. */
  id: idSchema,
  name: z.string().min(1),
  defaults: workspaceDefaultsSchema.optional(),
});
export type WorkspaceFile = z.infer<typeof workspaceFileSchema>;
