// Moves weights between PyTorch's names and layouts (SPEC sections 2-3: convN.weight OIHW,
// convN.bias, fc.weight [K, C*H*W] in (C,H,W) order, fc.bias [K], K = 1 output (valence) or
// 2 (row 0 valence, row 1 arousal)) and our NHWC LayersModel (conv kernels HWIO, dense
// kernel [H*W*C, K] in (H,W,C) order). Every name and shape is
// checked against the config first: a mismatched or corrupt file is refused whole, never
// half-loaded.
import * as tf from '@tensorflow/tfjs';
import { headShape, outputCount, SEED_PRESET, validateConfig, type CnnConfig } from './config.ts';
import { checkArchitecture, convName, FC_NAME } from './cnn.ts';
import { ModelError } from './errors.ts';
import type { NamedTensor, TensorMap } from './safetensors.ts';

/** PyTorch parameter names and shapes for a config, in the module's order. */
export function torchParamShapes(config: CnnConfig): Map<string, number[]> {
  const k = config.kernelSize;
  const shapes = new Map<string, number[]>();
  let cin = 1;
  config.channels.forEach((cout, i) => {
    shapes.set(`${convName(i + 1)}.weight`, [cout, cin, k, k]);
    shapes.set(`${convName(i + 1)}.bias`, [cout]);
    cin = cout;
  });
  const [h, w] = headShape(config);
  const outputs = outputCount(config);
  shapes.set(`${FC_NAME}.weight`, [outputs, cin * h * w]);
  shapes.set(`${FC_NAME}.bias`, [outputs]);
  return shapes;
}

/** OIHW (PyTorch conv weight) -> HWIO (TF.js conv kernel). */
export function oihwToHwio(src: Float32Array, [o, i, h, w]: readonly number[]): Float32Array {
  const dst = new Float32Array(src.length);
  for (let oo = 0; oo < o; oo++)
    for (let ii = 0; ii < i; ii++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) dst[((y * w + x) * i + ii) * o + oo] = src[((oo * i + ii) * h + y) * w + x];
  return dst;
}

/** HWIO -> OIHW; `oihw` is the PyTorch shape. */
export function hwioToOihw(src: Float32Array, [o, i, h, w]: readonly number[]): Float32Array {
  const dst = new Float32Array(src.length);
  for (let oo = 0; oo < o; oo++)
    for (let ii = 0; ii < i; ii++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) dst[((oo * i + ii) * h + y) * w + x] = src[((y * w + x) * i + ii) * o + oo];
  return dst;
}

/** Linear weights over a (C,H,W) flatten -> over an (H,W,C) flatten (one output unit). */
export function chwToHwc(src: Float32Array, c: number, h: number, w: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let cc = 0; cc < c; cc++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) dst[(y * w + x) * c + cc] = src[(cc * h + y) * w + x];
  return dst;
}

/**
 * PyTorch's linear weight [K, C*H*W] ((C,H,W) order per row) -> TF.js's dense kernel
 * [H*W*C, K]; for K = 1 it is chwToHwc.
 */
export function linearTorchToDense(src: Float32Array, outputs: number, c: number, h: number, w: number): Float32Array {
  const n = c * h * w;
  if (outputs === 1) return chwToHwc(src, c, h, w);
  const dst = new Float32Array(src.length);
  for (let o = 0; o < outputs; o++) {
    const row = chwToHwc(src.subarray(o * n, (o + 1) * n), c, h, w);
    for (let j = 0; j < n; j++) dst[j * outputs + o] = row[j];
  }
  return dst;
}

/** Inverse of linearTorchToDense. */
export function linearDenseToTorch(src: Float32Array, outputs: number, c: number, h: number, w: number): Float32Array {
  const n = c * h * w;
  if (outputs === 1) return hwcToChw(src, c, h, w);
  const dst = new Float32Array(src.length);
  const col = new Float32Array(n);
  for (let o = 0; o < outputs; o++) {
    for (let j = 0; j < n; j++) col[j] = src[j * outputs + o];
    dst.set(hwcToChw(col, c, h, w), o * n);
  }
  return dst;
}

