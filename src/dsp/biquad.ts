// Second-order IIR sections (biquads) on 8 kHz signals: the Butterworth band edges of the
// simulated channels (channel.ts) and the random microphone colourings of the training
// augmentation (src/training/channel-eq.ts). Coefficients by the bilinear transform (R.
// Bristow-Johnson's audio EQ cookbook), normalised so that a0 = 1.
import { TARGET_RATE } from './params.ts';

export interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/** Second-order Butterworth (Q = 1/sqrt 2) high- or low-pass: -3 dB at `cutoffHz`. */
export function butterworth(kind: 'highpass' | 'lowpass', cutoffHz: number, rate = TARGET_RATE): Biquad {
  const w = (2 * Math.PI * cutoffHz) / rate;
  const alpha = Math.sin(w) / Math.SQRT2; // sin(w) / (2Q), Q = 1/sqrt(2)
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const b1 = kind === 'lowpass' ? 1 - cos : -(1 + cos);
  const b0 = kind === 'lowpass' ? (1 - cos) / 2 : (1 + cos) / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** A peaking bell: `gainDb` at `centreHz`, 0 dB far from it; `q` sets its width. */
export function peaking(centreHz: number, gainDb: number, q: number, rate = TARGET_RATE): Biquad {
  const a = 10 ** (gainDb / 40);
  const w = (2 * Math.PI * centreHz) / rate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  const a0 = 1 + alpha / a;
  return { b0: (1 + alpha * a) / a0, b1: (-2 * cos) / a0, b2: (1 - alpha * a) / a0, a1: (-2 * cos) / a0, a2: (1 - alpha / a) / a0 };
}

/** `x` through `f` from rest (direct form I, double-precision state); a new array. */
export function applyBiquad(x: Float32Array, f: Biquad): Float32Array {
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

/** The magnitude response of `f` at `hz` in dB (for tests and for describing a draw). */
export function responseDb(f: Biquad, hz: number, rate = TARGET_RATE): number {
  const w = (2 * Math.PI * hz) / rate;
  // H(e^jw) = (b0 + b1 e^-jw + b2 e^-2jw) / (1 + a1 e^-jw + a2 e^-2jw)
  const re = (c0: number, c1: number, c2: number) => c0 + c1 * Math.cos(w) + c2 * Math.cos(2 * w);
  const im = (c1: number, c2: number) => -(c1 * Math.sin(w) + c2 * Math.sin(2 * w));
  const num = Math.hypot(re(f.b0, f.b1, f.b2), im(f.b1, f.b2));
  const den = Math.hypot(re(1, f.a1, f.a2), im(f.a1, f.a2));
  return 20 * Math.log10(num / den);
}
