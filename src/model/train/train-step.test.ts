// The whole step on wasm against stock TF.js on cpu: forward, loss, every gradient, the
// parameters after Adam steps, and that no tensors leak.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { validateConfig, type CnnConfig } from '../config.ts';
import { initParams, paramShapes } from './params.ts';
import { blockOutputs, forward, lossAndGradients, Trainer, type GradOptions, type TrainerState } from './train-step.ts';
import { randomArray, referenceForward, referenceGradients, relError, runOn, setBackend } from './test-support.ts';

const small = (over: Partial<CnnConfig>): CnnConfig =>
  validateConfig({
    kernelSize: 5,
    padding: 7,
    activation: 'relu',
    pooling: 'avg',
    channels: [3, 4],
    features: 'power',
    inputShape: [10, 13],
    ...over,
  });

const configs: [string, CnnConfig][] = [
  ['seed-like (k5 p7 relu avg)', small({})],
  ['k3 p1 sigmoid max', small({ kernelSize: 3, padding: 1, activation: 'sigmoid', pooling: 'max' })],
  ['k3 p4 relu max, 3 blocks', small({ kernelSize: 3, padding: 4, pooling: 'max', channels: [2, 3, 5] })],
  ['k5 p2 sigmoid avg', small({ padding: 2, activation: 'sigmoid' })],
  ['k3 p4 relu max, 3 blocks, time-mean head', small({ kernelSize: 3, padding: 4, pooling: 'max', channels: [2, 3, 5], head: 'time-mean' })],
];

const N = 3;

function batch(config: CnnConfig, seed: number) {
  const [h, w] = config.inputShape;
  return { xs: randomArray(N * h * w, seed), ys: randomArray(N, seed + 1) };
}

describe('loss and gradients: wasm fast path vs cpu tf.grads of stock ops', () => {
  for (const [name, config] of configs) {
    it(name, async () => {
      const shapes = paramShapes(config);
      const params = initParams(config, 3);
      const { xs, ys } = batch(config, 10);
      const [h, w] = config.inputShape;
      const inputs = () => ({
        ps: params.map((p, i) => tf.tensor(p, shapes[i])),
        x: tf.tensor4d(xs, [N, h, w, 1]),
        y: tf.tensor1d(ys),
      });
      const ref = await runOn('cpu', () => {
        const { ps, x, y } = inputs();
        return [referenceForward(config, ps, x), ...referenceGradients(config, ps, x, y)];
      });
      // The default formulation (Winograd after the first block), other Winograd tiles, and the
      // direct convolutions everywhere.
      const variants: GradOptions[] = [{}, { winograd: 2 }, { winograd: 3 }, { winograd: 0 }];
      for (const options of variants) {
        const fast = await runOn('wasm', () => {
          const { ps, x, y } = inputs();
          const r = lossAndGradients(config, ps, x, y, N, undefined, options);
          return [forward(config, ps, x, options), r.loss, ...r.grads];
        });
        const tag = JSON.stringify(options);
        expect(relError(fast[0], ref[0]), `output ${tag}`).toBeLessThan(1e-5);
        expect(relError(fast[1], ref[1]), `loss ${tag}`).toBeLessThan(1e-5);
        for (let i = 0; i < shapes.length; i++) {
          expect(relError(fast[i + 2], ref[i + 2]), `grad ${i} ${tag}`).toBeLessThan(5e-5);
        }
      }
    });
  }

  it('shards of a batch add up to the whole batch', async () => {
    const config = configs[0][1];
    const params = initParams(config, 4);
    const { xs, ys } = batch(config, 20);
    const [h, w] = config.inputShape;
    const hw = h * w;
    const grads = async (from: number, to: number) =>
      runOn('wasm', () => {
        const ps = params.map((p, i) => tf.tensor(p, paramShapes(config)[i]));
        const x = tf.tensor4d(xs.slice(from * hw, to * hw), [to - from, h, w, 1]);
        const r = lossAndGradients(config, ps, x, tf.tensor1d(ys.slice(from, to)), N);
        return [r.loss, ...r.grads];
      });
    const whole = await grads(0, N);
    const a = await grads(0, 1);
    const b = await grads(1, N);
    whole.forEach((g, i) => {
      expect(relError(a[i].map((v, j) => v + b[i][j]), g)).toBeLessThan(1e-5);
    });
  });

  it('frozen blocks get zero gradients, the trained layers the cpu reference gradients, from the features or the frozen blocks\' output', async () => {
    const config = configs[2][1]; // 3 blocks
    const shapes = paramShapes(config);
    const params = initParams(config, 6);
    const { xs, ys } = batch(config, 30);
    const [h, w] = config.inputShape;
    const inputs = () => ({ ps: params.map((p, i) => tf.tensor(p, shapes[i])), x: tf.tensor4d(xs, [N, h, w, 1]), y: tf.tensor1d(ys) });
    const ref = await runOn('cpu', () => {
      const { ps, x, y } = inputs();
      return referenceGradients(config, ps, x, y);
    });
    for (const frozenBlocks of [1, 3]) {
      const grads = await runOn('wasm', () => {
        const { ps, x, y } = inputs();
        return lossAndGradients(config, ps, x, y, N, undefined, { frozenBlocks }).grads;
      });
      grads.forEach((g, i) => {
        if (i < 2 * frozenBlocks) expect(g.every((v) => v === 0), `grad ${i} frozen ${frozenBlocks}`).toBe(true);
        else expect(relError(g, ref[i + 1]), `grad ${i} frozen ${frozenBlocks}`).toBeLessThan(5e-5); // ref: loss, then the gradients
      });
    }
    // From the frozen blocks' output (blockOutputs) instead of the features: the same gradients.
    for (const frozenBlocks of [1, 2]) {
      const full = await runOn('wasm', () => {
        const { ps, x, y } = inputs();
        return lossAndGradients(config, ps, x, y, N, undefined, { frozenBlocks }).grads;
      });
      const cached = await runOn('wasm', () => {
        const { ps, x, y } = inputs();
        const h = blockOutputs(config, ps, x, frozenBlocks);
        return lossAndGradients(config, ps, h, y, N, undefined, { frozenBlocks, startBlock: frozenBlocks }).grads;
      });
      cached.forEach((g, i) => expect(g.every((v, j) => v === full[i][j]), `grad ${i} from block ${frozenBlocks}`).toBe(true));
    }
    await runOn('wasm', () => {
      const { ps, x, y } = inputs();
      expect(() => lossAndGradients(config, ps, x, y, N, undefined, { frozenBlocks: 4 })).toThrow(/frozenBlocks must be a whole number from 0 to 3, got 4/);
      expect(() => lossAndGradients(config, ps, x, y, N, undefined, { frozenBlocks: 1, startBlock: 2 })).toThrow(/startBlock must be a whole number from 0 to frozenBlocks \(1\), got 2/);
      return [];
    });
  });
});