/** Inverse of chwToHwc. */
export function hwcToChw(src: Float32Array, c: number, h: number, w: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let cc = 0; cc < c; cc++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) dst[(cc * h + y) * w + x] = src[(y * w + x) * c + cc];
  return dst;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Every name present with its shape, no extras, all values finite; else one error listing the problems. */
export function checkTorchTensors(config: CnnConfig, tensors: ReadonlyMap<string, NamedTensor>): void {
  const expected = torchParamShapes(config);
  const problems: string[] = [];
  for (const [name, shape] of expected) {
    const t = tensors.get(name);
    if (!t) problems.push(`missing tensor "${name}" ${fmt(shape)}`);
    else if (!sameShape(t.shape, shape)) problems.push(`"${name}" has shape ${fmt(t.shape)}, the config needs ${fmt(shape)}`);
    else if (t.data.length !== shape.reduce((a, b) => a * b, 1)) problems.push(`"${name}" has ${t.data.length} values for shape ${fmt(shape)}`);
    else {
      const bad = t.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) problems.push(`"${name}" has a non-finite value (${t.data[bad]}) at index ${bad}`);
    }
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name)) problems.push(`unexpected tensor "${name}" (not part of a ${config.channels.length}-block model)`);
  }
  if (problems.length > 0) {
    throw new ModelError(`weights do not fit the model config: ${problems.join('; ')}`);
  }
}

/** Loads PyTorch-layout tensors into a model built for `config` (all or nothing). */
export function importTorchWeights(
  model: tf.LayersModel,
  config: CnnConfig,
  tensors: ReadonlyMap<string, NamedTensor>,
): void {
  checkArchitecture(model, config);
  checkTorchTensors(config, tensors);
  const shapes = torchParamShapes(config);
  const get = (name: string) => tensors.get(name)!.data;
  // Convert everything before touching the model, so a failure leaves it unchanged.
  const values: { layer: string; kernel: Float32Array; kernelShape: number[]; bias: Float32Array }[] = [];
  config.channels.forEach((cout, i) => {
    const name = convName(i + 1);
    const oihw = shapes.get(`${name}.weight`)!;
    values.push({
      layer: name,
      kernel: oihwToHwio(get(`${name}.weight`), oihw),
      kernelShape: [oihw[2], oihw[3], oihw[1], oihw[0]],
      bias: get(`${name}.bias`),
    });
  });
  const [h, w] = headShape(config);
  const c = config.channels[config.channels.length - 1];
  const outputs = outputCount(config);
  values.push({
    layer: FC_NAME,
    kernel: linearTorchToDense(get(`${FC_NAME}.weight`), outputs, c, h, w),
    kernelShape: [c * h * w, outputs],
    bias: get(`${FC_NAME}.bias`),
  });
  tf.tidy(() => {
    for (const v of values) {
      // setWeights copies into the layer's variables; tidy frees these temporaries.
      model.getLayer(v.layer).setWeights([tf.tensor(v.kernel, v.kernelShape), tf.tensor1d(v.bias)]);
    }
  });
}

/** The model's weights in PyTorch names and layouts (for safetensors export). */
export function exportTorchWeights(model: tf.LayersModel, config: CnnConfig): TensorMap {
  checkArchitecture(model, config);
  const shapes = torchParamShapes(config);
  const out: TensorMap = new Map();
  // getWeights returns the variables themselves (no new tensors): read, never dispose.
  const read = (layer: string) => model.getLayer(layer).getWeights().map((t) => t.dataSync() as Float32Array);
  config.channels.forEach((_, i) => {
    const name = convName(i + 1);
    const [kernel, bias] = read(name);
    const oihw = shapes.get(`${name}.weight`)!;
    out.set(`${name}.weight`, { shape: oihw, data: hwioToOihw(kernel, oihw) });
    out.set(`${name}.bias`, { shape: shapes.get(`${name}.bias`)!, data: Float32Array.from(bias) });
  });
  const [kernel, bias] = read(FC_NAME);
  const [h, w] = headShape(config);
  const c = config.channels[config.channels.length - 1];
  const outputs = outputCount(config);
  out.set(`${FC_NAME}.weight`, { shape: shapes.get(`${FC_NAME}.weight`)!, data: linearDenseToTorch(kernel, outputs, c, h, w) });
  out.set(`${FC_NAME}.bias`, { shape: [outputs], data: Float32Array.from(bias) });
  return out;
}

