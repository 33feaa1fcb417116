// Training-time augmentation on 8 kHz signals, before the Mel (SPEC section 3: fit the model
// for live windows and other recordings): a speed change (other vocal tracts: pitch, formants
// and tempo move together), a crop to a random stretch of the speech (short utterances, and
// a reading that cannot lean on how long the speaker talked), a random microphone colouring
// (channel-eq.ts), the utterance placed anywhere in the 61500-sample window with
// zeros elsewhere (live windows are zero-filled at the start and speech sits anywhere in
// them), a random gain, and low-level white noise at a random SNR. Seeded: the
// same signal, options and RNG state give the same window. The output goes through the
// usual path (src/dsp/pipeline.ts windowFeatures), so the Mel is never recomputed differently.
import { WINDOW_LENGTH } from '../dsp/params.ts';
import { fixLength } from '../dsp/fix-length.ts';
import { gatedLevelDb, type LoudnessNormalisation } from '../dsp/loudness.ts';
import { resample } from '../dsp/resample.ts';
import { speechSpan } from '../dsp/speech-span.ts';
import { TARGET_RATE } from '../dsp/params.ts';
import { applyFilters, drawChannelEq, validateChannelEq, type ChannelEqOptions } from './channel-eq.ts';
import { createGaussian, randomInt, uniform, type Rng } from './random.ts';

export interface NoiseOptions {
  /** SNR range in dB, relative to the utterance's gated RMS level; drawn uniformly. */
  snrDb: readonly [number, number];
  /** Chance that a window gets noise at all (0..1). */
  probability: number;
}

export interface AugmentOptions {
  /**
   * 'start': the report's rule (the utterance from sample 0, zero-padded at the end; a longer
   * one cut to its first window). 'random': a uniformly drawn offset, zeros around it; a
   * longer utterance gives a uniformly drawn stretch of itself.
   */
  placement: 'start' | 'random';
  /** Gain range in dB, drawn uniformly; null: no gain change. */
  gainDb: readonly [number, number] | null;
  /** White Gaussian noise over the whole window; null: none. */
  noise: NoiseOptions | null;
  /**
   * With loudness normalisation: an offset of its target level in dB, drawn uniformly per
   * window, i.e. a gain after normalisation (a gain before it is mostly cancelled by it), so
   * the model tolerates levels that normalisation leaves off target (noise, the boost cap).
   * Absent or null: none.
   */
  levelDb?: readonly [number, number] | null;
  /**
   * Speed factor range, drawn uniformly and rounded to SPEED_STEP: the signal is read as if
   * recorded at 8000 x factor Hz and resampled to 8 kHz (factor > 1: faster and higher).
   * Absent or null: none.
   */
  speed?: readonly [number, number] | null;
  /**
   * Crop length range in seconds, drawn uniformly: the window gets a stretch of that length
   * drawn inside the utterance's speech span (speech-span.ts), or the whole span when it is
   * shorter. Absent or null: the whole utterance.
   */
  crop?: readonly [number, number] | null;
  /** Random microphone colourings (channel-eq.ts), before placement. Absent or null: none. */
  eq?: ChannelEqOptions | null;
}

/** Speed factors are rounded to this step, so each is an integer rate pair (80 Hz apart). */
export const SPEED_STEP = 0.01;

/** No augmentation: the report's window exactly (the seed preset's training). */
export const NO_AUGMENTATION: Readonly<AugmentOptions> = Object.freeze({ placement: 'start', gainDb: null, noise: null });

/**
 * The live recipe's: random placement, +-6 dB, noise at 5-45 dB SNR half the time, and the
 * normalised level moved by +-10 dB. Measured on actors 17-20 (models/ravdess-live2-db/README.md):
 * the wider SNR range and the level jitter each raised live-window CCC through simulated
 * noisy, quiet and telephone channels, and together on clean speech too.
 */
export const DEFAULT_AUGMENTATION: Readonly<AugmentOptions> = Object.freeze({
  placement: 'random',
  gainDb: Object.freeze([-6, 6] as const),
  noise: Object.freeze({ snrDb: Object.freeze([5, 45] as const), probability: 0.5 }),
  levelDb: Object.freeze([-10, 10] as const),
});

export class AugmentError extends Error {
  override name = 'AugmentError';
}

function checkRange(r: readonly [number, number], what: string): void {
  if (!Number.isFinite(r[0]) || !Number.isFinite(r[1]) || r[0] > r[1]) {
    throw new AugmentError(`${what} must be [min, max] with min <= max, got [${r.join(', ')}]`);
  }
}

