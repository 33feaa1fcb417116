// Two outputs (valence, arousal) and unknown labels (NaN) in the training step: the masked
// loss against a hand computation from the LayersModel's predictions, every gradient against
// cpu tf.grads of the same loss in stock ops, shards adding up to the batch, a batch with no
// known label, and the targets' shape checks.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildCnn } from '../cnn.ts';
import { validateConfig, type CnnConfig } from '../config.ts';
import { predict } from '../predict.ts';
import { initParams, paramShapes } from './params.ts';
import { forward, lossAndGradients, Trainer, type GradOptions } from './train-step.ts';
import { randomArray, referenceForward, referenceMaskedGradients, relError, runOn, setBackend } from './test-support.ts';

const tiny = (over: Partial<CnnConfig>): CnnConfig =>
  validateConfig({
    kernelSize: 3,
    padding: 1,
    activation: 'relu',
    pooling: 'avg',
    channels: [2, 3],
    features: 'power',
    inputShape: [8, 8],
    outputs: 2,
    ...over,
  });

const N = 4;
/** [N, 2] row-major: a sample with both labels, one with neither, and one of each alone. */
const SOME_UNKNOWN = Float32Array.from([0.5, NaN, NaN, NaN, -0.3, 0.8, NaN, -0.6]);

const tensors = (config: CnnConfig, params: readonly Float32Array[], xs: Float32Array, ys: Float32Array, k: number) => {
  const [h, w] = config.inputShape;
  const shapes = paramShapes(config);
  return {
    ps: params.map((p, i) => tf.tensor(p, shapes[i])),
    x: tf.tensor4d(xs, [xs.length / (h * w), h, w, 1]),
    y: tf.tensor2d(ys, [ys.length / k, k]),
  };
};

describe('masked loss with two outputs', () => {
  it('equals the mean squared error over the known labels, by hand from predict()', async () => {
    const config = tiny({});
    const [h, w] = config.inputShape;
    const params = initParams(config, 11);
    const xs = randomArray(N * h * w, 12);
    // The LayersModel's predictions, read by predict() as (valence, arousal) per sample.
    await setBackend('cpu');
    const model = buildCnn(config);
    const ws = params.map((p, i) => tf.tensor(p, paramShapes(config)[i]));
    model.setWeights(ws);
    const features = Array.from({ length: N }, (_, i) => xs.slice(i * h * w, (i + 1) * h * w));
    const { valence, arousal } = predict(model, features, config);
    model.dispose();
    tf.dispose(ws);
    expect(arousal).not.toBeNull();
    let sum = 0;
    let count = 0;
    for (let i = 0; i < N; i++) {
      const labels = [SOME_UNKNOWN[2 * i], SOME_UNKNOWN[2 * i + 1]];
      const preds = [valence[i], arousal![i]];
      labels.forEach((label, j) => {
        if (Number.isNaN(label)) return;
        sum += (preds[j] - label) ** 2;
        count++;
      });
    }
    expect(count).toBe(4);
    const byHand = sum / count;
    expect(byHand).toBeGreaterThan(0.01); // not a trivial zero
    for (const backend of ['cpu', 'wasm'] as const) {
      for (const options of [{}, { winograd: 0 }] as GradOptions[]) {
        const [loss] = await runOn(backend, () => {
          const { ps, x, y } = tensors(config, params, xs, SOME_UNKNOWN, 2);
          const r = lossAndGradients(config, ps, x, y, undefined, undefined, options);
          return [r.loss];
        });
        expect(Math.abs(loss[0] - byHand), `${backend} ${JSON.stringify(options)}`).toBeLessThan(1e-5 * byHand);
      }
    }
  });

  const cases: [string, CnnConfig, Float32Array][] = [
    ['two outputs, some labels unknown, k3 p1 relu avg', tiny({}), SOME_UNKNOWN],
    ['two outputs, every label known, k5 p2 sigmoid max', tiny({ kernelSize: 5, padding: 2, activation: 'sigmoid', pooling: 'max' }), randomArray(2 * N, 13)],
    ['two outputs, some unknown, k5 p3 relu max, 3 blocks', tiny({ kernelSize: 5, padding: 3, pooling: 'max', channels: [2, 3, 2], inputShape: [10, 12] }), SOME_UNKNOWN],
    ['one output, some labels unknown', tiny({ outputs: 1 }), Float32Array.from([0.4, NaN, -0.7, NaN])],
  ];
  for (const [name, config, ys] of cases) {
    it(`gradients match cpu tf.grads of the masked loss: ${name}`, async () => {
      const k = config.outputs ?? 1;
      const shapes = paramShapes(config);
      const params = initParams(config, 14);
      const [h, w] = config.inputShape;
      const xs = randomArray(N * h * w, 15);
      const ref = await runOn('cpu', () => {
        const { ps, x, y } = tensors(config, params, xs, ys, k);
        return [referenceForward(config, ps, x), ...referenceMaskedGradients(config, ps, x, y)];
      });
      // Winograd after the first block (the default, and F(2, k)), and direct convolutions everywhere.
      for (const options of [{}, { winograd: 2 }, { winograd: 0 }] as GradOptions[]) {
        const fast = await runOn('wasm', () => {
          const { ps, x, y } = tensors(config, params, xs, ys, k);
          const r = lossAndGradients(config, ps, x, y, undefined, undefined, options);
          return [forward(config, ps, x, options), r.loss, ...r.grads];
        });
        const tag = JSON.stringify(options);
        expect(fast[0].length, 'outputs').toBe(N * k);
        expect(relError(fast[0], ref[0]), `output ${tag}`).toBeLessThan(1e-5);
        expect(relError(fast[1], ref[1]), `loss ${tag}`).toBeLessThan(1e-5);
        for (let i = 0; i < shapes.length; i++) {
          expect(fast[i + 2].length, `grad ${i} size`).toBe(shapes[i].reduce((a, b) => a * b, 1));
          expect(relError(fast[i + 2], ref[i + 2]), `grad ${i} ${tag}`).toBeLessThan(5e-5);
        }
      }
    });
  }

  it('shards add up to the batch when divided by the whole batch label count, a shard with no label too', async () => {
    const config = tiny({});
    const params = initParams(config, 16);
    const [h, w] = config.inputShape;
    const hw = h * w;
    const xs = randomArray(N * hw, 17);
    const grads = (from: number, to: number) =>
      runOn('wasm', () => {
        const { ps, x, y } = tensors(config, params, xs.slice(from * hw, to * hw), SOME_UNKNOWN.slice(2 * from, 2 * to), 2);
        const r = lossAndGradients(config, ps, x, y, 4);
        return [r.loss, ...r.grads];
      });
    const whole = await grads(0, N);
    const a = await grads(0, 1); // sample 0: valence only known
    const empty = await grads(1, 2); // sample 1: no label
    const b = await grads(2, N);
    empty.forEach((g, i) => expect(Array.from(g), `empty shard ${i}`).toEqual(Array.from(g, () => 0)));
    whole.forEach((g, i) => {
      expect(relError(a[i].map((v, j) => v + empty[i][j] + b[i][j]), g), `part ${i}`).toBeLessThan(1e-5);
    });
  });
});

