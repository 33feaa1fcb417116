// The personal fine-tuning recipe (issue 16): which layers train, how many Adam steps at
// which learning rate and batch size, the augmentation of the speaker's few clips, the
// pull towards the base weights (L2-SP) and the baseline offset. One recipe for the app's
// calibration and `npm run evaluate -- --personalize K`. Pure: no TF.js.
import { DEFAULT_AUGMENTATION, NO_AUGMENTATION, validateAugment, type AugmentOptions } from '../augment.ts';

/**
 * 'none': the fine-tuned output as it is. 'neutral': the mean reading of the clips labelled
 * neutral (valence 0) becomes zero (issue 16's baseline). 'mean': the mean error over all
 * the clips becomes zero. Folded into the output layer's bias, so the result is a plain model.
 */
export type OffsetRule = 'none' | 'neutral' | 'mean';

/**
 * How far the fine-tuned readings are spread about their mean over the clips: a factor (1:
 * as they are), or 'fit': each output's label spread over its readings' on the clips,
 * between 1 and MAX_FIT_SCALE. A regression fitted by MSE on a dozen clips reads shrunk
 * towards the mean (its spread about r times the labels'), and CCC, unlike r, pays for it.
 * Folded into the output layer like the offset.
 */
export type SpreadScale = number | 'fit';

/** The most that scale=fit widens the readings: a clip set the model barely separates must not be blown up. */
export const MAX_FIT_SCALE = 3;

export interface PersonalizeRecipe {
  /** How many of the last layers train (the output layer is one, each convolution block one); 'all': every layer. */
  layers: number | 'all';
  /** Adam steps (0: no fine-tuning, only the offset). */
  steps: number;
  lr: number;
  batchSize: number;
  /** alpha of the L2-SP pull (alpha / 2) * |w - w_base|^2 over the trained weights; 0: none. */
  l2sp: number;
  augment: AugmentOptions;
  offset: OffsetRule;
  scale: SpreadScale;
  /**
   * Augmented windows per clip drawn once and carried through the frozen blocks once
   * (window-pool.ts), the steps cycling through them; 0: a new window at every step.
   */
  pool: number;
  /** Seeds the batch order and the augmentation. */
  seed: number;
}

/**
 * The chosen recipe: the last two layers (the output layer and the last convolution block),
 * 300 steps of batch 2 at lr 1e-3 over a pool of 16 live-augmented windows per clip, the
 * mean error over the clips taken off, the readings widened 1.5x about their mean over the
 * clips. Chosen on live windows (evaluate --windows live: what
 * the app's gauge reads), K = 12 (models/README-personalize.md): on TurEV-DB's 5 speakers
 * from a RAVDESS-only base, valence CCC -0.008 -> 0.179 (batch 4: 0.183; 100 new windows a
 * step: 0.116; without augmentation, start-aligned windows fell to -0.016 on live windows);
 * on RAVDESS actors 17-20 from the bundled base 0.505 -> 0.561 (batch 4: 0.509). Batch 2
 * reads as well as batch 4 for half the arithmetic, which is what the calibration's time is
 * made of. More steps or a third layer read TurEV-DB better still (0.23-0.29) but cost
 * twice as much; the output layer alone is cheap and reads it at 0.052 only. A step of the
 * pool's two layers at batch 4 took 35-143 ms in Node on one wasm thread, from machine to
 * machine (PyTorch's same step: 1.16x ours, bench:train --fine-tune), so the app's
 * calibration (3 folds to score it, then the model itself, in two workers on 2 cores) takes
 * under a minute to a minute and a half. The 1.5x spread (one more pass over the clips)
 * moved TurEV-DB from 0.179 to 0.212 and RAVDESS's 20 actors, from a TurEV-only base, from
 * 0.367 to 0.410: it leaves r as it is and buys CCC with MSE (0.39 -> 0.47, 0.21 -> 0.26).
 * scale=fit (label over reading spread) and 2 read TurEV-DB at 0.214 and 0.222 but at twice
 * the MSE; 1.5 is the middle that paid on both corpora.
 */
export const DEFAULT_PERSONALIZE: Readonly<PersonalizeRecipe> = Object.freeze({
  layers: 2,
  steps: 300,
  lr: 1e-3,
  batchSize: 2,
  l2sp: 0,
  augment: DEFAULT_AUGMENTATION,
  offset: 'mean',
  scale: 1.5,
  pool: 16,
  seed: 0,
});

/**
 * Named augmentations for a speaker's few clips: none, the live recipe's (random placement,
 * gain, noise, level), and heavy: the live recipe with noise on most windows and a +-8 %
 * speed change (the same voice a little higher or lower, faster or slower).
 */
export const PERSONAL_AUGMENTATIONS: Readonly<Record<'none' | 'live' | 'heavy', Readonly<AugmentOptions>>> = Object.freeze({
  none: NO_AUGMENTATION,
  live: DEFAULT_AUGMENTATION,
  heavy: Object.freeze({ ...DEFAULT_AUGMENTATION, noise: Object.freeze({ snrDb: Object.freeze([5, 45] as const), probability: 0.8 }), speed: Object.freeze([0.92, 1.08] as const) }),
});

export class PersonalizeError extends Error {
  override name = 'PersonalizeError';
}

const OFFSETS: readonly OffsetRule[] = ['none', 'neutral', 'mean'];

/** Checks a recipe against a model with `blocks` convolution blocks; throws naming the bad field. */
export function validateRecipe(r: PersonalizeRecipe, blocks: number): PersonalizeRecipe {
  const whole = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (r.layers !== 'all' && !(whole(r.layers, 1) && r.layers <= blocks + 1)) {
    throw new PersonalizeError(`layers must be "all" or a whole number from 1 (the output layer) to ${blocks + 1}, got ${JSON.stringify(r.layers)}`);
  }
  if (!whole(r.steps, 0)) throw new PersonalizeError(`steps must be a whole number >= 0, got ${r.steps}`);
  if (!(r.lr > 0 && Number.isFinite(r.lr))) throw new PersonalizeError(`lr must be a number > 0, got ${r.lr}`);
  if (!whole(r.batchSize, 1)) throw new PersonalizeError(`batchSize must be a whole number >= 1, got ${r.batchSize}`);
  if (!(r.l2sp >= 0 && Number.isFinite(r.l2sp))) throw new PersonalizeError(`l2sp must be a number >= 0, got ${r.l2sp}`);
  if (!OFFSETS.includes(r.offset)) throw new PersonalizeError(`offset must be one of ${OFFSETS.join(', ')}, got ${JSON.stringify(r.offset)}`);
  if (r.scale !== 'fit' && !(typeof r.scale === 'number' && r.scale > 0 && Number.isFinite(r.scale))) {
    throw new PersonalizeError(`scale must be "fit" or a number > 0, got ${JSON.stringify(r.scale)}`);
  }
  if (!whole(r.pool, 0)) throw new PersonalizeError(`pool must be a whole number >= 0, got ${r.pool}`);
  if (!Number.isInteger(r.seed)) throw new PersonalizeError(`seed must be a whole number, got ${r.seed}`);
  validateAugment(r.augment);
  return r;
}

/**
 * Which parameter tensors train (LayersModel order: kernel and bias per block, then the
 * output layer's): the last `layers` layers' tensors.
 */
export function trainableTensors(layers: PersonalizeRecipe['layers'], blocks: number): boolean[] {
  const total = blocks + 1;
  const n = layers === 'all' ? total : layers;
  return Array.from({ length: 2 * total }, (_, t) => Math.floor(t / 2) >= total - n);
}
