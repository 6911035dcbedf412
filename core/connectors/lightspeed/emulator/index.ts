// The Lightspeed X-Series emulator's public surface (tests, `ferry emulate lightspeed`, demos).
export {
  startLightspeedEmulator,
  type LightspeedEmulator,
  type LightspeedEmulatorOptions,
  type LightspeedEmulatorStats,
} from './server.js';
export { DEFAULT_SEED_SIZE, LIGHTSPEED_DEMO, type LightspeedSeedSize, seedStoreData } from './seed.js';
export { DEFAULT_RATE_LIMITS, type LsRateLimits } from './rate-limit.js';
export type { LsOAuthApp } from './oauth.js';
export type { LsRecord, LsStore, StoreData } from './store.js';
export type { EmulatorFaults } from '../../emulator-kit/faults.js';