/** Checks options (from flags or a card); throws naming the bad field. */
export function validateAugment(o: AugmentOptions): AugmentOptions {
  if (o.placement !== 'start' && o.placement !== 'random') {
    throw new AugmentError(`placement must be "start" or "random", got ${JSON.stringify(o.placement)}`);
  }
  if (o.gainDb) checkRange(o.gainDb, 'gainDb');
  if (o.levelDb) checkRange(o.levelDb, 'levelDb');
  if (o.speed) {
    checkRange(o.speed, 'speed');
    if (o.speed[0] < 0.5 || o.speed[1] > 2) throw new AugmentError(`speed factors must lie in [0.5, 2], got [${o.speed.join(', ')}]`);
  }
  if (o.crop) {
    checkRange(o.crop, 'crop');
    const longest = WINDOW_LENGTH / TARGET_RATE;
    if (o.crop[0] <= 0 || o.crop[1] > longest) throw new AugmentError(`crop lengths must lie in (0, ${longest.toFixed(4)}] s, got [${o.crop.join(', ')}]`);
  }
  if (o.eq) validateChannelEq(o.eq);
  if (o.noise) {
    checkRange(o.noise.snrDb, 'noise.snrDb');
    const p = o.noise.probability;
    if (!(p >= 0 && p <= 1)) throw new AugmentError(`noise.probability must be in [0, 1], got ${p}`);
  }
  return o;
}

/** Where the utterance goes: its first sample's index in the window (negative: it starts before the window). */
export function drawOffset(signalLength: number, windowLength: number, placement: AugmentOptions['placement'], rng: Rng): number {
  if (placement === 'start') return 0;
  const room = windowLength - signalLength;
  return room >= 0 ? randomInt(rng, 0, room) : -randomInt(rng, 0, -room);
}

/** `signal` placed at `offset` in a zero window of `length` samples (clipped to the window). */
export function placeInWindow(signal: Float32Array, offset: number, length: number = WINDOW_LENGTH): Float32Array {
  if (offset === 0) return fixLength(signal, length);
  const out = new Float32Array(length);
  const from = Math.max(0, -offset);
  const to = Math.min(signal.length, length - offset);
  if (to > from) out.set(signal.subarray(from, to), offset + from);
  return out;
}

/** `signal` (8 kHz) played `factor` times faster, through the project's resampler. */
export function changeSpeed(signal: Float32Array, factor: number): Float32Array {
  const fromRate = Math.round(TARGET_RATE * factor);
  return fromRate === TARGET_RATE ? signal : resample(signal, fromRate, TARGET_RATE);
}

/** A speed factor drawn from `range`, rounded to SPEED_STEP. */
export function drawSpeed(range: readonly [number, number], rng: Rng): number {
  return Math.round(uniform(rng, range[0], range[1]) / SPEED_STEP) * SPEED_STEP;
}

/**
 * A stretch of `signal`'s speech span, `range` seconds long (drawn), at a drawn start; the
 * whole span when shorter, the signal itself when it is digital silence. Two RNG draws.
 */
export function cropSpeech(signal: Float32Array, range: readonly [number, number], rng: Rng): Float32Array {
  const length = Math.max(1, Math.round(uniform(rng, range[0], range[1]) * TARGET_RATE));
  const span = speechSpan(signal);
  const from = span ? span.start : 0;
  const to = span ? span.end : signal.length;
  const start = to - from > length ? randomInt(rng, from, to - length) : from;
  return signal.subarray(start, Math.min(to, start + length));
}

/**
 * An augmented window of an 8 kHz signal. RNG draws come in a fixed order (speed, crop,
 * channel colouring, offset, gain, noise on/off, SNR, noise samples), each only when its
 * option is on. The colouring comes before the noise: a room's noise is white, as the
 * noisy channel of evaluate simulates.
 */
export function augmentWindow(
  signal: Float32Array,
  options: AugmentOptions,
  rng: Rng,
  length: number = WINDOW_LENGTH,
): Float32Array {
  validateAugment(options);
  if (signal.length === 0) throw new AugmentError('cannot augment an empty signal');
  if (options.speed) signal = changeSpeed(signal, drawSpeed(options.speed, rng));
  if (options.crop) signal = cropSpeech(signal, options.crop, rng);
  if (options.eq) {
    const filters = drawChannelEq(options.eq, rng);
    if (filters) signal = applyFilters(signal, filters);
  }
  const out = placeInWindow(signal, drawOffset(signal.length, length, options.placement, rng), length);
  let gain = 1;
  if (options.gainDb) gain = 10 ** (uniform(rng, options.gainDb[0], options.gainDb[1]) / 20);
  let noiseRms = 0;
  if (options.noise && rng() < options.noise.probability) {
    const snr = uniform(rng, options.noise.snrDb[0], options.noise.snrDb[1]);
    // Relative to the utterance itself, so the SNR means the same whatever the padding.
    const level = gatedLevelDb(signal);
    if (level !== null) noiseRms = 10 ** ((level - snr) / 20);
  }
  if (gain !== 1 || noiseRms > 0) {
    const gauss = createGaussian(rng);
    for (let i = 0; i < out.length; i++) out[i] = gain * (noiseRms > 0 ? out[i] + noiseRms * gauss() : out[i]);
  }
  return out;
}

/**
 * The normalisation a training window goes through: the recipe's, with its target moved by
 * a draw from options.levelDb (one RNG draw, only when both are set).
 */
export function augmentNormalisation(
  normalisation: LoudnessNormalisation | null,
  options: AugmentOptions,
  rng: Rng,
): LoudnessNormalisation | null {
  if (!normalisation || !options.levelDb) return normalisation;
  return { ...normalisation, targetDb: normalisation.targetDb + uniform(rng, options.levelDb[0], options.levelDb[1]) };
}