/**
 * A config for a PyTorch weights file: kernel size and channels from the conv shapes, the
 * rest (activation, pooling, padding, features, inputShape) from `given` (e.g. a fixture
 * case's `config`), defaulting to the seed preset; `inputShape` [mels, frames], if given,
 * wins (e.g. from a case's input shape). Given kernelSize/channels must agree.
 */
export function configFromTorchTensors(
  tensors: ReadonlyMap<string, NamedTensor>,
  given: Record<string, unknown> = {},
  inputShape?: readonly [number, number],
): CnnConfig {
  const channels: number[] = [];
  let kernelSize = 0;
  let cin = 1;
  for (let n = 1; tensors.has(`${convName(n)}.weight`); n++) {
    const name = `${convName(n)}.weight`;
    const s = tensors.get(name)!.shape;
    if (s.length !== 4 || s[2] !== s[3] || s[1] !== cin) {
      throw new ModelError(
        `"${name}" has shape ${fmt(s)}, expected [out, ${cin}, k, k] (square kernel, ${cin} input channel${cin === 1 ? '' : 's'})`,
      );
    }
    if (n === 1) kernelSize = s[2];
    else if (s[2] !== kernelSize) throw new ModelError(`"${name}" has a ${s[2]}x${s[3]} kernel, conv1 has ${kernelSize}x${kernelSize}`);
    channels.push(s[0]);
    cin = s[0];
  }
  if (channels.length === 0) throw new ModelError('weights have no "conv1.weight": not a valence CNN weights file');
  const agree = (key: 'kernelSize' | 'channels', found: unknown) => {
    if (key in given && JSON.stringify(given[key]) !== JSON.stringify(found)) {
      throw new ModelError(`config says ${key} ${JSON.stringify(given[key])}, the weights have ${JSON.stringify(found)}`);
    }
  };
  agree('kernelSize', kernelSize);
  agree('channels', channels);
  // The output count is fc.weight's rows (SPEC section 3): 1 valence, 2 valence and arousal.
  const fc = tensors.get(`${FC_NAME}.weight`);
  const outputs = fc && fc.shape.length === 2 ? fc.shape[0] : 1;
  if (outputs !== 1 && outputs !== 2) throw new ModelError(`"${FC_NAME}.weight" has ${outputs} rows: a model has 1 output (valence) or 2 (valence, arousal)`);
  if ('outputs' in given && outputCount({ outputs: given.outputs as 1 | 2 }) !== outputs) {
    throw new ModelError(`config says outputs ${JSON.stringify(given.outputs)}, the weights have ${outputs}`);
  }
  const config = validateConfig({
    ...SEED_PRESET,
    ...given,
    kernelSize,
    channels,
    ...(outputs === 2 ? { outputs } : {}),
    ...(inputShape ? { inputShape: [...inputShape] } : {}),
  });
  return withHeadOfWeights(config, fc?.shape, 'head' in given);
}

/**
 * The head that fc.weight's width implies (C*H*W: 'flatten', C*H: 'time-mean'), where the
 * config did not say; a width that fits neither is left for the shape check to name.
 */
function withHeadOfWeights(config: CnnConfig, fcShape: readonly number[] | undefined, headGiven: boolean): CnnConfig {
  if (headGiven || !fcShape || fcShape.length !== 2) return config;
  const asTimeMean = validateConfig({ ...config, head: 'time-mean' });
  const flatWidth = torchParamShapes({ ...config, head: undefined }).get(`${FC_NAME}.weight`)![1];
  const meanWidth = torchParamShapes(asTimeMean).get(`${FC_NAME}.weight`)![1];
  if (fcShape[1] === meanWidth && meanWidth !== flatWidth) return asTimeMean;
  return config;
}
