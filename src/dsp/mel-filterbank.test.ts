import { describe, expect, it } from 'vitest';
import { emulatedMelPoints, melFilterbank, melFilterbankDense, melPoints } from './mel-filterbank.ts';
import { melParams } from './mel-params.ts';
import { TORCH_MEL_POINTS, TORCH_MEL_POINTS_FOR } from './torch-mel-points.ts';

/** Distance in float32 steps between two float32 values of the same sign. */
function ulps(a: number, b: number): number {
  const buf = new Float32Array([a, b]);
  const bits = new Int32Array(buf.buffer);
  return Math.abs(bits[0] - bits[1]);
}

describe('Mel filter edges', () => {
  it("uses torch's own edges for the app's parameters", () => {
    expect(melPoints(melParams())).toEqual(TORCH_MEL_POINTS);
    expect(melPoints(TORCH_MEL_POINTS_FOR)).toEqual(TORCH_MEL_POINTS);
  });

  it("emulates torch's float32 edges to within 1 ulp (torch's pow is SLEEF's)", () => {
    const emulated = emulatedMelPoints(TORCH_MEL_POINTS_FOR);
    expect(emulated.length).toBe(TORCH_MEL_POINTS.length);
    let differing = 0;
    for (let i = 0; i < emulated.length; i++) {
      expect(ulps(emulated[i], TORCH_MEL_POINTS[i]), `edge ${i}`).toBeLessThanOrEqual(1);
      if (emulated[i] !== TORCH_MEL_POINTS[i]) differing++;
    }
    expect(differing).toBeLessThanOrEqual(3);
  });
});

describe('melFilterbank', () => {
  const p = melParams();
  const dense = melFilterbankDense(p);
  const sparse = melFilterbank(p);
  const nFreqs = p.nFft / 2 + 1;

  it('has triangles in [0, 1] where each FFT bin feeds at most 2 filters', () => {
    let outOfRange = 0;
    let maxFeeds = 0;
    for (let k = 0; k < nFreqs; k++) {
      let feeds = 0;
      for (let m = 0; m < p.nMels; m++) {
        const w = dense[k * p.nMels + m];
        if (!(w >= 0 && w <= 1)) outOfRange++;
        if (w > 0) feeds++;
      }
      maxFeeds = Math.max(maxFeeds, feeds);
    }
    expect(outOfRange).toBe(0);
    expect(maxFeeds).toBe(2);
  });

  it('stores exactly the dense weights in its sparse runs', () => {
    let mismatches = 0;
    for (let m = 0; m < p.nMels; m++) {
      const start = sparse.offset[m];
      const count = sparse.offset[m + 1] - start;
      expect(count, `filter ${m}`).toBeGreaterThan(0);
      for (let k = 0; k < nFreqs; k++) {
        const j = k - sparse.first[m];
        const w = j >= 0 && j < count ? sparse.weights[start + j] : 0;
        if (w !== dense[k * p.nMels + m]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
});
