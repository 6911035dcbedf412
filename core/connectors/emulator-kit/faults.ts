// Fault injection for the local emulators' resilience tests and demos: error answers by status and rate, latency,
// dropped connections. Decisions come from a seeded generator in request order, so a test with the same seed sees
// the same faults. Each emulator words the error bodies its system sends.
import { prng } from './prng.js';

export interface EmulatorFaults {
  seed?: number;
  /** e.g. [{ status: 503, rate: 0.1 }]: one API request in ten answers 503. */
  errors?: Array<{ status: number; rate: number }>;
  /** Extra delay before each API answer: a fixed number or a range. */
  latencyMs?: number | { min: number; max: number };
  /** Share of API requests whose connection is destroyed without an answer. */
  resetRate?: number;
}

export interface FaultDecision {
  latencyMs: number;
  status?: number;
  reset: boolean;
}

export interface FaultStats {
  errors: number;
  resets: number;
}

export class FaultInjector {
  readonly stats: FaultStats = { errors: 0, resets: 0 };
  private readonly random: () => number;

  constructor(private readonly faults: EmulatorFaults = {}) {
    this.random = prng(faults.seed ?? 1);
  }

  decide(): FaultDecision {
    const { latencyMs = 0, errors = [], resetRate = 0 } = this.faults;
    const latency =
      typeof latencyMs === 'number' ? latencyMs : latencyMs.min + this.random() * (latencyMs.max - latencyMs.min);
    // One draw per decision, in a fixed order, keeps the sequence reproducible whatever the rates are.
    const draw = this.random();
    if (draw < resetRate) {
      this.stats.resets++;
      return { latencyMs: latency, reset: true };
    }
    let threshold = resetRate;
    for (const error of errors) {
      threshold += error.rate;
      if (draw < threshold) {
        this.stats.errors++;
        return { latencyMs: latency, status: error.status, reset: false };
      }
    }
    return { latencyMs: latency, reset: false };
  }
}
