import { z } from 'zod';
import { type ApiMethodName, apiErrorCodes, apiMethodNames } from './api-names.js';
import { connectorDescriptorSchema, entityDescriptorSchema } from './descriptor.js';
import { connectionFileSchema } from './connection.js';
import {
  browseDemoDataInputSchema,
  createFlowFromTemplateInputSchema,
  demoDataPageSchema,
  demoEntitySchema,
  demoStatusSchema,
  startedDemoSchema,
  templateListSchema,
  templateResultSchema,
} from './demo-contract.js';
import { flowSchema } from './flow.js';
import { idSchema } from './json-value.js';
import {
  fetchSampleInputSchema,
  fetchSampleResultSchema,
  mappingFieldsInputSchema,
  mappingFieldsSchema,
  previewMappingInputSchema,
  previewMappingResultSchema,
  valueMapDraftSchema,
} from './mapper-contract.js';
import { valueMapFileSchema } from './mapping.js';
import { nodePreviewSchema, recordFailureSchema, runEventSchema, runStatusSchema, runSummarySchema } from './run.js';
import { authorizationEventSchema, authorizationStatusSchema, startedAuthorizationSchema } from './sign-in-contract.js';
import { workspaceDefaultsSchema } from './workspace.js';

/**
 * Every call and event between the UI and the engine, declared once. Electron main validates IPC with these
 * schemas (and checks the sender), `ferry serve` validates HTTP bodies with them, the preload exposes exactly
 * these method names, and the renderer's one client is typed from them.
 */

export const validationProblemSchema = z.object({
  file: z.string().optional(),
  path: z.string(),
  message: z.string(),
});

export const connectionSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  connector: z.string(),
  settings: z.record(z.string(), z.unknown()),
  /** Names of the secret fields the connection references; their values never leave the keychain. */
  secretFields: z.array(z.string()),
  /** The secret fields whose value the secret store holds (checked there, never read out to the UI). */
  storedSecrets: z.array(z.string()),
  /** The connection's concurrency pool settings, as in its file. */
  concurrency: connectionFileSchema.shape.concurrency,
});
export type ConnectionSummary = z.infer<typeof connectionSummarySchema>;

export const flowSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  nodeCount: z.number().int(),
});
export type FlowSummary = z.infer<typeof flowSummarySchema>;

export const workspaceSummarySchema = z.object({
  dir: z.string(),
  id: z.string(),
  name: z.string(),
  defaults: workspaceDefaultsSchema.optional(),
  flows: z.array(flowSummarySchema),
  connections: z.array(connectionSummarySchema),
  /** Files that could not be loaded (the rest of the workspace is usable). */
  problems: z.array(validationProblemSchema),
});
export type WorkspaceSummary = z.infer<typeof workspaceSummarySchema>;

export const recentWorkspaceSchema = z.object({ dir: z.string(), name: z.string(), openedAt: z.string() });
export type RecentWorkspace = z.infer<typeof recentWorkspaceSchema>;

export const flowDocumentSchema = z.object({
  flow: flowSchema,
  /** What the engine would refuse to run (missing connection, bad expression, ...), per node path. */
  problems: z.array(validationProblemSchema),
});
export type FlowDocument = z.infer<typeof flowDocumentSchema>;

export const runListItemSchema = z.object({
  runId: z.string(),
  flowId: z.string(),
  status: runStatusSchema,
  dryRun: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  summary: runSummarySchema.optional(),
});
export type RunListItem = z.infer<typeof runListItemSchema>;

export { nodePreviewSchema, type NodePreview } from './run.js';
export const PREVIEW_LIMIT = 20;

