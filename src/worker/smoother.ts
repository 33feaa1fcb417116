// Exponential smoothing of a reading series over time, as the live monitor shows it: the
// weight of the past decays with the seconds between readings (so skipped readings widen
// the step), and a missing value (no model) resets it. A pause is not a missing value: the
// caller just skips next() through it, and the pause's seconds then weigh the past down.
// One per smoothed output.

export class ExpSmoother {
  private value: number | null = null;
  private lastTime = 0;

  /** `seconds`: the time constant; 0 passes every value through unchanged. */
  constructor(private readonly seconds: number) {
    if (!(Number.isFinite(seconds) && seconds >= 0)) throw new RangeError(`smoothingSeconds must be >= 0, got ${seconds}`);
  }

  /** The smoothed value so far (null before the first value or after a reset). */
  get current(): number | null {
    return this.value;
  }

  reset(): void {
    this.value = null;
  }

  /** The smoothed value at `time` (seconds) after `value`; null resets and gives null. */
  next(value: number | null, time: number): number | null {
    if (value === null) {
      this.value = null;
      return null;
    }
    if (this.seconds === 0 || this.value === null) {
      this.value = value;
    } else {
      const a = Math.exp(-(time - this.lastTime) / this.seconds);
      this.value = a * this.value + (1 - a) * value;
    }
    this.lastTime = time;
    return this.value;
  }
}
