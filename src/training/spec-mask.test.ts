// SpecAugment masks: whole bands and whole frame runs take the window's mean, nothing else
// changes, widths stay within bounds, and a seed repeats the masks.
import { describe, expect, it } from 'vitest';
import { applySpecMask, validateSpecMask } from './spec-mask.ts';
import { createRng } from './random.ts';

const MELS = 8;
const FRAMES = 10;
/** Distinct values 1..80, so a masked cell (the mean, 40.5) is recognisable. */
const grid = () => Float32Array.from({ length: MELS * FRAMES }, (_, i) => i + 1);

describe('applySpecMask', () => {
  it('fills one band of bins with the mean', () => {
    const x = applySpecMask(grid(), MELS, FRAMES, { freq: { count: 1, maxWidth: 3 }, time: { count: 0, maxWidth: 0 } }, createRng(5));
    const masked = Array.from({ length: MELS }, (_, m) => x.subarray(m * FRAMES, (m + 1) * FRAMES).every((v) => v === 40.5));
    const rows = masked.flatMap((b, m) => (b ? [m] : []));
    expect(rows.length).toBeLessThanOrEqual(3);
    // Masked rows are contiguous; the others are untouched.
    if (rows.length > 0) expect(rows[rows.length - 1] - rows[0]).toBe(rows.length - 1);
    x.forEach((v, i) => {
      if (!masked[Math.floor(i / FRAMES)]) expect(v).toBe(i + 1);
    });
  });

  it('fills one run of frames in every bin with the mean', () => {
    const x = applySpecMask(grid(), MELS, FRAMES, { freq: { count: 0, maxWidth: 0 }, time: { count: 1, maxWidth: 4 } }, createRng(11));
    const cols = Array.from({ length: FRAMES }, (_, f) => Array.from({ length: MELS }, (_, m) => x[m * FRAMES + f]).every((v) => v === 40.5));
    const masked = cols.flatMap((b, f) => (b ? [f] : []));
    expect(masked.length).toBeLessThanOrEqual(4);
    x.forEach((v, i) => {
      if (!cols[i % FRAMES]) expect(v).toBe(i + 1);
    });
  });

  it('repeats with the same seed and refuses bad options', () => {
    const o = { freq: { count: 2, maxWidth: 3 }, time: { count: 2, maxWidth: 3 } };
    expect(applySpecMask(grid(), MELS, FRAMES, o, createRng(2))).toEqual(applySpecMask(grid(), MELS, FRAMES, o, createRng(2)));
    expect(() => applySpecMask(new Float32Array(3), MELS, FRAMES, o, createRng(2))).toThrow(/not 8 x 10/);
    expect(() => validateSpecMask({ freq: { count: -1, maxWidth: 1 }, time: { count: 0, maxWidth: 0 } })).toThrow(/freq.count/);
  });
});
