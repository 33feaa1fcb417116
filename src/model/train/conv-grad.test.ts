// Every gradient of the fast path, run on wasm, against tf.grad of stock ops on the cpu
// backend (and max pooling's tie rule against a plain loop).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Activation, Pooling } from '../config.ts';
import {
  activate,
  activationBackward,
  conv2dFast,
  convBackpropFilterShifted,
  convBackward,
  convForward,
  flipKernel,
  flipKernelValues,
  poolBackward,
  poolForward,
} from './conv-grad.ts';
import { randomArray, relError, runOn } from './test-support.ts';

const TOL = 2e-5;

describe('conv gradients (wasm fast path vs cpu tf.grad)', () => {
  // [kernel, padding, Cin, Cout, H, W]: border (p > k-1), p = k-1, p < k-1, p = 0.
  const cases: [number, number, number, number, number, number][] = [
    [5, 7, 2, 3, 9, 11],
    [3, 4, 3, 2, 6, 5],
    [5, 4, 2, 4, 8, 7],
    [3, 1, 3, 4, 8, 7],
    [5, 2, 1, 3, 7, 10],
    [3, 0, 2, 3, 6, 6],
  ];
  for (const [k, p, cin, cout, h, w] of cases) {
    it(`k=${k} p=${p} ${cin}->${cout} on ${h}x${w}`, async () => {
      const n = 2;
      const xs = randomArray(n * h * w * cin, 1);
      const ws = randomArray(k * k * cin * cout, 2, 0.5);
      const bs = randomArray(cout, 3);
      const ho = h + 2 * p - k + 1;
      const wo = w + 2 * p - k + 1;
      const rs = randomArray(n * ho * wo * cout, 4); // a random upstream gradient
      const make = () => [
        tf.tensor4d(xs, [n, h, w, cin]),
        tf.tensor4d(ws, [k, k, cin, cout]),
        tf.tensor1d(bs),
        tf.tensor4d(rs, [n, ho, wo, cout]),
      ] as const;
      const ref = await runOn('cpu', () => {
        const [x, wt, b, r] = make();
        const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => {
          const y = tf.add(tf.conv2d(tf.pad(xi as tf.Tensor4D, [[0, 0], [p, p], [p, p], [0, 0]]), wi as tf.Tensor4D, 1, 'valid'), bi);
          return tf.sum(tf.mul(y, r));
        };
        const y = tf.add(tf.conv2d(tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]), wt, 1, 'valid'), b);
        return [y, ...tf.grads(f)([x, wt, b])];
      });
      const fast = await runOn('wasm', () => {
        const [x, wt, b, r] = make();
        const y = convForward(x, wt, b, p);
        const g = convBackward(x, wt, r, p, true);
        return [y, g.dx as tf.Tensor, g.dw, g.db];
      });
      const viaCustomGrad = await runOn('wasm', () => {
        const [x, wt, b, r] = make();
        const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
          tf.sum(tf.mul(conv2dFast(xi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D, p), r));
        return tf.grads(f)([x, wt, b]);
      });
      ['y', 'dx', 'dw', 'db'].forEach((name, i) => {
        expect(relError(fast[i], ref[i]), name).toBeLessThan(TOL);
      });
      ['dx', 'dw', 'db'].forEach((name, i) => {
        expect(relError(viaCustomGrad[i], ref[i + 1]), `customGrad ${name}`).toBeLessThan(TOL);
      });
    });
  }

  // The shifted formulation's layout depends on N, Cin and the kernel width: 1 and 3 samples,
  // non-square inputs, and dy that is not the output of a padded conv (plain valid conv).
  const filterCases: [number, number, number, number, number, number, number][] = [
    // [n, h, w, cin, cout, k, p]
    [1, 7, 9, 2, 3, 5, 4],
    [3, 6, 11, 3, 2, 3, 2],
    [2, 8, 5, 1, 4, 3, 0],
    [3, 9, 6, 4, 5, 5, 1],
  ];
  for (const [n, h, w, cin, cout, k, p] of filterCases) {
    it(`convBackpropFilterShifted n=${n} ${h}x${w} ${cin}->${cout} k=${k} p=${p}`, async () => {
      const xs = randomArray(n * h * w * cin, 11);
      const ho = h + 2 * p - k + 1;
      const wo = w + 2 * p - k + 1;
      const rs = randomArray(n * ho * wo * cout, 12);
      const ref = await runOn('cpu', () => {
        const x = tf.tensor4d(xs, [n, h, w, cin]);
        const r = tf.tensor4d(rs, [n, ho, wo, cout]);
        const f = (wi: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]), wi as tf.Tensor4D, 1, 'valid'), r));
        return [tf.grad(f)(tf.zeros([k, k, cin, cout]))];
      });
      const fast = await runOn('wasm', () => [convBackpropFilterShifted(tf.tensor4d(xs, [n, h, w, cin]), tf.tensor4d(rs, [n, ho, wo, cout]), p)]);
      expect(relError(fast[0], ref[0])).toBeLessThan(TOL);
    });
  }
});