export const runDetailSchema = runListItemSchema.extend({
  previews: z.record(z.string(), nodePreviewSchema),
  failures: z.array(recordFailureSchema),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

const empty = z.object({});
const flowRef = z.object({ flowId: idSchema });
const connectionRef = z.object({ connectionId: idSchema });

/** A connection as the editor holds it: `id` absent for a new one (the service derives it from the name). */
export const connectionDraftSchema = z.object({
  id: idSchema.optional(),
  name: z.string().trim().min(1),
  connector: z.string().min(1),
  settings: z.record(z.string(), z.unknown()),
  /** Absent: an edited connection keeps the pool settings its file has. */
  concurrency: connectionFileSchema.shape.concurrency,
});
export type ConnectionDraft = z.infer<typeof connectionDraftSchema>;

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  /** What the test found, or the precise error (secrets redacted). */
  message: z.string(),
  details: z.array(z.string()).optional(),
  warnings: z.array(z.string()).optional(),
  /** Present when ok: lets `saveConnection` save exactly the tested values without authenticating again. */
  testToken: z.string().optional(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;

export const connectionUsageSchema = z.object({
  flows: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Connections that borrow this one's concurrency pool. */
  borrowers: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type ConnectionUsage = z.infer<typeof connectionUsageSchema>;

export const secretStoreStatusSchema = z.object({
  kind: z.enum(['keychain', 'vault', 'env', 'memory']),
  /** For "stored in …" next to a secret field. */
  label: z.string(),
  /** Secrets can be read now (a locked vault or an unreachable keychain cannot). */
  ready: z.boolean(),
  canSave: z.boolean(),
  /** Why not, and what to do instead. */
  problem: z.string().optional(),
  vaultFile: z.string(),
  vaultExists: z.boolean(),
  /** FERRY_SECRETS in the environment decides; the UI cannot switch. */
  fixedByEnvironment: z.boolean(),
});
export type SecretStoreStatus = z.infer<typeof secretStoreStatusSchema>;

export const themeSchema = z.enum(['system', 'light', 'dark']);
export const preferencesSchema = z.object({ theme: themeSchema.optional() });
export type Preferences = z.infer<typeof preferencesSchema>;

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, description: string) {
  return { input, output, description };
}

export const apiMethods = {
  currentWorkspace: method(empty, workspaceSummarySchema.nullable(), 'The open workspace, if any.'),
  openWorkspace: method(z.object({ dir: z.string().min(1) }), workspaceSummarySchema, 'Opens a workspace folder.'),
  createWorkspace: method(
    z.object({ dir: z.string().min(1), name: z.string().min(1) }),
    workspaceSummarySchema,
    'Creates an empty workspace in a new or empty folder and opens it.',
  ),
  recentWorkspaces: method(empty, z.array(recentWorkspaceSchema), 'Recently opened workspaces, newest first.'),
  loadFlow: method(flowRef, flowDocumentSchema, 'Reads a flow file (migrating older versions in memory).'),
  createFlow: method(
    z.object({ name: z.string().trim().min(1) }),
    flowDocumentSchema,
    'Creates and saves an empty flow.',
  ),
  saveFlow: method(
    z.object({ flow: flowSchema }),
    flowDocumentSchema,
    'Writes a flow file (temp + rename). A flow with problems is saved too; the problems come back.',
  ),
  validateFlow: method(z.object({ flow: flowSchema }), flowDocumentSchema, 'Validates a flow without saving it.'),
  deleteFlow: method(flowRef, empty, 'Deletes a flow file.'),
  listConnectors: method(empty, z.array(connectorDescriptorSchema), 'Connectors for the palette and forms.'),
  listConnections: method(empty, z.array(connectionSummarySchema), 'Connections of the workspace, without secrets.'),
  testConnection: method(
    z.object({
      draft: connectionDraftSchema,
      /** As for `saveConnection`: a typed value, null for none; empty or absent uses the stored one when `useStored`. */
      secrets: z.record(z.string(), z.string().nullable()),
      useStored: z.boolean().optional(),
    }),
    connectionTestResultSchema,
    "Runs the connector's real test (an authenticated call) with these values; nothing is saved.",
  ),
  saveConnection: method(
    z.object({
      draft: connectionDraftSchema,
      /** field → new value, null removes the stored one; absent or empty keeps what is stored. */
      secrets: z.record(z.string(), z.string().nullable()),
      /** From a passing `testConnection` of exactly these values: saving does not authenticate again. */
      testToken: z.string().min(1),
    }),
    connectionSummarySchema,
    'Validates and writes a connection file (secret references only) and stores its secrets.',
  ),
  duplicateConnection: method(
    connectionRef.extend({ name: z.string().trim().min(1) }),
    connectionSummarySchema,
    'Copies a connection under a new name, its secrets copied inside the secret store.',
  ),
  connectionUsage: method(connectionRef, connectionUsageSchema, 'The flows (and connections) using a connection.'),
  deleteConnection: method(connectionRef, empty, 'Deletes a connection file and its stored secrets.'),
  startAuthorization: method(
    connectionRef,
    startedAuthorizationSchema,
    'Starts the browser sign-in of a saved connection whose settings choose the OAuth authorization code: the ' +
      "host listens on 127.0.0.1 for the browser's answer and stores the refresh token; a new start replaces a " +
      'waiting one. Status arrives as authorization events.',
  ),
  authorizationStatus: method(connectionRef, authorizationStatusSchema, "A connection's browser sign-in status."),
  secretStoreStatus: method(
    empty,
    secretStoreStatusSchema,
    'Where secrets are kept and whether that works on this machine (never a value).',
  ),
  useSecretStore: method(
    z.discriminatedUnion('store', [
      z.object({ store: z.literal('keychain') }),
      z.object({ store: z.literal('vault'), passphrase: z.string().min(1) }),
    ]),
    secretStoreStatusSchema,
    'Keeps secrets in the OS keychain, or in the encrypted vault file opened (or created) with this passphrase.',
  ),
  preferences: method(empty, preferencesSchema, 'App preferences (theme), from the settings file.'),
  savePreferences: method(preferencesSchema, preferencesSchema, 'Changes app preferences; returns all of them.'),
  listEntities: method(
    z.object({ connectorId: z.string().min(1), connectionId: idSchema.optional() }),
    z.array(entityDescriptorSchema),
    "The connector's entity catalog (for a connection when the catalog depends on it).",
  ),
  startRun: method(
    z.object({
      flowId: idSchema,
      /** The editor's current flow, when it has unsaved changes; else the file is run. */
      flow: flowSchema.optional(),
      dryRun: z.boolean(),
      since: z.string().min(1).optional(),
    }),
    z.object({ runId: z.string() }),
    'Starts a run; progress arrives as run events.',
  ),
  cancelRun: method(z.object({ runId: z.string().min(1) }), z.object({ cancelled: z.boolean() }), 'Cancels a run.'),
  listRuns: method(
    z.object({ flowId: idSchema, limit: z.number().int().min(1).max(500).optional() }),
    z.array(runListItemSchema),
    'Run history of a flow, newest first.',
  ),
  getRun: method(
    z.object({ runId: z.string().min(1) }),
    runDetailSchema,
    'One run with its summary, node previews and failures.',
  ),
  listValueMaps: method(
    empty,
    z.array(valueMapFileSchema),
    'Value maps of the workspace (value-maps/*.value-map.json).',
  ),
  saveValueMap: method(
    z.object({ valueMap: valueMapDraftSchema }),
    valueMapFileSchema,
    'Writes a value map (a new one gets an id from its name); returns it as saved.',
  ),
  deleteValueMap: method(z.object({ valueMapId: idSchema }), empty, 'Deletes a value map file.'),
  mappingFields: method(
    mappingFieldsInputSchema,
    mappingFieldsSchema,
    "A map node's source fields (catalog + last run's records), destination fields and default mapping (the template's for a template-made flow, else the pair's).",
  ),
  previewMapping: method(
    previewMappingInputSchema,
    previewMappingResultSchema,
    "A map config applied to sample records (given, else the last run's), with errors per field.",
  ),
  fetchSample: method(
    fetchSampleInputSchema,
    fetchSampleResultSchema,
    'Dry-runs the flow on its first records and returns those that reached the node (its preview input).',
  ),
  listTemplates: method(empty, templateListSchema, 'The templates "New flow from template" offers.'),
  createFlowFromTemplate: method(
    createFlowFromTemplateInputSchema,
    flowDocumentSchema.extend(templateResultSchema.shape),
    "Makes a flow from a template: settings checked (problems name settings.<key>), each role's connection " +
      'chosen, placeholders filled, missing value maps added; written under a fresh id, never over a file.',
  ),
  demoSystemsStatus: method(empty, demoStatusSchema, 'The demo systems of this host: running or not, and where.'),
  startDemoSystems: method(
    empty,
    startedDemoSchema,
    'Starts the demo systems not yet running; in the open workspace, creates their connections and a flow from ' +
      'every template they serve.',
  ),
  demoEntities: method(
    z.object({ system: z.string().min(1) }),
    z.array(demoEntitySchema),
    "A running demo system's entities with their record counts (the data browser).",
  ),
  browseDemoData: method(
    browseDemoDataInputSchema,
    demoDataPageSchema,
    "One page of a running demo system's records of an entity, newest first (read-only).",
  ),
} as const;

export type ApiMethods = typeof apiMethods;
// api-names.ts lists the same names without zod (for the preload); these two lines fail to compile if they drift.
const namesMatch: Record<keyof ApiMethods, true> = Object.fromEntries(apiMethodNames.map((n) => [n, true])) as Record<
  ApiMethodName,
  true
>;
const methodsMatch: Record<ApiMethodName, unknown> = apiMethods;
void namesMatch;
void methodsMatch;
export { apiMethodNames, type ApiMethodName };
export type ApiInput<K extends ApiMethodName> = z.input<ApiMethods[K]['input']>;
export type ApiOutput<K extends ApiMethodName> = z.output<ApiMethods[K]['output']>;

export const fileChangeSchema = z.object({
  kind: z.enum(['flow', 'connection', 'value-map', 'workspace']),
  id: z.string(),
  change: z.enum(['changed', 'removed']),
});
export type FileChange = z.infer<typeof fileChangeSchema>;

/** Commands the desktop menu sends to the renderer (the browser host has none: the UI has its own buttons). */
export const menuCommands = ['new-flow', 'save', 'undo', 'redo', 'run', 'dry-run', 'fit-view', 'help'] as const;

export const apiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), event: runEventSchema }),
  z.object({ type: z.literal('files-changed'), changes: z.array(fileChangeSchema) }),
  z.object({ type: z.literal('workspace-opened'), workspace: workspaceSummarySchema }),
  z.object({ type: z.literal('command'), command: z.enum(menuCommands) }),
  authorizationEventSchema,
]);
export type ApiEvent = z.infer<typeof apiEventSchema>;
export type { AuthorizationStatus, StartedAuthorization } from './sign-in-contract.js';

/** Failures cross the boundary as data: a code the UI can act on and a message a person can read. */
export { apiErrorCodes };
export const apiErrorSchema = z.object({
  code: z.enum(apiErrorCodes),
  message: z.string(),
  problems: z.array(validationProblemSchema).optional(),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export class ApiError extends Error {
  readonly code: ApiErrorBody['code'];
  readonly problems?: ApiErrorBody['problems'];
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.problems = body.problems;
  }
  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.problems ? { problems: this.problems } : {}) };
  }
}

/** The shape both hosts implement and the renderer's client offers. */
export type FerryApi = { [K in ApiMethodName]: (input: ApiInput<K>) => Promise<ApiOutput<K>> } & {
  /** Subscribes to events; returns the unsubscribe function. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
};
