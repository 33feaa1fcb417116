// PyTorch weights in and out: every `model` fixture case against PyTorch's outputs through
// the shared checker (wasm and cpu), exact export, a loop implementation of PyTorch's
// forward pass for non-seed configs, and refusal of weights that do not fit.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend, type NodeBackend } from './backend.ts';
import { buildCnn } from './cnn.ts';
import { SEED_PRESET, type CnnConfig } from './config.ts';
import { ModelError } from './errors.ts';
import { predictValence } from './predict.ts';
import { parseSafetensors, serializeSafetensors, type TensorMap } from './safetensors.ts';
import {
  chwToHwc,
  configFromTorchTensors,
  exportTorchWeights,
  hwcToChw,
  hwioToOihw,
  importTorchWeights,
  oihwToHwio,
} from './torch-weights.ts';
import { maxAbsDiff } from '../dsp/compare.ts';
import { casesOfKind, fixtureSet } from './reference-fixtures.ts';
import { runCase, TOLERANCE } from './reference-check.ts';
import {
  expectCasePasses,
  expectNoLeak,
  FIXTURE_DIR,
  firstBitDifference,
  modelCases,
  randomArray,
  randomTorchTensors,
  rng,
  torchForward,
  type LoadedModelCase,
} from './test-support.ts';

const fixtures = fixtureSet(FIXTURE_DIR);
/** Declared per case while collecting (none without the fixture set); loaded in the tests. */
const caseList = fixtures.cases('model');
let loaded: LoadedModelCase[] | undefined;
const cases = () => (loaded ??= modelCases(FIXTURE_DIR));
const loadedCase = (name: string) => cases().find((fx) => fx.case.name === name)!;

const variant = (over: Partial<CnnConfig>): CnnConfig => ({ ...SEED_PRESET, channels: [...SEED_PRESET.channels], ...over });

it('the fixture set has model cases', () => {
  expect(casesOfKind(fixtures.manifest(), 'model').length).toBeGreaterThan(0);
});

for (const backend of ['wasm', 'cpu'] as NodeBackend[]) {
  // Without cases (no fixture set) the test above says why.
  describe.skipIf(caseList.length === 0)(`PyTorch fixtures on ${backend}`, () => {
    beforeAll(async () => {
      expect(await initNodeBackend(backend)).toBe(backend);
    });

    for (const c of caseList) {
      it(`${c.name}: output within ${TOLERANCE.modelAbs} of PyTorch's`, async () => {
        await expectNoLeak(() => expectCasePasses(runCase(fixtures.dir, fixtures.manifest(), c)));
      });
    }
  });
}

describe('weights round trips', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  for (const c of caseList) {
    it(`${c.name}: exporting imported weights gives back the file's tensors bit for bit`, async () => {
      const fx = loadedCase(c.name);
      await expectNoLeak(() => {
        const model = buildCnn(fx.config);
        importTorchWeights(model, fx.config, fx.tensors);
        const out = exportTorchWeights(model, fx.config);
        model.dispose();
        expect([...out.keys()].sort()).toEqual([...fx.tensors.keys()].sort());
        for (const [name, t] of fx.tensors) {
          expect(out.get(name)!.shape).toEqual(t.shape);
          expect(firstBitDifference(out.get(name)!.data, t.data)).toBe(-1);
        }
      });
    });
  }

  it('export -> safetensors -> import into a fresh model predicts bit-identically', async () => {
    const fx = cases()[0];
    await expectNoLeak(() => {
      const a = buildCnn(fx.config, { seed: 3 });
      const bytes = serializeSafetensors(exportTorchWeights(a, fx.config), { format: 'pt' });
      const b = buildCnn(fx.config, { seed: 4 });
      importTorchWeights(b, fx.config, parseSafetensors(bytes).tensors);
      const pa = predictValence(a, fx.inputs, fx.config);
      const pb = predictValence(b, fx.inputs, fx.config);
      a.dispose();
      b.dispose();
      expect(firstBitDifference(pa, pb)).toBe(-1);
    });
  });
});

