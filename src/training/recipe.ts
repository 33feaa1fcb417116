// What defines a training run (the Recipe recorded in a model card) and the two presets it
// starts from: `seed`, the report's exactly (raw Mel power, no augmentation, 50 epochs), and
// `live`, the project's recipe for live windows (dB features, augmentation, loudness
// normalisation). Pure: the command line turns flags into RecipeOverrides, this builds and
// checks the recipe, so tests and tools can make one without parsing flags or loading TF.js.
import { SEED_PRESET, validateConfig, type CnnConfig, type OutputCount } from '../model/config.ts';
import { DEFAULT_NORMALISATION, type LoudnessNormalisation } from '../dsp/loudness.ts';
import type { ValenceMetrics } from './metrics.ts';
import { DEFAULT_AUGMENTATION, NO_AUGMENTATION, validateAugment, type AugmentOptions } from './augment.ts';
import { DEFAULT_CHANNEL_EQ } from './channel-eq.ts';
import { DEFAULT_SPEC_MASK, validateSpecMask, type SpecMaskOptions } from './spec-mask.ts';
import type { Balance } from './balance.ts';

export type Preset = 'seed' | 'live';
export type Selection = 'ccc' | 'mse';

/** Everything that defines a training run (recorded in the model card). */
export interface Recipe {
  preset: Preset;
  config: CnnConfig;
  epochs: number;
  lr: number;
  batchSize: number;
  augment: AugmentOptions;
  normalisation: LoudnessNormalisation | null;
  /** Metric that picks the best epoch (and stops early). */
  select: Selection;
  /** Epochs without improvement before stopping; 0: never stop early. */
  patience: number;
  seed: number;
  /** How an epoch draws from several corpora (src/training/balance.ts); one corpus: no effect. */
  balance: Balance;
  /** Random microphone colourings (DEFAULT_CHANNEL_EQ) on or off (needs augmentation); default off. */
  eq?: boolean;
  /** SpecAugment-style masks on training windows; null: none. */
  specMask: SpecMaskOptions | null;
  /** Epochs whose weights are averaged into the model scored and kept (weight-average.ts); absent: 1, the last epoch's own. */
  averageEpochs?: number;
  /** Mixup's Beta parameter α (mixup.ts); absent: no mixup. */
  mixup?: number;
}

/** What may differ from a preset; an absent field keeps the preset's value. */
export interface RecipeOverrides {
  /** CNN settings over SEED_PRESET (features default: power for seed, dB for live); checked by validateConfig. */
  config?: Partial<Pick<CnnConfig, 'features' | 'kernelSize' | 'activation' | 'pooling' | 'channels' | 'head'>> & { outputs?: OutputCount };
  /** Default 50 (SPEC section 2; the live recipe usually stops early: patience). */
  epochs?: number;
  /** Default 1e-4. */
  lr?: number;
  /** Default 4. */
  batchSize?: number;
  /** Default ccc. */
  select?: Selection;
  /** Default 15. */
  patience?: number;
  /** Default 0. */
  seed?: number;
  /** Augmentation on (DEFAULT_AUGMENTATION) or off; default: on for live. */
  augment?: boolean;
  /** Loudness normalisation on or off; default: on for live. */
  normalise?: boolean;
  /** SNR range of the noise augmentation in dB (needs augmentation). */
  noiseSnrDb?: [number, number];
  /** Random offset of the normalisation target in dB per window (needs augmentation and normalisation). */
  levelJitterDb?: [number, number];
  /** Normalisation's largest boost in dB (needs normalisation). */
  maxBoostDb?: number;
  /** Speed perturbation factor range (needs augmentation). */
  speed?: [number, number];
  /** Crop length range in seconds (needs augmentation). */
  crop?: [number, number];
  /** Random microphone colourings (DEFAULT_CHANNEL_EQ) on or off (needs augmentation); default off. */
  eq?: boolean;
  /** SpecAugment-style masks (DEFAULT_SPEC_MASK) on or off; default off. */
  specMask?: boolean;
  /** Default 'corpus'. */
  balance?: Balance;
  /** Default 1 (no averaging). */
  averageEpochs?: number;
  /** Mixup's α (> 0); default: no mixup. */
  mixup?: number;
}

/** An override that cannot apply; `needs` says what it requires, or `problem` what is wrong with it. */
export class RecipeError extends Error {
  override name = 'RecipeError';
  constructor(
    readonly field: keyof RecipeOverrides,
    readonly needs: string | null,
    problem?: string,
  ) {
    super(needs !== null ? `${field} needs ${needs}` : `${field} ${problem ?? 'is not valid'}`);
  }
}

const positiveInt = (n: number) => Number.isInteger(n) && n > 0;

/** The number, after checking it (flags are checked with their own message first; this guards other callers). */
function checked(field: keyof RecipeOverrides, n: number, ok: (n: number) => boolean, what: string): number {
  if (!ok(n)) throw new RecipeError(field, null, `must be ${what}, got ${n}`);
  return n;
}

