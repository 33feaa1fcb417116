// The L2-SP term: its gradient against a central finite difference of the penalty, a hand
// value, and frozen tensors' gradients zeroed.
import { describe, expect, it } from 'vitest';
import { addL2spGradient, l2spPenalty } from './l2sp.ts';

describe('L2-SP', () => {
  const base = [Float32Array.from([0.5, -1, 2]), Float32Array.from([0.25])];
  const params = [Float32Array.from([1, -1.5, 2]), Float32Array.from([-0.75])];

  it('is (alpha / 2) |w - w_base|^2 over the trainable tensors', () => {
    // differences 0.5, -0.5, 0, -1: squares 0.25 + 0.25 + 0 + 1 = 1.5; alpha 0.2 -> 0.15
    expect(l2spPenalty(params, base, 0.2, [true, true])).toBeCloseTo(0.15, 12);
    expect(l2spPenalty(params, base, 0.2, [true, false])).toBeCloseTo(0.05, 12);
  });

  it('adds the penalty gradient, which matches a finite difference, and zeroes frozen tensors', () => {
    const alpha = 0.3;
    const grads = [Float32Array.from([1, 1, 1]), Float32Array.from([5])];
    addL2spGradient(grads, params, base, alpha, [true, false]);
    expect(grads[1][0]).toBe(0);
    const h = 1e-3;
    for (let i = 0; i < 3; i++) {
      const at = (d: number) => {
        const p = params.map((a) => Float64Array.from(a));
        p[0][i] += d;
        let sum = 0;
        p[0].forEach((v, j) => (sum += (v - base[0][j]) ** 2));
        return (alpha / 2) * sum;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      expect(grads[0][i] - 1).toBeCloseTo(fd, 5);
    }
    // by hand: alpha * (w - w_base) = 0.3 * [0.5, -0.5, 0]
    expect(grads[0][0]).toBeCloseTo(1.15, 6);
    expect(grads[0][1]).toBeCloseTo(0.85, 6);
    expect(grads[0][2]).toBe(1);
  });
});