describe('layout conversions', () => {
  it('OIHW <-> HWIO and (C,H,W) <-> (H,W,C) are inverse permutations with the right index maps', () => {
    const src = randomArray(3 * 2 * 4 * 5, rng(1));
    const hwio = oihwToHwio(src, [3, 2, 4, 5]);
    // Element (o=2, i=1, h=3, w=4) moves to (h=3, w=4, i=1, o=2).
    expect(hwio[((3 * 5 + 4) * 2 + 1) * 3 + 2]).toBe(src[((2 * 2 + 1) * 4 + 3) * 5 + 4]);
    expect(firstBitDifference(hwioToOihw(hwio, [3, 2, 4, 5]), src)).toBe(-1);
    const fc = randomArray(6 * 3 * 4, rng(2));
    const hwc = chwToHwc(fc, 6, 3, 4);
    // Element (c=5, h=2, w=1) moves to (h=2, w=1, c=5).
    expect(hwc[(2 * 4 + 1) * 6 + 5]).toBe(fc[(5 * 3 + 2) * 4 + 1]);
    expect(firstBitDifference(hwcToChw(hwc, 6, 3, 4), fc)).toBe(-1);
  });
});

describe('non-seed configs against a loop implementation of PyTorch', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });
  // Small inputs with odd sizes exercise zero padding, floor pooling and the flatten order.
  const configs: CnnConfig[] = [
    variant({ kernelSize: 3, padding: 1, activation: 'sigmoid', pooling: 'max', channels: [4, 6, 5], inputShape: [19, 27] }),
    variant({ kernelSize: 5, padding: 2, activation: 'relu', pooling: 'avg', channels: [3, 4], inputShape: [17, 22] }),
    variant({ kernelSize: 3, padding: 0, activation: 'relu', pooling: 'max', channels: [2, 3], inputShape: [15, 21] }),
  ];
  configs.forEach((config, n) => {
    it(`k${config.kernelSize} p${config.padding} ${config.activation} ${config.pooling} [${config.channels}] on ${config.inputShape.join('x')}`, async () => {
      const tensors = randomTorchTensors(config, 100 + n);
      const rand = rng(200 + n);
      const inputs = [0, 1, 2].map(() => randomArray(config.inputShape[0] * config.inputShape[1], rand, -3, 3));
      const want = Float32Array.from(inputs.map((x) => torchForward(config, tensors, x)));
      await expectNoLeak(() => {
        const model = buildCnn(config);
        importTorchWeights(model, config, tensors);
        const wasm = predictValence(model, inputs, config);
        model.dispose();
        expect(maxAbsDiff(wasm, want)).toBeLessThanOrEqual(1e-5);
      });
    });
  });

  it('agrees between the wasm and cpu backends on a kernel-3, sigmoid, max-pooling model of full size', async () => {
    const config = variant({ kernelSize: 3, activation: 'sigmoid', pooling: 'max' });
    const tensors = randomTorchTensors(config, 9);
    const inputs = [randomArray(64 * 121, rng(10), -80, 0), randomArray(64 * 121, rng(11), -80, 0)];
    const run = async (b: NodeBackend) => {
      await initNodeBackend(b);
      return expectNoLeak(() => {
        const model = buildCnn(config);
        importTorchWeights(model, config, tensors);
        const p = predictValence(model, inputs, config);
        model.dispose();
        return p;
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(maxAbsDiff(wasm, cpu)).toBeLessThanOrEqual(1e-5);
  });
});

describe('configFromTorchTensors', () => {
  for (const c of caseList) {
    it(`${c.name}: the inferred config fits the file's tensors and the case's input`, () => {
      const fx = loadedCase(c.name);
      const [, , h, w] = fx.case.input.shape;
      expect(fx.config.inputShape).toEqual([h, w]);
      const conv1 = fx.tensors.get('conv1.weight')!.shape;
      expect(fx.config.kernelSize).toBe(conv1[2]);
      expect(fx.config.channels[0]).toBe(conv1[0]);
      const given = fx.case.config ?? {};
      for (const key of ['activation', 'pooling', 'padding'] as const) {
        expect(fx.config[key]).toBe(key in given ? given[key] : SEED_PRESET[key]);
      }
    });
  }

  it('reads the seed architecture off the seed shapes', () => {
    const t = randomTorchTensors(SEED_PRESET, 1);
    expect(configFromTorchTensors(t)).toEqual({ ...SEED_PRESET, channels: [...SEED_PRESET.channels] });
  });

  it('takes activation, pooling and padding from the given config', () => {
    const cfg = variant({ kernelSize: 3, activation: 'sigmoid', pooling: 'max', padding: 2, channels: [4, 8] });
    const t = randomTorchTensors(cfg, 1);
    expect(configFromTorchTensors(t, { activation: 'sigmoid', pooling: 'max', padding: 2 })).toEqual(cfg);
  });

  it('refuses weights without conv1, a non-square kernel, or a config that contradicts the shapes', () => {
    expect(() => configFromTorchTensors(new Map())).toThrow(/no "conv1.weight"/);
    const t = randomTorchTensors(SEED_PRESET, 1);
    const odd: TensorMap = new Map(t);
    odd.set('conv2.weight', { shape: [32, 16, 5, 3], data: new Float32Array(32 * 16 * 15) });
    expect(() => configFromTorchTensors(odd)).toThrow(/"conv2.weight" has shape \[32, 16, 5, 3\]/);
    expect(() => configFromTorchTensors(t, { kernelSize: 3 })).toThrow(/kernelSize 3, the weights have 5/);
  });
});

describe('importTorchWeights refuses weights that do not fit', () => {
  let model: tf.LayersModel;
  let good: TensorMap;
  let before: Float32Array;
  beforeAll(async () => {
    await initNodeBackend('wasm');
    model = buildCnn(SEED_PRESET, { seed: 1 });
    good = randomTorchTensors(SEED_PRESET, 2);
    before = Float32Array.from(model.getLayer('conv1').getWeights()[0].dataSync());
  });
  afterAll(() => model.dispose());

  const edit = (f: (m: TensorMap) => void): TensorMap => {
    const m: TensorMap = new Map(good);
    f(m);
    return m;
  };
  const bad: [string, () => TensorMap, RegExp][] = [
    ['a missing tensor', () => edit((m) => m.delete('conv3.bias')), /missing tensor "conv3.bias" \[64\]/],
    ['an extra tensor', () => edit((m) => m.set('conv5.weight', { shape: [1], data: new Float32Array(1) })), /unexpected tensor "conv5.weight"/],
    [
      'a wrong shape',
      () => edit((m) => m.set('fc.weight', { shape: [1, 100], data: new Float32Array(100) })),
      /"fc.weight" has shape \[1, 100\], the config needs \[1, 26624\]/,
    ],
    [
      'a transposed (TF.js layout) kernel',
      () => edit((m) => m.set('conv2.weight', { shape: [5, 5, 16, 32], data: good.get('conv2.weight')!.data })),
      /"conv2.weight" has shape \[5, 5, 16, 32\], the config needs \[32, 16, 5, 5\]/,
    ],
    [
      'a NaN value',
      () => edit((m) => m.set('conv1.bias', { shape: [16], data: Float32Array.from({ length: 16 }, (_, i) => (i === 7 ? NaN : 0)) })),
      /"conv1.bias" has a non-finite value \(NaN\) at index 7/,
    ],
    ['a kernel-3 file', () => randomTorchTensors(variant({ kernelSize: 3 }), 1), /"conv1.weight" has shape \[16, 1, 3, 3\], the config needs \[16, 1, 5, 5\]/],
  ];
  for (const [what, make, message] of bad) {
    it(`refuses ${what} and leaves the model unchanged`, async () => {
      const t = make();
      await expectNoLeak(() => {
        expect(() => importTorchWeights(model, SEED_PRESET, t)).toThrow(ModelError);
        expect(() => importTorchWeights(model, SEED_PRESET, t)).toThrow(message);
      });
      expect(firstBitDifference(model.getLayer('conv1').getWeights()[0].dataSync() as Float32Array, before)).toBe(-1);
    });
  }

  it('lists every problem at once', () => {
    const t = edit((m) => {
      m.delete('fc.bias');
      m.set('extra', { shape: [1], data: new Float32Array(1) });
    });
    expect(() => importTorchWeights(model, SEED_PRESET, t)).toThrow(/missing tensor "fc.bias".*unexpected tensor "extra"/);
  });

  it('refuses a model built for another config', () => {
    expect(() => importTorchWeights(model, variant({ pooling: 'max' }), good)).toThrow(/MaxPooling2D/);
  });
});
