// Simulated recording channels, for measuring how a model holds up beyond its training
// corpus's microphones and levels (evaluate --channel): a telephone band (300-3400 Hz), a
// quiet recording (-20 dB), and a noisy room (white noise 10 dB under the speech). Applied
// to the 8 kHz signal before windowing. Pure and seeded.
import { applyBiquad, butterworth } from './biquad.ts';
import { gatedLevelDb } from './loudness.ts';
import { SignalError } from './validate.ts';

export type Channel = 'telephone' | 'quiet' | 'noisy';
export const CHANNELS: readonly Channel[] = ['telephone', 'quiet', 'noisy'];

/** The signal as heard through `channel`; `rand` (uniform [0, 1)) drives the noise. */
export function simulateChannel(x: Float32Array, channel: Channel, rand: () => number): Float32Array {
  switch (channel) {
    case 'telephone':
      return applyBiquad(applyBiquad(x, butterworth('highpass', 300)), butterworth('lowpass', 3400));
    case 'quiet':
      return x.map((v) => v * 0.1);
    case 'noisy': {
      const level = gatedLevelDb(x);
      if (level === null) return Float32Array.from(x);
      // Uniform noise of RMS r has amplitude r * sqrt(3).
      const amp = 10 ** ((level - 10) / 20) * Math.sqrt(3);
      return x.map((v) => v + amp * (2 * rand() - 1));
    }
    default:
      throw new SignalError(`unknown channel "${String(channel)}" (telephone, quiet or noisy)`);
  }
}