describe('activation and pooling gradients (wasm vs cpu tf.grad)', () => {
  const shape: [number, number, number, number] = [2, 7, 9, 3]; // odd: floor pooling drops a row and column
  const size = shape.reduce((a, b) => a * b);
  const dpShape: [number, number, number, number] = [2, 3, 4, 3];
  for (const act of ['relu', 'sigmoid'] as Activation[]) {
    for (const pool of ['avg', 'max'] as Pooling[]) {
      it(`${act} -> ${pool} pool`, async () => {
        const zs = randomArray(size, 5, 2);
        const rs = randomArray(dpShape.reduce((a, b) => a * b), 6);
        const ref = await runOn('cpu', () => {
          const z = tf.tensor4d(zs, shape);
          const r = tf.tensor4d(rs, dpShape);
          const f = (zi: tf.Tensor) => {
            const a = act === 'relu' ? tf.relu(zi) : tf.sigmoid(zi);
            const p = pool === 'avg' ? tf.avgPool(a as tf.Tensor4D, 2, 2, 'valid') : tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid');
            return tf.sum(tf.mul(p, r));
          };
          return [tf.grad(f)(z)];
        });
        const fast = await runOn('wasm', () => {
          const z = tf.tensor4d(zs, shape);
          const r = tf.tensor4d(rs, dpShape);
          const a = activate(z, act);
          const p = poolForward(a, pool);
          return [activationBackward(poolBackward(r, a, p, pool), a, act)];
        });
        expect(relError(fast[0], ref[0])).toBeLessThan(TOL);
      });
    }
  }

  it('max pooling sends the gradient to the first maximum of a tied window', async () => {
    // Values from {0, 1, 2}: most windows hold ties.
    const vs = randomArray(size, 7).map((v) => Math.round(v + 1));
    const rs = randomArray(dpShape.reduce((a, b) => a * b), 8);
    const [n, h, w, c] = shape;
    const [, hp, wp] = dpShape;
    // Independent loop: row-major window order, strict > keeps the first maximum.
    const expected = new Float32Array(size);
    const at = (b: number, i: number, j: number, ch: number) => ((b * h + i) * w + j) * c + ch;
    for (let b = 0; b < n; b++)
      for (let i = 0; i < hp; i++)
        for (let j = 0; j < wp; j++)
          for (let ch = 0; ch < c; ch++) {
            let best = at(b, 2 * i, 2 * j, ch);
            for (const [di, dj] of [[0, 1], [1, 0], [1, 1]]) {
              const idx = at(b, 2 * i + di, 2 * j + dj, ch);
              if (vs[idx] > vs[best]) best = idx;
            }
            expected[best] += rs[((b * hp + i) * wp + j) * c + ch];
          }
    const fast = await runOn('wasm', () => {
      const a = tf.tensor4d(vs, shape);
      return [poolBackward(tf.tensor4d(rs, dpShape), a, poolForward(a, 'max'), 'max')];
    });
    // + 0 turns -0 (a masked-out product) into 0.
    expect(Array.from(fast[0], (v) => v + 0)).toEqual(Array.from(expected));
  });
});

describe('flipped kernel', () => {
  it('flipKernelValues equals flipKernel on wasm and reverse + transpose on cpu', async () => {
    const shape = [3, 3, 2, 5];
    const ws = randomArray(90, 9);
    const ref = await runOn('cpu', () => [tf.transpose(tf.reverse(tf.tensor4d(ws, shape as [number, number, number, number]), [0, 1]), [0, 1, 3, 2])]);
    const viaGather = await runOn('wasm', () => [flipKernel(tf.tensor4d(ws, shape as [number, number, number, number]))]);
    expect(Array.from(flipKernelValues(ws, shape))).toEqual(Array.from(ref[0]));
    expect(Array.from(viaGather[0])).toEqual(Array.from(ref[0]));
  });
});
