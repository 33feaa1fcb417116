// The spread of a fine-tune's readings (recipe.scale): a fit on a dozen clips by MSE reads
// shrunk towards its mean, and CCC charges for that where Pearson r does not. Widening the
// readings about their mean over the clips, by a factor folded into the output layer, keeps
// their order and mean and moves their spread towards the labels'. Pure: no TF.js.
import type { Labels } from '../score.ts';
import { MAX_FIT_SCALE, type SpreadScale } from './recipe.ts';

export interface Spread {
  /** Per output: the factor. */
  scale: number[];
  /** Per output: the mean reading over the clips it was measured on (before any offset). */
  centre: number[];
}

const labelOf = (c: Labels, d: number) => (d === 0 ? c.valence : c.arousal);

/**
 * Each output's factor and centre from the clips' readings `predicted` [clips x outputs]:
 * `rule` itself, or for 'fit' the labels' standard deviation over the readings', kept within
 * [1, MAX_FIT_SCALE] (1 where either has no spread). Centres over the clips with that label known.
 */
export function spreadScale(clips: readonly Labels[], predicted: Float32Array, outputs: number, rule: SpreadScale): Spread {
  const scale: number[] = [];
  const centre: number[] = [];
  for (let d = 0; d < outputs; d++) {
    const known = clips.flatMap((c, i) => (labelOf(c, d) === null ? [] : [i]));
    const p = known.map((i) => predicted[i * outputs + d]);
    const y = known.map((i) => labelOf(clips[i], d) as number);
    const mp = mean(p);
    centre.push(Number.isFinite(mp) ? mp : 0);
    if (rule !== 'fit') {
      scale.push(rule);
      continue;
    }
    const sp = sd(p, mp);
    const sy = sd(y, mean(y));
    scale.push(sp > 1e-6 && sy > 0 ? Math.min(MAX_FIT_SCALE, Math.max(1, sy / sp)) : 1);
  }
  return { scale, centre };
}

/**
 * Folds y' = c + s (y - c) into the output layer of `weights` (LayersModel order: the dense
 * kernel [inputs x outputs], then its bias), in place. `centre` is in the outputs' current terms.
 */
export function foldSpread(weights: Float32Array[], scale: readonly number[], centre: readonly number[]): void {
  const kernel = weights[weights.length - 2];
  const bias = weights[weights.length - 1];
  const outputs = bias.length;
  for (let j = 0; j < kernel.length; j++) kernel[j] *= scale[j % outputs];
  for (let d = 0; d < outputs; d++) bias[d] = scale[d] * bias[d] + (1 - scale[d]) * centre[d];
}

function mean(v: readonly number[]): number {
  return v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length;
}

function sd(v: readonly number[], m: number): number {
  return v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
}