/** Independent Adam (textbook form of PyTorch's: m_hat / (sqrt(v_hat) + eps)), in float64. */
function referenceAdam(lr: number) {
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  let t = 0;
  let m: number[][] = [];
  let v: number[][] = [];
  return (params: number[][], grads: Float32Array[]): number[][] => {
    if (t === 0) {
      m = grads.map((g) => Array.from(g, () => 0));
      v = grads.map((g) => Array.from(g, () => 0));
    }
    t++;
    return params.map((p, k) =>
      p.map((pi, i) => {
        const g = grads[k][i];
        m[k][i] = b1 * m[k][i] + (1 - b1) * g;
        v[k][i] = b2 * v[k][i] + (1 - b2) * g * g;
        const mHat = m[k][i] / (1 - b1 ** t);
        const vHat = v[k][i] / (1 - b2 ** t);
        return pi - (lr * mHat) / (Math.sqrt(vHat) + eps);
      }),
    );
  };
}

describe('train step on wasm vs the same step on cpu', () => {
  it('three Adam steps give the same parameters', async () => {
    const config = configs[1][1];
    const lr = 1e-3;
    const shapes = paramShapes(config);
    const init = initParams(config, 5);
    const [h, w] = config.inputShape;
    const batches = [0, 1, 2].map((s) => batch(config, 30 + 2 * s));

    // Reference: tf.grads on cpu + float64 Adam.
    let ref = init.map((p) => Array.from(p));
    const adam = referenceAdam(lr);
    const refGrads: Float32Array[][] = [];
    for (const { xs, ys } of batches) {
      const g = await runOn('cpu', () => {
        const ps = ref.map((p, i) => tf.tensor(p, shapes[i]));
        return referenceGradients(config, ps, tf.tensor4d(xs, [N, h, w, 1]), tf.tensor1d(ys)).slice(1);
      });
      refGrads.push(g);
      ref = adam(ref, g);
    }

    await setBackend('wasm');
    const trainer = new Trainer(config, { weights: init, lr });
    for (const { xs, ys } of batches) {
      tf.tidy(() => {
        trainer.step(tf.tensor4d(xs, [N, h, w, 1]), tf.tensor1d(ys));
      });
    }
    // Adam's first steps move each weight by about lr * sign(g): where g is at rounding
    // level the sign may differ between backends, so compare those to within 2 lr * steps.
    for (let k = 0; k < shapes.length; k++) {
      const gMax = Math.max(...refGrads.flatMap((gs) => Array.from(gs[k], Math.abs)));
      for (let i = 0; i < ref[k].length; i++) {
        const tiny = refGrads.some((gs) => Math.abs(gs[k][i]) < 1e-3 * gMax);
        const d = Math.abs(trainer.params[k][i] - ref[k][i]);
        expect(d, `param ${k}[${i}]`).toBeLessThan(tiny ? 2 * lr * batches.length : 1e-3 * lr + 1e-6);
      }
    }
  });

  it('leaks no tensors', async () => {
    await setBackend('wasm');
    const config = configs[2][1];
    const trainer = new Trainer(config, { seed: 2 });
    const [h, w] = config.inputShape;
    const { xs, ys } = batch(config, 40);
    const x = tf.tensor4d(xs, [N, h, w, 1]);
    const y = tf.tensor1d(ys);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) trainer.step(x, y);
    expect(tf.memory().numTensors).toBe(before);
    const ws = trainer.weightTensors();
    expect(tf.memory().numTensors).toBe(before + ws.length);
    tf.dispose([...ws, x, y]);
  });
});

