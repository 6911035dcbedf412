export { runFlow, type RunContext, type RunOptions } from './run-flow.js';
export { validateFlow } from './validate-flow.js';
export type { FlowRecord, Outcome, OutcomeStatus, RecordData, Lineage } from './record.js';
