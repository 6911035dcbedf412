/**
 * Holds requests that already got a processing slot until `resume()`: tests pause an emulator to observe its queues
 * and limits without timing anything.
 */
export class PauseGate {
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  pause(): void {
    if (this.gate) return;
    let open = () => {};
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  resume(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  /** Resolves at once unless paused. */
  async passed(): Promise<void> {
    if (this.gate) await this.gate.promise;
  }
}