describe('trainer state (checkpoint / resume)', () => {
  const config = configs[0][1];
  const [h, w] = config.inputShape;
  const batches = [0, 1, 2, 3, 4].map((s) => batch(config, 50 + 2 * s));
  const stepOn = (t: Trainer, b: { xs: Float32Array; ys: Float32Array }) =>
    tf.tidy(() => t.step(tf.tensor4d(b.xs, [N, h, w, 1]), tf.tensor1d(b.ys)));

  it('resuming after k steps gives exactly the uninterrupted run', async () => {
    await setBackend('wasm');
    const whole = new Trainer(config, { seed: 4, lr: 1e-3 });
    const wholeLosses = batches.map((b) => stepOn(whole, b));

    const first = new Trainer(config, { seed: 4, lr: 1e-3 });
    const losses = batches.slice(0, 2).map((b) => stepOn(first, b));
    const saved: TrainerState = first.state();
    // A copy: later steps of `first` must not change it.
    stepOn(first, batches[2]);
    expect(saved.step).toBe(2);
    const resumed = Trainer.fromState(config, saved, { lr: 1e-3 });
    losses.push(...batches.slice(2).map((b) => stepOn(resumed, b)));

    expect(losses).toEqual(wholeLosses);
    expect(resumed.adam.step).toBe(5);
    const end = resumed.state();
    const ref = whole.state();
    for (const key of ['params', 'm', 'v'] as const) {
      end[key].forEach((a, i) => expect(Array.from(a), `${key}[${i}]`).toEqual(Array.from(ref[key][i])));
    }
  });

  it('rejects a state that does not fit the config', () => {
    const t = new Trainer(config);
    const s = t.state();
    expect(() => Trainer.fromState(config, { ...s, m: s.m.slice(1) })).toThrow(/expected 6 m arrays/);
    expect(() => Trainer.fromState(config, { ...s, params: [s.params[1], ...s.params.slice(1)] })).toThrow(/params\[0\] has/);
    expect(() => Trainer.fromState(config, { ...s, step: -1 })).toThrow(/step/);
  });
});

describe('weights fit the LayersModel of cnn.ts', () => {
  it('model.setWeights(trainer.weightTensors()) predicts what the trainer computes, for either head', async () => {
    await setBackend('cpu');
    const { buildCnn } = await import('../cnn.ts');
    // The flatten head, and the time-mean head (cnn.ts's timepool layer).
    for (const config of [configs[2][1], configs[4][1]]) {
      const trainer = new Trainer(config, { seed: 9 });
      const model = buildCnn(config);
      const ws = trainer.weightTensors();
      model.setWeights(ws);
      const [h, w] = config.inputShape;
      const x = tf.tensor4d(randomArray(N * h * w, 90), [N, h, w, 1]);
      const fromModel = (model.predict(x) as tf.Tensor).dataSync();
      const fromTrainer = tf.tidy(() => forward(config, ws, x).dataSync());
      expect(relError(Float32Array.from(fromTrainer), Float32Array.from(fromModel))).toBeLessThan(1e-5);
      // And back: a model's weights load into a trainer.
      const again = new Trainer(config, { weights: model.getWeights().map((t) => Float32Array.from(t.dataSync())) });
      again.params.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(trainer.params[i])));
      model.dispose();
      tf.dispose([...ws, x]);
    }
  });
});
