// The Business Central emulator's public surface (tests, `ferry emulate business-central`, demos).
export { startBcEmulator, type BcEmulator, type BcEmulatorOptions, type BcEmulatorStats } from './server.js';
export { BC_DEMO, DEFAULT_SEED_SIZE, type BcSeedSize, seedStoreData } from './seed.js';
export { basicAuthScheme, type AuthOutcome, type AuthScheme, type BcUser } from './auth.js';
export { demoOnPremAuth, ntlmAuthScheme } from './ntlm-scheme.js';
export { BC_SCOPE, type BcClientApp } from './token-endpoint.js';
export { DEFAULT_LIMITS, type BcLimits } from './limits.js';
export type { BcFaults } from './faults.js';
export type { BcStore } from './store.js';
