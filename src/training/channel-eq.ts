// Random microphone and line colourings for training windows: a drawn band limit (a high-pass
// for small capsules and hum filters, a low-pass for cheap codecs and telephone lines) and a
// few drawn peaking bells (a capsule's resonances, a room's colour, a laptop's tilt), so the
// model cannot lean on one corpus's studio microphone. Drawn per window, seeded like the rest
// of the augmentation (augment.ts); the filters are src/dsp/biquad.ts's.
import { applyBiquad, butterworth, peaking, type Biquad } from '../dsp/biquad.ts';
import { TARGET_RATE } from '../dsp/params.ts';
import { uniform, type Rng } from './random.ts';

export interface ChannelEqOptions {
  /** Chance that a window is coloured at all (0..1). */
  probability: number;
  /** High-pass cut-off range in Hz (drawn log-uniformly). */
  highpassHz: readonly [number, number];
  /** Low-pass cut-off range in Hz (drawn log-uniformly; below the 4 kHz Nyquist frequency). */
  lowpassHz: readonly [number, number];
  /** Number of peaking bells per coloured window. */
  peaks: number;
  /** Each bell's centre range in Hz (log-uniform), gain range in dB (uniform), Q range (log-uniform). */
  peakHz: readonly [number, number];
  peakDb: readonly [number, number];
  peakQ: readonly [number, number];
}

/**
 * Half the windows: a band of 50-400 Hz up to 2.4-3.9 kHz (the telephone band, 300-3400 Hz,
 * lies inside these draws) and two bells of +-9 dB between 150 Hz and 3.5 kHz.
 */
export const DEFAULT_CHANNEL_EQ: Readonly<ChannelEqOptions> = Object.freeze({
  probability: 0.5,
  highpassHz: Object.freeze([50, 400] as const),
  lowpassHz: Object.freeze([2400, 3900] as const),
  peaks: 2,
  peakHz: Object.freeze([150, 3500] as const),
  peakDb: Object.freeze([-9, 9] as const),
  peakQ: Object.freeze([0.5, 2] as const),
});

export class ChannelEqError extends Error {
  override name = 'ChannelEqError';
}

const NYQUIST = TARGET_RATE / 2;

/** Checks options (from flags or a card); throws naming the bad field. */
export function validateChannelEq(o: ChannelEqOptions): ChannelEqOptions {
  const range = (name: string, r: readonly [number, number], lo: number, hi: number) => {
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] <= r[1] && r[0] > lo && r[1] < hi)) {
      throw new ChannelEqError(`${name} must be [min, max] with ${lo} < min <= max < ${hi}, got [${r.join(', ')}]`);
    }
  };
  if (!(o.probability >= 0 && o.probability <= 1)) throw new ChannelEqError(`probability must be in [0, 1], got ${o.probability}`);
  range('highpassHz', o.highpassHz, 0, NYQUIST);
  range('lowpassHz', o.lowpassHz, 0, NYQUIST);
  if (!(Number.isInteger(o.peaks) && o.peaks >= 0 && o.peaks <= 8)) throw new ChannelEqError(`peaks must be a whole number 0..8, got ${o.peaks}`);
  range('peakHz', o.peakHz, 0, NYQUIST);
  range('peakDb', o.peakDb, -40, 40);
  range('peakQ', o.peakQ, 0, 20);
  return o;
}

const logUniform = (rng: Rng, r: readonly [number, number]) => Math.exp(uniform(rng, Math.log(r[0]), Math.log(r[1])));

/**
 * One window's filters, or null when the draw leaves it uncoloured. Draws in order: on/off,
 * high-pass, low-pass, then each bell's centre, gain and Q (all only when on).
 */
export function drawChannelEq(o: ChannelEqOptions, rng: Rng): Biquad[] | null {
  if (!(rng() < o.probability)) return null;
  const filters = [butterworth('highpass', logUniform(rng, o.highpassHz)), butterworth('lowpass', logUniform(rng, o.lowpassHz))];
  for (let k = 0; k < o.peaks; k++) {
    const hz = logUniform(rng, o.peakHz);
    const db = uniform(rng, o.peakDb[0], o.peakDb[1]);
    filters.push(peaking(hz, db, logUniform(rng, o.peakQ)));
  }
  return filters;
}

/** `signal` through each filter in turn (the input itself when there are none). */
export function applyFilters(signal: Float32Array, filters: readonly Biquad[]): Float32Array {
  return filters.reduce((x, f) => applyBiquad(x, f), signal);
}
