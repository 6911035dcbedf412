// Fault injection for resilience tests and demos: error answers by status and rate, latency, dropped connections
// (the shared injector), answered with BC's error codes and texts.
import { type EmulatorFaults, FaultInjector, type FaultDecision, type FaultStats } from '../../emulator-kit/faults.js';

/** The shared fault knobs (emulator-kit/faults.ts); the error bodies below are BC's. */
export type BcFaults = EmulatorFaults;
export { FaultInjector, type FaultDecision, type FaultStats };

const CODES: Record<number, [string, string]> = {
  429: ['Application_TooManyRequests', 'Too many requests.'],
  500: ['Internal_ServerError', 'An unexpected error occurred on the server.'],
  502: ['BadGateway', 'The server received an invalid response from an upstream server.'],
  503: ['Unavailable', 'The service is temporarily unavailable.'],
  504: ['GatewayTimeout', 'The operation timed out.'],
};

/** Code and text of an injected error status. */
export function faultError(status: number): [string, string] {
  return CODES[status] ?? ['Unknown', `Injected failure ${status}.`];
}
