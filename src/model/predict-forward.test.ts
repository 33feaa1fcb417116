// predict() runs the training step's forward on the model's weights (Winograd on wasm and
// cpu, the direct core convolution elsewhere), not tf.LayersModel.predict: it must give the
// layers model's numbers for every config the project builds, batched or not, call after
// call (the Winograd scratch arrays are kept per model), and leave no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from './backend.ts';
import { buildCnn } from './cnn.ts';
import { SEED_PRESET, type CnnConfig } from './config.ts';
import { predict } from './predict.ts';
import { maxAbsDiff } from '../dsp/compare.ts';
import { createRng } from '../training/random.ts';
import { expectNoLeak } from './test-support.ts';

const CONFIGS: [string, CnnConfig][] = [
  ['the seed model', SEED_PRESET],
  ['two outputs', { ...SEED_PRESET, outputs: 2 }],
  ['kernel 3, padding 4, sigmoid, max pooling, 3 blocks', { ...SEED_PRESET, kernelSize: 3, padding: 4, activation: 'sigmoid', pooling: 'max', channels: [8, 16, 32] }],
];

function spectrograms(config: CnnConfig, n: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  const size = config.inputShape[0] * config.inputShape[1];
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => rng() * 80 - 60));
}

/** tf.LayersModel.predict's [n * outputs] values: the reference. */
function layersPredict(model: tf.LayersModel, config: CnnConfig, xs: Float32Array[]): Float32Array {
  const [h, w] = config.inputShape;
  return tf.tidy(() => {
    const flat = new Float32Array(xs.length * h * w);
    xs.forEach((x, i) => flat.set(x, i * h * w));
    return (model.predict(tf.tensor4d(flat, [xs.length, h, w, 1])) as tf.Tensor).dataSync() as Float32Array;
  });
}

const interleaved = (p: { valence: Float32Array; arousal: Float32Array | null }) =>
  p.arousal ? Float32Array.from(Array.from(p.valence).flatMap((v, i) => [v, p.arousal![i]])) : p.valence;

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`predict on ${backend}: the layers model's readings`, () => {
    beforeAll(async () => {
      await initNodeBackend(backend);
    });
    afterAll(async () => {
      await initNodeBackend('wasm');
    });
    // The cpu backend takes seconds per full-size forward: the small model covers its path.
    for (const [name, config] of backend === 'cpu' ? CONFIGS.slice(2) : CONFIGS) {
      it(name, async () => {
        const model = buildCnn(config, { seed: 11 });
        try {
          const xs = spectrograms(config, 6, 3);
          const want = layersPredict(model, config, xs);
          // One at a time (the kept scratch arrays, twice over), then all six (fresh arrays).
          const one = await expectNoLeak(() => xs.flatMap((x) => Array.from(interleaved(predict(model, [x], config)))));
          const again = xs.flatMap((x) => Array.from(interleaved(predict(model, [x], config))));
          const all = await expectNoLeak(() => interleaved(predict(model, xs, config)));
          expect(maxAbsDiff(Float32Array.from(one), want)).toBeLessThanOrEqual(1e-5);
          expect(again).toEqual(one);
          expect(maxAbsDiff(all, want)).toBeLessThanOrEqual(1e-5);
        } finally {
          model.dispose();
        }
      });
    }
  });
}
