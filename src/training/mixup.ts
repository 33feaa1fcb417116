// Mixup (Zhang et al. 2018) for training windows: a window's features are blended with a
// partner clip's, and its targets alike, so the model sees the space between voices and
// corpora rather than only the points where speakers sit. The "mixup" lever.
// Features are blended after windowFeatures (log-Mel, or power), before the spectrogram
// masks; λ is kept at or above 0.5 so each window stays mostly its own clip, and a target
// unknown on either side stays unknown (NaN: the masked loss skips it). Pure: no TF.js.
import { createGaussian, randomInt, type Rng } from './random.ts';

/** A row's partner: its clip index, its window seed and the weight of the row's own window. */
export interface Mix {
  partner: number;
  seed: number;
  lambda: number;
}

export class MixupError extends Error {
  override name = 'MixupError';
}

/** Checks a Beta parameter (flag or card): a number > 0. */
export function validateMixupAlpha(alpha: number): number {
  if (!(alpha > 0 && Number.isFinite(alpha))) throw new MixupError(`mixup alpha must be a number > 0, got ${alpha}`);
  return alpha;
}

/** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 through Gamma(shape + 1) U^(1/shape). */
function gamma(rng: Rng, normal: () => number, shape: number): number {
  if (shape < 1) return gamma(rng, normal, shape + 1) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Beta(a, b) number from two Gamma draws. */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const normal = createGaussian(rng);
  const x = gamma(rng, normal, a);
  const y = gamma(rng, normal, b);
  return x + y > 0 ? x / (x + y) : 0.5;
}

/**
 * One Mix per row: a partner drawn uniformly from `pool` (clip indices: the epoch's order,
 * so partners follow its corpus balance), a window seed, and λ = max(u, 1 - u), u ~ Beta(α, α).
 */
export function drawMixes(rows: number, pool: readonly number[], alpha: number, rng: Rng): Mix[] {
  if (pool.length === 0) throw new MixupError('mixup needs at least one clip to draw partners from');
  return Array.from({ length: rows }, () => {
    const partner = pool[randomInt(rng, 0, pool.length - 1)];
    const seed = Math.floor(rng() * 2 ** 31);
    const u = sampleBeta(rng, alpha, alpha);
    return { partner, seed, lambda: Math.max(u, 1 - u) };
  });
}

/** out = λ out + (1 - λ) other, in place. */
export function blendInto(out: Float32Array, other: Float32Array, lambda: number): Float32Array {
  if (other.length !== out.length) throw new MixupError(`cannot blend ${other.length} values into ${out.length}`);
  const mu = 1 - lambda;
  for (let i = 0; i < out.length; i++) out[i] = lambda * out[i] + mu * other[i];
  return out;
}

/** Row-major targets [rows, K] blended with the partners' (NaN on either side stays NaN). */
export function blendTargets(own: Float32Array, partners: Float32Array, mixes: readonly Mix[]): Float32Array {
  if (own.length !== partners.length || own.length % Math.max(1, mixes.length) !== 0) {
    throw new MixupError(`targets: ${own.length} own, ${partners.length} partners' for ${mixes.length} rows`);
  }
  const k = mixes.length === 0 ? 0 : own.length / mixes.length;
  const y = new Float32Array(own.length);
  for (let i = 0; i < own.length; i++) {
    const l = mixes[Math.floor(i / k)].lambda;
    y[i] = l * own[i] + (1 - l) * partners[i];
  }
  return y;
}
