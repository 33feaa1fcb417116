// The report's hyper-parameter grid (SPEC section 2) as recipes, and the summary of a grid or
// cross-validation: mean metrics over the splits and the results table, best row first.
// Pure (no TF.js), so tests can check the whole grid without training it.
import type { Activation, Pooling } from '../model/config.ts';
import type { ValenceMetrics } from './metrics.ts';
import { isBetter, type Recipe, type Selection } from './recipe.ts';

/** The values each grid axis takes. */
export interface GridAxes {
  lr: readonly number[];
  activation: readonly Activation[];
  kernelSize: readonly number[];
  pooling: readonly Pooling[];
}

/** The report's grid (SPEC section 2): 5 x 2 x 2 x 2 = 40 configurations. */
export const GRID: GridAxes = Object.freeze({
  lr: Object.freeze([1e-3, 1e-4, 5e-4, 5e-5, 1e-5]),
  activation: Object.freeze(['relu', 'sigmoid'] as const),
  kernelSize: Object.freeze([3, 5]),
  pooling: Object.freeze(['max', 'avg'] as const),
});

/** One recipe per point of the grid (lr outermost, pooling innermost); the rest of `base` is kept. */
export function gridRecipes(base: Recipe, axes: GridAxes = GRID): Recipe[] {
  return axes.lr.flatMap((lr) =>
    axes.activation.flatMap((activation) =>
      axes.kernelSize.flatMap((kernelSize) =>
        axes.pooling.map((pooling) => ({ ...base, lr, config: { ...base.config, activation, kernelSize, pooling } })),
      ),
    ),
  );
}

export type MeanMetrics = Omit<ValenceMetrics, 'n'>;

/** Mean of each metric over the splits (the key order is the printed JSON's). */
export function meanMetrics(ms: readonly ValenceMetrics[]): MeanMetrics {
  const mean = (k: keyof MeanMetrics) => ms.reduce((s, m) => s + m[k], 0) / ms.length;
  return { mse: mean('mse'), ccc: mean('ccc'), pearson: mean('pearson'), sign_acc: mean('sign_acc') };
}

/**
 * Results best first on the selection metric (the one that picks epochs) of their mean over
 * the splits; NaN last, ties keep their order. The grid table and the model kept both come
 * from this one ranking, so the model saved is always the top row's.
 */
export function rankRows<T extends { mean: Pick<ValenceMetrics, 'ccc' | 'mse'> }>(rows: readonly T[], select: Selection): T[] {
  return [...rows].sort((a, b) => (isBetter(a.mean, b.mean, select) ? -1 : isBetter(b.mean, a.mean, select) ? 1 : 0));
}
