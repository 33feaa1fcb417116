// The grid of `npm run train -- --grid` without training it: the 40 configurations of SPEC
// section 2, the mean over splits and the ranking of the results table. (Axes fixed by
// flags: scripts/train/options.test.ts.)
import { describe, expect, it } from 'vitest';
import type { ValenceMetrics } from './metrics.ts';
import { gridRecipes, meanMetrics, rankRows } from './grid.ts';
import { buildRecipe } from './recipe.ts';

// SPEC section 2, written out here so the test does not read the grid from the code it checks.
const SPEC_LR = [1e-3, 1e-4, 5e-4, 5e-5, 1e-5];
const SPEC_ACTIVATION = ['relu', 'sigmoid'];
const SPEC_KERNEL = [3, 5];
const SPEC_POOL = ['max', 'avg'];
const specPoints = SPEC_LR.flatMap((lr) =>
  SPEC_ACTIVATION.flatMap((a) => SPEC_KERNEL.flatMap((k) => SPEC_POOL.map((p) => `${lr}|${a}|${k}|${p}`))),
);

const base = () => buildRecipe('seed', { epochs: 3, batchSize: 2 });

describe('gridRecipes', () => {
  it('gives each of the 40 SPEC configurations once and keeps the rest of the recipe', () => {
    const b = base();
    const recipes = gridRecipes(b);
    expect(specPoints).toHaveLength(40);
    expect(recipes).toHaveLength(specPoints.length);
    const points = recipes.map((r) => `${r.lr}|${r.config.activation}|${r.config.kernelSize}|${r.config.pooling}`);
    expect(new Set(points).size).toBe(points.length);
    expect([...points].sort()).toEqual([...specPoints].sort());
    for (const r of recipes) {
      expect({ ...r, lr: b.lr, config: { ...r.config, activation: b.config.activation, kernelSize: b.config.kernelSize, pooling: b.config.pooling } }).toEqual(b);
    }
  });
});

describe('meanMetrics and rankRows', () => {
  const m = (mse: number, ccc: number, pearson = 0.5, sign_acc = 0.5, n = 4): ValenceMetrics => ({ n, mse, ccc, pearson, sign_acc });

  it('averages each metric over the splits', () => {
    expect(meanMetrics([m(0.2, 0.1, 0.3, 0.5), m(0.4, 0.3, -0.1, 1)])).toEqual({
      mse: (0.2 + 0.4) / 2,
      ccc: (0.1 + 0.3) / 2,
      pearson: (0.3 - 0.1) / 2,
      sign_acc: (0.5 + 1) / 2,
    });
  });

  it('puts the best mean first on the selection metric, NaN last, ties in grid order', () => {
    const rows = [
      { id: 'a', mean: m(0.3, 0.2) },
      { id: 'b', mean: m(0.1, NaN) },
      { id: 'c', mean: m(0.5, 0.4) },
      { id: 'd', mean: m(NaN, 0.2) },
      { id: 'e', mean: m(0.2, 0.1) },
    ];
    expect(rankRows(rows, 'ccc').map((r) => r.id)).toEqual(['c', 'a', 'd', 'e', 'b']);
    expect(rankRows(rows, 'mse').map((r) => r.id)).toEqual(['b', 'e', 'a', 'c', 'd']);
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e']); // the input is not reordered
  });

  it('ranks recipes by their mean over the folds, not by their single best fold', () => {
    // "lucky" has the best single fold but the worse mean; train keeps the top row's model.
    const lucky = [m(0.2, 0.9), m(0.9, -0.5)];
    const steady = [m(0.3, 0.5), m(0.4, 0.4)];
    const rows = [
      { id: 'lucky', mean: meanMetrics(lucky) },
      { id: 'steady', mean: meanMetrics(steady) },
    ];
    expect(rankRows(rows, 'ccc').map((r) => r.id)).toEqual(['steady', 'lucky']);
    expect(rankRows(rows, 'mse').map((r) => r.id)).toEqual(['steady', 'lucky']);
  });
});
