// The epoch-choosing summary: one corpus's valence metrics exactly, several corpora's means.
import { describe, expect, it } from 'vitest';
import { summarise } from './score.ts';
import { allMetrics } from './metrics.ts';
import { isBetter } from './recipe.ts';

const m = (n: number, ccc: number, mse: number) => ({ n, mse, ccc, pearson: ccc, sign_acc: 0.5 });

describe('summarise', () => {
  it('is the one corpus itself, the mean of several (n summed), NaN with none', () => {
    expect(summarise([{ corpus: 'a', clips: 3, valence: m(3, 0.4, 0.2), arousal: null }])).toEqual(m(3, 0.4, 0.2));
    const s = summarise([
      { corpus: 'a', clips: 10, valence: m(10, 0.6, 0.1), arousal: null },
      { corpus: 'b', clips: 2, valence: m(2, 0.2, 0.3), arousal: m(2, 0.9, 0.1) },
      { corpus: 'c', clips: 5, valence: null, arousal: m(5, 0.5, 0.2) },
    ]);
    expect(s.n).toBe(12);
    expect(s.ccc).toBeCloseTo(0.4, 12); // (0.6 + 0.2) / 2: corpus c has no valence labels
    expect(s.mse).toBeCloseTo(0.2, 12);
    expect(Number.isNaN(summarise([]).ccc)).toBe(true);
  });

  it('a corpus of one validation clip has an undefined CCC, so no epoch is chosen on it', () => {
    // Prediction 0.3 for a clip labelled 0.5: MSE (0.3 - 0.5)^2, CCC and r undefined.
    const val = summarise([{ corpus: 'a', clips: 1, valence: allMetrics([0.3], [0.5]), arousal: null }]);
    expect(Number.isNaN(val.ccc)).toBe(true);
    expect(Number.isNaN(val.pearson)).toBe(true);
    expect(isBetter(val, null, 'ccc')).toBe(false);
    expect(isBetter(val, null, 'mse')).toBe(true); // MSE is defined for one clip
  });
});
