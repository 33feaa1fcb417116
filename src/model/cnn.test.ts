// The CNN's architecture: the seed preset's size from SPEC, the grid's other configs, the
// architecture check, and the PyTorch-like initial weights.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from './backend.ts';
import { buildCnn, checkArchitecture, parameterCount } from './cnn.ts';
import { SEED_PRESET, type CnnConfig } from './config.ts';
import { ModelError } from './errors.ts';
import { expectNoLeak } from './test-support.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const variant = (over: Partial<CnnConfig>): CnnConfig => ({ ...SEED_PRESET, channels: [...SEED_PRESET.channels], ...over });

describe('buildCnn', () => {
  it('builds the seed model with SPEC section 2 sizes: 296,065 parameters, 128 x 13 x 16 into the linear layer', async () => {
    await expectNoLeak(() => {
      const model = buildCnn(SEED_PRESET);
      expect(model.countParams()).toBe(296_065);
      expect(parameterCount(SEED_PRESET)).toBe(296_065);
      expect(model.inputs[0].shape).toEqual([null, 64, 121, 1]);
      expect(model.getLayer('flatten').outputShape).toEqual([null, 128 * 13 * 16]);
      expect(model.outputs[0].shape).toEqual([null, 1]);
      expect(model.layers.map((l) => l.name)).toEqual([
        'pad1', 'conv1', 'pool1', 'pad2', 'conv2', 'pool2', 'pad3', 'conv3', 'pool3', 'pad4', 'conv4', 'pool4', 'flatten', 'fc',
      ]);
      model.dispose();
    });
  });

  // The report's grid: kernel {3, 5} x activation {relu, sigmoid} x pooling {avg, max}.
  for (const kernelSize of [3, 5]) {
    for (const activation of ['relu', 'sigmoid'] as const) {
      for (const pooling of ['avg', 'max'] as const) {
        it(`builds kernel ${kernelSize}, ${activation}, ${pooling} pooling with PyTorch's parameter count`, async () => {
          const config = variant({ kernelSize, activation, pooling });
          await expectNoLeak(() => {
            const model = buildCnn(config);
            // PyTorch: each conv has cout*cin*k*k + cout parameters; 4 floor-halvings of (n + 2*7 - k + 1).
            let [h, w] = [64, 121];
            let cin = 1;
            let expected = 0;
            for (const cout of [16, 32, 64, 128]) {
              expected += cout * cin * kernelSize * kernelSize + cout;
              h = Math.floor((h + 14 - kernelSize + 1) / 2);
              w = Math.floor((w + 14 - kernelSize + 1) / 2);
              cin = cout;
            }
            expected += 128 * h * w + 1;
            expect(model.countParams()).toBe(expected);
            expect(model.getLayer('conv1').getConfig().activation).toBe(activation);
            expect(model.getLayer('pool1').getClassName()).toBe(pooling === 'avg' ? 'AveragePooling2D' : 'MaxPooling2D');
            checkArchitecture(model, config);
            model.dispose();
          });
        });
      }
    }
  }

  it('gives kernel 3 (padding 7) 131,713 parameters, as PyTorch counts them', () => {
    // Counted with torch 1.13 for Conv2d(k=3, padding=7) x 4 (16..128 channels) + Linear(128*15*18, 1).
    const model = buildCnn(variant({ kernelSize: 3 }));
    expect(model.countParams()).toBe(131_713);
    model.dispose();
  });

  it('floors odd sizes in pooling and supports fewer blocks and no padding', () => {
    const config = variant({ channels: [3, 5], padding: 0, kernelSize: 3, inputShape: [13, 20] });
    const model = buildCnn(config);
    // conv: 13-2=11 -> pool 5; 5-2=3 -> pool 1.  20-2=18 -> 9; 9-2=7 -> 3.
    expect(model.getLayer('flatten').outputShape).toEqual([null, 5 * 1 * 3]);
    model.dispose();
  });

  it('initializes like PyTorch: weights and biases within +-1/sqrt(fan_in), reproducible with a seed', () => {
    const a = buildCnn(SEED_PRESET, { seed: 11 });
    const b = buildCnn(SEED_PRESET, { seed: 11 });
    const fanIn: Record<string, number> = { conv1: 25, conv2: 16 * 25, conv3: 32 * 25, conv4: 64 * 25, fc: 26624 };
    for (const [layer, n] of Object.entries(fanIn)) {
      const bound = 1 / Math.sqrt(n);
      const [k, bias] = a.getLayer(layer).getWeights().map((t) => t.dataSync() as Float32Array);
      for (const arr of [k, bias]) {
        let max = 0;
        for (const v of arr) max = Math.max(max, Math.abs(v));
        expect(max).toBeLessThanOrEqual(bound);
      }
      // A uniform draw over many values spans most of the range.
      let kmax = 0;
      for (const v of k) kmax = Math.max(kmax, Math.abs(v));
      expect(kmax).toBeGreaterThan(0.9 * bound);
      const kb = b.getLayer(layer).getWeights()[0].dataSync();
      expect(Array.from(kb.slice(0, 20))).toEqual(Array.from(k.slice(0, 20)));
    }
    a.dispose();
    b.dispose();
  });

  it('builds the time-mean head: 128 x 13 into the linear layer, (128 * 13 + 1) weights per output', async () => {
    const config = variant({ head: 'time-mean', outputs: 2 });
    await expectNoLeak(() => {
      const model = buildCnn(config);
      expect(model.getLayer('timepool').outputShape).toEqual([null, 13, 1, 128]);
      expect(model.getLayer('flatten').outputShape).toEqual([null, 128 * 13]);
      // The seed's conv weights (296,065 less its linear layer's 26,625), then the smaller linear layer.
      const conv = 296_065 - (128 * 13 * 16 + 1);
      expect(model.countParams()).toBe(conv + 2 * (128 * 13 + 1));
      expect(parameterCount(config)).toBe(model.countParams());
      // The head is the mean over time of the last map, checked against TF.js's own mean.
      const last = tf.model({ inputs: model.inputs, outputs: model.getLayer('pool4').output as tf.SymbolicTensor });
      const pooled = tf.model({ inputs: model.inputs, outputs: model.getLayer('timepool').output as tf.SymbolicTensor });
      const [diff, scale] = tf.tidy(() => {
        const x = tf.randomNormal([2, 64, 121, 1], 0, 1, 'float32', 5);
        const want = tf.mean(last.predict(x) as tf.Tensor, 2, true);
        const got = pooled.predict(x) as tf.Tensor;
        return [tf.max(tf.abs(tf.sub(got, want))).dataSync()[0], tf.max(tf.abs(want)).dataSync()[0]];
      });
      expect(scale).toBeGreaterThan(0);
      expect(diff).toBeLessThan(1e-6 * scale);
      model.dispose();
    });
  });

  it('refuses an invalid config', () => {
    expect(() => buildCnn(variant({ head: 'max' as never }))).toThrow(/head must be one of "flatten", "time-mean", got "max"/);
    expect(() => buildCnn(variant({ kernelSize: 0 }))).toThrow(/kernelSize/);
    expect(() => buildCnn(variant({ padding: 0, channels: [8, 8, 8, 8, 8] }))).toThrow(/shrink .* to nothing/);
  });
});

