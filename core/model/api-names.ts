/**
 * The contract's method names and error codes without zod, for code that must stay tiny (Electron's sandboxed
 * preload). contract.ts checks at compile time that these are exactly the names of `apiMethods`.
 */
export const apiMethodNames = [
  'currentWorkspace',
  'openWorkspace',
  'createWorkspace',
  'recentWorkspaces',
  'loadFlow',
  'createFlow',
  'saveFlow',
  'validateFlow',
  'deleteFlow',
  'listConnectors',
  'listConnections',
  'testConnection',
  'saveConnection',
  'duplicateConnection',
  'connectionUsage',
  'deleteConnection',
  'startAuthorization',
  'authorizationStatus',
  'secretStoreStatus',
  'useSecretStore',
  'preferences',
  'savePreferences',
  'listEntities',
  'startRun',
  'cancelRun',
  'listRuns',
  'getRun',
  'listValueMaps',
  'saveValueMap',
  'deleteValueMap',
  'mappingFields',
  'previewMapping',
  'fetchSample',
  'listTemplates',
  'createFlowFromTemplate',
  'demoSystemsStatus',
  'startDemoSystems',
  'demoEntities',
  'browseDemoData',
] as const;
export type ApiMethodName = (typeof apiMethodNames)[number];

export const apiErrorCodes = ['invalid-input', 'not-found', 'conflict', 'connection', 'internal'] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];
