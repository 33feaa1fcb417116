// The comparison behind every fixture check: exact on hand-worked arrays, NaN never close.
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, maxValue } from './compare.ts';

describe('maxAbsDiff', () => {
  it('is the largest absolute difference', () => {
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 1])).toBe(2);
    expect(maxAbsDiff(new Float32Array([0, -1]), new Float32Array([0.25, -1]))).toBe(0.25);
    expect(maxAbsDiff([], [])).toBe(0);
  });

  it('counts a NaN on either side as infinitely far', () => {
    expect(maxAbsDiff([0, NaN, 0], [0, 0, 5])).toBe(Infinity);
    expect(maxAbsDiff([0, 0], [NaN, 0])).toBe(Infinity);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => maxAbsDiff([1, 2], [1])).toThrow(/2 values with 1/);
  });
});

describe('maxValue', () => {
  it('is the largest value, -Infinity for none', () => {
    expect(maxValue([-3, 7, 2])).toBe(7);
    expect(maxValue([])).toBe(-Infinity);
  });
});