describe('checkArchitecture', () => {
  let seed: tf.LayersModel;
  beforeAll(() => {
    seed = buildCnn(SEED_PRESET);
  });
  const mismatches: [string, Partial<CnnConfig>, RegExp][] = [
    ['kernel size', { kernelSize: 3 }, /outputs \[.*\], the config needs/],
    ['activation', { activation: 'sigmoid' }, /activation "relu", the config needs "sigmoid"/],
    ['pooling', { pooling: 'max' }, /AveragePooling2D, the config needs MaxPooling2D/],
    ['channels', { channels: [16, 32, 64, 64] }, /conv4.*the config needs/],
    ['block count', { channels: [16, 32, 64] }, /has 14 layers, a 3-block config needs 11/],
    ['input shape', { inputShape: [64, 120] }, /input is \[\?, 64, 121, 1\], its config needs \[\?, 64, 120, 1\]/],
    ['padding', { padding: 6 }, /"pad1"\) outputs \[78, 135, 1\], the config needs \[76, 133, 1\]/],
    ['head', { head: 'time-mean' }, /has 14 layers, a 4-block config needs 15/],
  ];
  for (const [what, over, message] of mismatches) {
    it(`refuses a model whose ${what} differs from the config`, () => {
      const check = () => checkArchitecture(seed, variant(over));
      expect(check).toThrow(ModelError);
      expect(check).toThrow(message);
    });
  }

  it('accepts the model for its own config and frees nothing it should not', () => {
    const before = tf.memory().numTensors;
    checkArchitecture(seed, SEED_PRESET);
    expect(tf.memory().numTensors).toBe(before);
  });
});
