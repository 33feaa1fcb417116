// readInto reads private internals of tfjs-backend-wasm: under the pinned TF.js it must take
// its heap path (a silent fallback to dataSync would only show as a slower step), and the
// installed TF.js must be the version package.json pins.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { version as tfjsVersion } from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { randomArray, setBackend } from './test-support.ts';
import { readCounts, readInto } from './wasm-read.ts';
import { winogradBackward, winogradForward } from './winograd.ts';

/** Counter changes over fn. */
function countsOver(fn: () => void): { heap: number; dataSync: number } {
  const before = readCounts();
  fn();
  const after = readCounts();
  return { heap: after.heap - before.heap, dataSync: after.dataSync - before.dataSync };
}

describe('readInto', () => {
  it('on wasm, copies the values straight from the heap', async () => {
    await setBackend('wasm');
    const values = randomArray(1000, 5);
    const out = new Float32Array(1000);
    const delta = countsOver(() =>
      tf.tidy(() => {
        readInto(tf.tensor1d(values), out);
      }),
    );
    expect(delta).toEqual({ heap: 1, dataSync: 0 });
    expect(Array.from(out)).toEqual(Array.from(values));
    // A tensor a kernel wrote (not one uploaded from JS), read into a reused array.
    const sum = tf.tidy(() => readInto(tf.add(tf.tensor1d(values), 1), out).slice());
    expect(Array.from(sum)).toEqual(Array.from(values, (v) => Math.fround(v + 1)));
  });

  it('on wasm, a Winograd forward and backward never fall back to dataSync', async () => {
    await setBackend('wasm');
    const [n, h, w, cin, cout, k, p] = [2, 8, 9, 3, 2, 5, 7];
    const delta = countsOver(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(randomArray(n * h * w * cin, 1), [n, h, w, cin]);
        const { y, saved } = winogradForward(x, randomArray(k * k * cin * cout, 2), randomArray(cout, 3), k, p, 4);
        winogradBackward(saved, tf.onesLike(y), true);
      }),
    );
    expect(delta.dataSync).toBe(0);
    expect(delta.heap).toBeGreaterThan(0);
  });

  it('on other backends, reads through dataSync', async () => {
    await setBackend('cpu');
    const out = new Float32Array(3);
    const delta = countsOver(() => tf.tidy(() => void readInto(tf.tensor1d([1, 2, 3]), out)));
    expect(delta).toEqual({ heap: 0, dataSync: 1 });
    expect(Array.from(out)).toEqual([1, 2, 3]);
  });

  it('runs under the TF.js version package.json pins exactly', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const pinned = pkg.dependencies['@tensorflow/tfjs-backend-wasm'];
    expect(pinned, 'an exact version, not a range').toMatch(/^\d+\.\d+\.\d+$/);
    expect(version_wasm).toBe(pinned);
    expect(tf.version_core).toBe(pkg.dependencies['@tensorflow/tfjs-core']);
    expect(tfjsVersion.tfjs).toBe(pkg.dependencies['@tensorflow/tfjs']);
    expect(tfjsVersion['tfjs-backend-webgl']).toBe(pkg.dependencies['@tensorflow/tfjs-backend-webgl']);
    expect(tfjsVersion['tfjs-backend-cpu']).toBe(pkg.dependencies['@tensorflow/tfjs-backend-cpu']);
  });
});