/** The recipe of `preset` with `o` applied; throws (ConfigError, AugmentError, RecipeError) naming what cannot apply. */
export function buildRecipe(preset: Preset, o: RecipeOverrides = {}): Recipe {
  const live = preset === 'live';
  const config = validateConfig({
    ...SEED_PRESET,
    features: o.config?.features ?? (live ? 'db' : 'power'),
    ...(o.config?.kernelSize !== undefined ? { kernelSize: o.config.kernelSize } : {}),
    ...(o.config?.activation !== undefined ? { activation: o.config.activation } : {}),
    ...(o.config?.pooling !== undefined ? { pooling: o.config.pooling } : {}),
    ...(o.config?.channels !== undefined ? { channels: [...o.config.channels] } : {}),
    ...(o.config?.outputs !== undefined ? { outputs: o.config.outputs } : {}),
    ...(o.config?.head !== undefined ? { head: o.config.head } : {}),
  });
  const augmentOn = o.augment ?? live;
  const baseAugment = augmentOn ? DEFAULT_AUGMENTATION : NO_AUGMENTATION;
  const snr = o.noiseSnrDb;
  if (snr && !baseAugment.noise) throw new RecipeError('noiseSnrDb', 'augmentation');
  const jitter = o.levelJitterDb;
  const normalise = o.normalise ?? live;
  if (jitter && (!normalise || !augmentOn)) throw new RecipeError('levelJitterDb', 'augmentation and loudness normalisation');
  if (o.speed && !augmentOn) throw new RecipeError('speed', 'augmentation');
  if (o.crop && !augmentOn) throw new RecipeError('crop', 'augmentation');
  if (o.eq && !augmentOn) throw new RecipeError('eq', 'augmentation');
  const augment = validateAugment({
    ...baseAugment,
    ...(snr && baseAugment.noise ? { noise: { ...baseAugment.noise, snrDb: snr } } : {}),
    ...(jitter ? { levelDb: jitter } : {}),
    ...(o.speed ? { speed: o.speed } : {}),
    ...(o.crop ? { crop: o.crop } : {}),
    ...(o.eq ? { eq: DEFAULT_CHANNEL_EQ } : {}),
  });
  if (o.balance !== undefined && o.balance !== 'corpus' && o.balance !== 'none') {
    throw new RecipeError('balance', null, `must be "corpus" or "none", got ${JSON.stringify(o.balance)}`);
  }
  const mixup = o.mixup === undefined ? undefined : checked('mixup', o.mixup, (n) => n > 0 && Number.isFinite(n), 'a number > 0');
  const average = checked('averageEpochs', o.averageEpochs ?? 1, positiveInt, 'a whole number > 0');
  const maxBoost = o.maxBoostDb;
  if (maxBoost !== undefined && !normalise) throw new RecipeError('maxBoostDb', 'loudness normalisation');
  return {
    preset,
    config,
    epochs: checked('epochs', o.epochs ?? 50, positiveInt, 'a whole number > 0'),
    lr: checked('lr', o.lr ?? 1e-4, (n) => n > 0, 'a positive number'),
    batchSize: checked('batchSize', o.batchSize ?? 4, positiveInt, 'a whole number > 0'),
    augment,
    normalisation: normalise
      ? { ...DEFAULT_NORMALISATION, maxGainDb: checked('maxBoostDb', maxBoost ?? DEFAULT_NORMALISATION.maxGainDb, (n) => n >= 0, 'a number of dB >= 0') }
      : null,
    select: o.select ?? 'ccc',
    patience: checked('patience', o.patience ?? 15, (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0'),
    seed: checked('seed', o.seed ?? 0, Number.isInteger, 'a whole number'),
    balance: o.balance ?? 'corpus',
    specMask: o.specMask ? validateSpecMask(DEFAULT_SPEC_MASK) : null,
    // Absent at 1, so recipes (and checkpoint keys) from before the option read the same.
    ...(average > 1 ? { averageEpochs: average } : {}),
    ...(mixup !== undefined ? { mixup } : {}),
  };
}

/** Whether training needs each clip's whole signal (augmented per epoch) rather than fixed features. */
export function needsSignals(r: Recipe): boolean {
  return r.augment.placement !== 'start' || r.augment.gainDb !== null || r.augment.noise !== null || !!r.augment.speed || !!r.augment.crop || !!r.augment.eq;
}

/** The recipe less what a resumed run may change (epochs, patience): a checkpoint must match it. */
export function recipeKey(r: Recipe): string {
  return JSON.stringify({ ...r, epochs: undefined, patience: undefined });
}

/** What isBetter compares: one epoch's metrics, or a mean over splits. */
export type Scores = Pick<ValenceMetrics, 'ccc' | 'mse'>;

/** Whether `a` beats `b` on the selection metric (NaN never wins). */
export function isBetter(a: Scores, b: Scores | null, select: Selection): boolean {
  const va = select === 'ccc' ? a.ccc : a.mse;
  if (!Number.isFinite(va)) return false;
  if (!b) return true;
  const vb = select === 'ccc' ? b.ccc : b.mse;
  if (!Number.isFinite(vb)) return true;
  return select === 'ccc' ? va > vb : va < vb;
}
