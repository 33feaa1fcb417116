// Simulated recording channels, for measuring how a model holds up beyond its training
// corpus's microphones and levels (evaluate --channel): a telephone band (300-3400 Hz), a
// quiet recording (-20 dB), and a noisy room (white noise 10 dB under the speech). Applied
// to the 8 kHz signal before windowing. Pure and seeded.
import { TARGET_RATE } from './params.ts';
import { gatedLevelDb } from './loudness.ts';
import { SignalError } from './validate.ts';

export type Channel = 'telephone' | 'quiet' | 'noisy';
export const CHANNELS: readonly Channel[] = ['telephone', 'quiet', 'noisy'];

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Second-order Butterworth (Q = 1/sqrt 2) high- or low-pass, by the bilinear transform. */
export function butterworth(kind: 'highpass' | 'lowpass', cutoffHz: number, rate = TARGET_RATE): Biquad {
  const w = (2 * Math.PI * cutoffHz) / rate;
  const alpha = Math.sin(w) / Math.SQRT2; // sin(w) / (2Q), Q = 1/sqrt(2)
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const b1 = kind === 'lowpass' ? 1 - cos : -(1 + cos);
  const b0 = kind === 'lowpass' ? (1 - cos) / 2 : (1 + cos) / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

function filter(x: Float32Array, f: Biquad): Float32Array {
  const y = new Float32Array(x.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = f.b0 * x[i] + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1;
    x1 = x[i];
    y2 = y1;
    y1 = v;
    y[i] = v;
  }
  return y;
}

/** The signal as heard through `channel`; `rand` (uniform [0, 1)) drives the noise. */
export function simulateChannel(x: Float32Array, channel: Channel, rand: () => number): Float32Array {
  switch (channel) {
    case 'telephone':
      return filter(filter(x, butterworth('highpass', 300)), butterworth('lowpass', 3400));
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
