import { compareDeltaValues } from '../connectors/delta.js';

interface PageState {
  /** Record copies still waiting for a final outcome (buffered in a destination). */
  pending: number;
  /** The page went through every synchronous node; only destination outcomes can still be pending. */
  delivered: boolean;
  min?: string;
  max?: string;
  /** The largest value strictly below `max` in this page. */
  belowMax?: string;
}

/** The delta value as the watermark stores it. */
export function deltaText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

const greater = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : compareDeltaValues(a, b) >= 0 ? a : b;

/**
 * Decides how far a source's watermark may move: only to the highest delta value below which every record has
 * reached a final outcome. Sources read `delta > watermark`, so the watermark must stay strictly below any record
 * not yet final — including records not read yet that may share the last seen value.
 */
export class WatermarkTracker {
  private readonly pages = new Map<number, PageState>();
  /** Pages 0..donePrefix-1 are complete. */
  private donePrefix = 0;
  private prefixMax: string | undefined;
  private prefixBelowMax: string | undefined;
  private exhausted = false;

  constructor(readonly ordered: boolean) {}

  beginPage(page: number, deltas: readonly unknown[]): void {
    const state: PageState = { pending: 0, delivered: false };
    for (const raw of deltas) {
      const v = deltaText(raw);
      if (v === undefined) continue;
      if (state.min === undefined || compareDeltaValues(v, state.min) < 0) state.min = v;
      if (state.max === undefined) state.max = v;
      else {
        const c = compareDeltaValues(v, state.max);
        if (c > 0) {
          state.belowMax = state.max;
          state.max = v;
        } else if (c < 0) state.belowMax = greater(state.belowMax, v);
      }
    }
    this.pages.set(page, state);
  }

  addPending(page: number, count = 1): void {
    const s = this.pages.get(page);
    if (s) s.pending += count;
  }

  resolvePending(page: number): void {
    const s = this.pages.get(page);
    // Only a page whose last pending record settles can complete the prefix (called once per record: keep it cheap).
    if (s && --s.pending === 0) this.advance();
  }

  pageDelivered(page: number): void {
    const s = this.pages.get(page);
    if (s) {
      s.delivered = true;
      this.advance();
    }
  }

  /** The source returned all its pages. */
  markExhausted(): void {
    this.exhausted = true;
  }

  private advance(): void {
    for (;;) {
      const s = this.pages.get(this.donePrefix);
      if (!s || !s.delivered || s.pending > 0) return;
      if (s.max !== undefined) {
        if (this.prefixMax === undefined || compareDeltaValues(s.max, this.prefixMax) > 0) {
          this.prefixBelowMax = greater(this.prefixMax, s.belowMax);
          this.prefixMax = s.max;
        } else if (compareDeltaValues(s.max, this.prefixMax) < 0) {
          this.prefixBelowMax = greater(this.prefixBelowMax, s.max);
        } else {
          this.prefixBelowMax = greater(this.prefixBelowMax, s.belowMax);
        }
      }
      this.pages.delete(this.donePrefix);
      this.donePrefix++;
    }
  }

  private allDone(): boolean {
    return this.pages.size === 0 || [...this.pages.values()].every((s) => s.delivered && s.pending === 0);
  }

  /**
   * The safe watermark now, or undefined when nothing can be claimed. Unordered sources can only claim one at the
   * end (any unread record may be older than what was seen).
   */
  safeWatermark(): string | undefined {
    if (this.exhausted && this.allDone()) {
      this.advance();
      return this.prefixMax;
    }
    if (!this.ordered || this.prefixMax === undefined) return undefined;
    const next = this.pages.get(this.donePrefix);
    if (next?.min !== undefined && compareDeltaValues(next.min, this.prefixMax) > 0) return this.prefixMax;
    return this.prefixBelowMax;
  }
}
