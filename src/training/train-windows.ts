// One training window's features from its clip (the whole 8 kHz signal, augmented, or fixed
// features) and one seed, the same on any thread: the main thread builds rows from fixed
// features, the gradient workers build their shards' rows from signals shared once
// (SharedArrayBuffer). Each clip of an epoch draws from its own RNG, seeded by the epoch
// and its position in the epoch, so a batch does not depend on which thread built which
// row nor on the thread count. Pure: no TF.js.
import type { FeatureType } from '../dsp/params.ts';
import type { LoudnessNormalisation } from '../dsp/loudness.ts';
import { windowFeatures } from '../dsp/pipeline.ts';
import { augmentNormalisation, augmentWindow, type AugmentOptions } from './augment.ts';
import { applySpecMask, type SpecMaskOptions } from './spec-mask.ts';
import { blendInto } from './mixup.ts';
import { createRng, deriveSeed } from './random.ts';

/** What turns a clip into a training window (the recipe's part; plain data, sent to workers). */
export interface WindowPlan {
  augment: AugmentOptions;
  normalisation: LoudnessNormalisation | null;
  features: FeatureType;
  specMask: SpecMaskOptions | null;
  /** [mels, frames] of the features. */
  inputShape: readonly [number, number];
}

/** Signals packed into one (shared) array: signal i is data[start[i], start[i] + length[i]). */
export interface PackedSignals {
  data: Float32Array;
  start: Float64Array;
  length: Float64Array;
}

/** Stream of deriveSeed for an epoch's augmentation (the sequential RNG of before used it too). */
const AUGMENT_STREAM = 100_000;

/** The seed of the clip at `position` in epoch `epoch`'s order. */
export function windowSeed(runSeed: number, epoch: number, position: number): number {
  return deriveSeed(deriveSeed(runSeed, AUGMENT_STREAM + epoch), position);
}

/** Copies signals into one array, on a SharedArrayBuffer when `shared` (workers then read it in place). */
export function packSignals(signals: readonly Float32Array[], shared = true): PackedSignals {
  const start = new Float64Array(signals.length);
  const length = new Float64Array(signals.length);
  let total = 0;
  signals.forEach((s, i) => {
    start[i] = total;
    length[i] = s.length;
    total += s.length;
  });
  const data = new Float32Array(shared ? new SharedArrayBuffer(4 * total) : new ArrayBuffer(4 * total));
  signals.forEach((s, i) => data.set(s, start[i]));
  return { data, start, length };
}

/** Signal i of a pack (a view, not a copy). */
export function signalAt(p: PackedSignals, i: number): Float32Array {
  if (!(i >= 0 && i < p.start.length)) throw new RangeError(`signal ${i} is not in the pack of ${p.start.length}`);
  return p.data.subarray(p.start[i], p.start[i] + p.length[i]);
}

/** A clip as a window source: its signal (augmented) or its fixed features (copied). */
export type WindowSource = { signal: Float32Array } | { features: Float32Array };

/** A partner window blended into a row (mixup.ts): its source, its own seed and the row's weight λ. */
export interface WindowMix {
  source: WindowSource;
  seed: number;
  lambda: number;
}

/**
 * Writes the training window of `source` into `out` (mels x frames). Draws, in this order,
 * from one RNG seeded by `seed`: the augmentation (signals only), the normalisation's level
 * offset (signals only), then the spectrogram masks. Fixed features without masks draw nothing.
 * With `mix`, the partner's window (its own seed, no masks) is blended in before the masks.
 */
export function buildWindow(source: WindowSource, plan: WindowPlan, seed: number, out: Float32Array, mix?: WindowMix): Float32Array {
  const [mels, frames] = plan.inputShape;
  if (out.length !== mels * frames) throw new RangeError(`window needs ${mels * frames} values, out holds ${out.length}`);
  const rng = createRng(seed);
  if ('features' in source) {
    if (source.features.length !== out.length) throw new RangeError(`features hold ${source.features.length} values, the window ${out.length}`);
    out.set(source.features);
  } else {
    const window = augmentWindow(source.signal, plan.augment, rng);
    out.set(windowFeatures(window, plan.features, augmentNormalisation(plan.normalisation, plan.augment, rng)).data);
  }
  if (mix) blendInto(out, buildWindow(mix.source, { ...plan, specMask: null }, mix.seed, new Float32Array(out.length)), mix.lambda);
  // Masks go on the batch's copy, never on cached features.
  if (plan.specMask) applySpecMask(out, mels, frames, plan.specMask, rng);
  return out;
}
