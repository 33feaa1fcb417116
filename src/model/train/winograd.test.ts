// The Winograd convolution (winograd.ts): its matrices (winograd-matrices.ts) against the
// plain correlation in float64, and its forward and gradients, run on wasm, against tf.grad
// of stock ops on cpu.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { randomArray, relError, runOn, seededRandom } from './test-support.ts';
import { winogradMatrices } from './winograd-matrices.ts';
import { WinogradWorkspace, winogradBackward, winogradForward } from './winograd.ts';

const TOL = 2e-5; // as conv-grad.test.ts

describe('winogradMatrices', () => {
  for (const [m, r] of [[2, 3], [4, 3], [6, 3], [2, 5], [3, 5], [4, 5], [2, 7]]) {
    it(`F(${m}, ${r}): AT [(G g) * (BT d)] is the correlation of d with g`, () => {
      const { AT, G, BT, alpha } = winogradMatrices(m, r);
      expect(alpha).toBe(m + r - 1);
      const rand = seededRandom(m * 10 + r);
      for (let trial = 0; trial < 20; trial++) {
        const d = Array.from({ length: alpha }, () => rand() - 0.5);
        const g = Array.from({ length: r }, () => rand() - 0.5);
        const u = G.map((row) => row.reduce((s, c, b) => s + c * g[b], 0));
        const v = BT.map((row) => row.reduce((s, c, j) => s + c * d[j], 0));
        for (let o = 0; o < m; o++) {
          const y = AT[o].reduce((s, c, xi) => s + c * u[xi] * v[xi], 0);
          const direct = g.reduce((s, gb, b) => s + gb * d[o + b], 0);
          expect(Math.abs(y - direct)).toBeLessThan(1e-12);
        }
      }
    });
  }

  it('refuses tiles it has no interpolation points for', () => {
    expect(() => winogradMatrices(6, 5)).toThrow(/F\(6, 5\)/);
  });
});

describe('winograd convolution (wasm) vs cpu tf.grad', () => {
  // [m, kernel, padding, N, Cin, Cout, H, W]: border (p > k - 1), p = k - 1, p < k - 1, p = 0;
  // output widths that are and are not multiples of m; one sample and several.
  const cases: [number, number, number, number, number, number, number, number][] = [
    [4, 5, 7, 2, 3, 4, 9, 11],
    [3, 5, 7, 2, 5, 3, 8, 12],
    [2, 5, 4, 3, 2, 3, 7, 9],
    [4, 5, 2, 1, 4, 2, 10, 7],
    [4, 3, 4, 2, 3, 5, 6, 10],
    [4, 3, 1, 2, 4, 3, 8, 9],
    [3, 3, 0, 2, 2, 3, 7, 8],
    [4, 5, 0, 2, 3, 2, 9, 12],
  ];
  for (const [m, k, p, n, cin, cout, h, w] of cases) {
    it(`F(${m}, ${k}) p=${p} N=${n} ${cin}->${cout} on ${h}x${w}`, async () => {
      const xs = randomArray(n * h * w * cin, 1);
      const ws = randomArray(k * k * cin * cout, 2, 0.5);
      const bs = randomArray(cout, 3);
      const ho = h + 2 * p - k + 1;
      const wo = w + 2 * p - k + 1;
      const rs = randomArray(n * ho * wo * cout, 4); // a random upstream gradient
      const ref = await runOn('cpu', () => {
        const x = tf.tensor4d(xs, [n, h, w, cin]);
        const r = tf.tensor4d(rs, [n, ho, wo, cout]);
        const conv = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
          tf.add(tf.conv2d(tf.pad(xi as tf.Tensor4D, [[0, 0], [p, p], [p, p], [0, 0]]), wi as tf.Tensor4D, 1, 'valid'), bi);
        const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(conv(xi, wi, bi), r));
        const wt = tf.tensor4d(ws, [k, k, cin, cout]);
        const b = tf.tensor1d(bs);
        return [conv(x, wt, b), ...tf.grads(f)([x, wt, b])];
      });
      const fast = await runOn('wasm', () => {
        const x = tf.tensor4d(xs, [n, h, w, cin]);
        const { y, saved } = winogradForward(x, ws, bs, k, p, m);
        const g = winogradBackward(saved, tf.tensor4d(rs, [n, ho, wo, cout]), true);
        return [y, g.dx as tf.Tensor, g.dw, g.db];
      });
      ['y', 'dx', 'dw', 'db'].forEach((name, i) => {
        expect(relError(fast[i], ref[i]), name).toBeLessThan(TOL);
      });
    });
  }

  it('a reused workspace gives the same results as fresh arrays, across shapes', async () => {
    const k = 5;
    const p = 7;
    const cin = 3;
    const cout = 2;
    const run = (n: number, h: number, w: number, seed: number, workspace?: WinogradWorkspace) => {
      const ho = h + 2 * p - k + 1;
      const wo = w + 2 * p - k + 1;
      const x = tf.tensor4d(randomArray(n * h * w * cin, seed), [n, h, w, cin]);
      const { y, saved } = winogradForward(x, randomArray(k * k * cin * cout, seed + 1), randomArray(cout, seed + 2), k, p, 4, workspace, 'a');
      const g = winogradBackward(saved, tf.tensor4d(randomArray(n * ho * wo * cout, seed + 3), [n, ho, wo, cout]), true);
      return [y, g.dx as tf.Tensor, g.dw, g.db];
    };
    // Same tag, different geometry in between: stale padding or sums would show.
    const shapes: [number, number, number, number][] = [
      [2, 8, 9, 10],
      [2, 8, 9, 30],
      [1, 6, 13, 20],
      [2, 8, 9, 40],
    ];
    const ws = new WinogradWorkspace();
    for (const [n, h, w, seed] of shapes) {
      const fresh = await runOn('wasm', () => run(n, h, w, seed));
      const reused = await runOn('wasm', () => run(n, h, w, seed, ws));
      reused.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(fresh[i])));
    }
  });
});
