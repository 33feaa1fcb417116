// Clip selection for personal fine-tuning: shares by hand, every label present, the same
// draw for the same seed, and clear refusals.
import { describe, expect, it } from 'vitest';
import { allocate, selectClips, strata } from './select.ts';

describe('allocate', () => {
  it('gives each stratum its share of K by largest remainder, at least one each', () => {
    // quotas 12 * [4, 8, 8, 8] / 28 = 1.714, 3.429 x 3: floors 1, 3, 3, 3 (10); the two spare
    // clips go to the largest remainders, 0.714 then the first 0.429.
    expect(allocate([4, 8, 8, 8], 12)).toEqual([2, 4, 3, 3]);
    // quotas 4 * [1, 1, 10] / 12 = 0.33, 0.33, 3.33: floors 0, 0, 3, the zeros raised to 1,
    // then the sum 5 is one over, taken from the only stratum with more than one.
    expect(allocate([1, 1, 10], 4)).toEqual([1, 1, 2]);
    expect(allocate([2, 2], 4)).toEqual([2, 2]);
  });
});

describe('selectClips', () => {
  // A RAVDESS-like speaker: 4 neutral, 8 of each of three other labels, unknown twice.
  const labels: (number | null)[] = [
    ...Array<number>(4).fill(0),
    ...Array<number>(8).fill(0.8),
    ...Array<number>(8).fill(-0.6),
    ...Array<number>(8).fill(0.3),
    null,
    null,
  ];

  it('groups by label, ascending, unknown last', () => {
    expect(strata([0.5, null, -1, 0.5]).map((g) => g)).toEqual([[2], [0, 3], [1]]);
  });

  it('takes K clips with every label at its share and leaves the rest', () => {
    const { train, rest } = selectClips(labels, 12, 7);
    expect(train).toHaveLength(12);
    expect(rest).toHaveLength(labels.length - 12);
    expect([...train, ...rest].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    const count = (v: number | null) => train.filter((i) => labels[i] === v).length;
    // sizes (ascending labels) -0.6: 8, 0: 4, 0.3: 8, 0.8: 8, unknown: 2 (30 clips); quotas
    // 3.2, 1.6, 3.2, 3.2, 0.8: floors 3, 1, 3, 3, then 1 raised to 1 = 11; the spare clip goes
    // to the largest remainder, neutral's 0.6.
    expect([count(-0.6), count(0), count(0.3), count(0.8), count(null)]).toEqual([3, 2, 3, 3, 1]);
  });

  it('draws the same clips for the same seed and others for another', () => {
    expect(selectClips(labels, 12, 7)).toEqual(selectClips(labels, 12, 7));
    expect(selectClips(labels, 12, 8).train).not.toEqual(selectClips(labels, 12, 7).train);
  });

  it('refuses a K that leaves nothing to score or misses a label', () => {
    expect(() => selectClips([0, 1, 1], 3, 0)).toThrow(/K = 3 leaves none of the 3 clips to score/);
    expect(() => selectClips(labels, 4, 0)).toThrow(/K = 4 is fewer than the 5 distinct labels/);
    expect(() => selectClips(labels, 2.5, 0)).toThrow(/whole number/);
  });
});
