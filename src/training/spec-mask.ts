// SpecAugment-style masks on a training window's features (Park et al. 2019): a few bands of
// Mel bins and a few runs of frames replaced by the window's mean feature value, so the model
// cannot lean on one band or one moment (a microphone's missing band, a cough). Applied after
// windowFeatures, to training windows only; seeded like the signal augmentation.
import { randomInt, type Rng } from './random.ts';

export interface SpecMaskOptions {
  /** Number of frequency masks and the widest one, in Mel bins. */
  freq: { count: number; maxWidth: number };
  /** Number of time masks and the widest one, in frames. */
  time: { count: number; maxWidth: number };
}

/** Two masks of up to 8 bins and two of up to 12 frames (about 0.8 s): SpecAugment's LD policy scaled to 64 x 121. */
export const DEFAULT_SPEC_MASK: Readonly<SpecMaskOptions> = Object.freeze({
  freq: Object.freeze({ count: 2, maxWidth: 8 }),
  time: Object.freeze({ count: 2, maxWidth: 12 }),
});

export class SpecMaskError extends Error {
  override name = 'SpecMaskError';
}

/** Checks options (from flags or a card); throws naming the bad field. */
export function validateSpecMask(o: SpecMaskOptions): SpecMaskOptions {
  for (const [name, m] of [['freq', o.freq], ['time', o.time]] as const) {
    if (!Number.isInteger(m.count) || m.count < 0) throw new SpecMaskError(`${name}.count must be a whole number >= 0, got ${m.count}`);
    if (!Number.isInteger(m.maxWidth) || m.maxWidth < 0) throw new SpecMaskError(`${name}.maxWidth must be a whole number >= 0, got ${m.maxWidth}`);
  }
  return o;
}

/**
 * Masks `features` (row-major mels x frames) in place and returns it. Draws: for each
 * frequency mask a width in [0, maxWidth] and a start, then the same for each time mask.
 */
export function applySpecMask(features: Float32Array, mels: number, frames: number, o: SpecMaskOptions, rng: Rng): Float32Array {
  if (features.length !== mels * frames) throw new SpecMaskError(`features hold ${features.length} values, not ${mels} x ${frames}`);
  let sum = 0;
  for (let i = 0; i < features.length; i++) sum += features[i];
  const fill = sum / features.length;
  for (let k = 0; k < o.freq.count; k++) {
    const width = randomInt(rng, 0, Math.min(o.freq.maxWidth, mels));
    const start = randomInt(rng, 0, mels - width);
    features.fill(fill, start * frames, (start + width) * frames);
  }
  for (let k = 0; k < o.time.count; k++) {
    const width = randomInt(rng, 0, Math.min(o.time.maxWidth, frames));
    const start = randomInt(rng, 0, frames - width);
    for (let m = 0; m < mels; m++) features.fill(fill, m * frames + start, m * frames + start + width);
  }
  return features;
}
