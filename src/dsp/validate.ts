// Input checks shared by the signal path: bad input gets an error that names the problem,
// never a silent NaN further down.

/** Thrown for input the signal path cannot process; the message names the problem. */
export class SignalError extends Error {
  override name = 'SignalError';
}

/** A sample rate must be a finite positive integer (Hz). */
export function assertSampleRate(rate: unknown, what = 'sample rate'): asserts rate is number {
  if (typeof rate !== 'number' || !Number.isFinite(rate)) {
    throw new SignalError(`${what} must be a number, got ${String(rate)}`);
  }
  if (rate <= 0 || !Number.isInteger(rate)) {
    throw new SignalError(`${what} must be a positive whole number of Hz, got ${rate}`);
  }
}

/** Every sample must be finite: NaN or Inf would poison every frame downstream. */
export function assertFiniteSamples(x: ArrayLike<number>, what = 'audio'): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) {
      throw new SignalError(`${what} has a non-finite sample (${v}) at index ${i}`);
    }
  }
}

export function assertNonEmpty(x: ArrayLike<number>, what = 'audio'): void {
  if (x.length === 0) throw new SignalError(`${what} is empty (0 samples)`);
}