describe('a batch with no known label', () => {
  it('gives loss 0 and zero gradients, and Adam still takes its step', async () => {
    await setBackend('wasm');
    const config = tiny({});
    const [h, w] = config.inputShape;
    const trainer = new Trainer(config, { seed: 18, lr: 1e-3 });
    const before = trainer.state();
    const x = tf.tensor4d(randomArray(2 * h * w, 19), [2, h, w, 1]);
    const none = tf.tensor2d(new Float32Array(4).fill(NaN), [2, 2]);
    const g = trainer.gradients(x, none);
    expect(g.loss).toBe(0);
    g.grads.forEach((d, i) => expect(Array.from(d), `grad ${i}`).toEqual(Array.from(d, () => 0)));
    // First step with zero moments and a zero gradient: the step counts, nothing moves.
    expect(trainer.step(x, none)).toBe(0);
    expect(trainer.adam.step).toBe(1);
    trainer.params.forEach((p, i) => expect(Array.from(p), `param ${i}`).toEqual(Array.from(before.params[i])));
    // After a step with labels, an unlabelled batch moves the weights by Adam's momentum alone.
    const y = tf.tensor2d([0.2, -0.4, NaN, 0.9], [2, 2]);
    trainer.step(x, y);
    const afterLabelled = trainer.state();
    trainer.step(x, none);
    expect(trainer.adam.step).toBe(3);
    expect(trainer.params.some((p, i) => p.some((v, j) => v !== afterLabelled.params[i][j]))).toBe(true);
    tf.dispose([x, none, y]);
  });
});

describe('targets', () => {
  it('must be [N, K], or [N] for one output', async () => {
    await setBackend('cpu');
    const two = tiny({});
    const one = tiny({ outputs: 1 });
    const [h, w] = two.inputShape;
    const x = tf.zeros([2, h, w, 1]) as tf.Tensor4D;
    const t2 = new Trainer(two);
    const t1 = new Trainer(one);
    expect(() => t2.gradients(x, tf.zeros([2]))).toThrow(/expected targets \[2, 2\] \(2 samples, 2 outputs\), got \[2\]/);
    expect(() => t2.gradients(x, tf.zeros([4]))).toThrow(/got \[4\]/);
    expect(() => t1.gradients(x, tf.zeros([2, 2]))).toThrow(/expected targets \[2\] or \[2, 1\]/);
    expect(() => t2.gradients(x, tf.zeros([2, 2]), 3)).toThrow(/labelTotal must be a whole number >= this shard's 4 known labels/);
    expect(t1.gradients(x, tf.zeros([2, 1])).grads.length).toBe(6);
    expect(t1.gradients(x, tf.zeros([2])).grads.length).toBe(6);
    tf.dispose(x);
  });
});
