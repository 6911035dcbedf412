// The Acumatica emulator's public surface (tests, `ferry emulate acumatica`, demos).
export {
  startAcumaticaEmulator,
  type AcumaticaEmulator,
  type AcumaticaEmulatorOptions,
  type AcumaticaEmulatorStats,
} from './server.js';
export { ACUMATICA_DEMO, DEFAULT_SEED_SIZE, type AcumaticaSeedSize, seedStoreData } from './seed.js';
export { DEFAULT_LIMITS, type AcumaticaLimits } from './limits.js';
export type { AcuOAuthClient } from './oauth.js';
export type { AcuUser } from './sessions.js';
export type { AcuStore, StoreData } from './store.js';
export type { AcuRecord } from './values.js';
export type { EmulatorFaults } from '../../emulator-kit/faults.js';
