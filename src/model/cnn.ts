// Builds the valence CNN of SPEC section 2 as a TF.js LayersModel (NHWC), and checks that a
// loaded model has exactly the architecture its config describes. Layer names are stable
// (pad1, conv1, pool1, ..., [timepool,] flatten, fc) because weight mapping goes by name.
import * as tf from '@tensorflow/tfjs';
import { featureMapShape, flatSize, headOf, outputCount, validateConfig, type CnnConfig } from './config.ts';
import { ModelError } from './errors.ts';

export interface BuildOptions {
  /** Seed for the initial weights (reproducible training runs); random if absent. */
  seed?: number;
}

/** What one layer must look like; derived from the config alone. */
export interface LayerSpec {
  name: string;
  className: string;
  /** Output shape without the batch dimension. */
  outputShape: number[];
  /** Weight shapes in TF.js layout (kernel HWIO / [in, out], then bias). */
  weightShapes: number[][];
  /** Conv activation, where the layer has one. */
  activation?: string;
}

export const convName = (block: number): string => `conv${block}`;
export const FC_NAME = 'fc';
/** The 'time-mean' head's layer: an average over the whole time axis of the last map. */
export const TIME_POOL_NAME = 'timepool';

/** The layer list of a config, in order (block numbers start at 1 as in PyTorch's names). */
export function expectedLayers(config: CnnConfig): LayerSpec[] {
  const { kernelSize: k, padding: p } = config;
  let [h, w] = config.inputShape;
  let cin = 1;
  const specs: LayerSpec[] = [];
  config.channels.forEach((cout, i) => {
    const n = i + 1;
    h += 2 * p;
    w += 2 * p;
    specs.push({ name: `pad${n}`, className: 'ZeroPadding2D', outputShape: [h, w, cin], weightShapes: [] });
    h = h - k + 1;
    w = w - k + 1;
    specs.push({
      name: convName(n),
      className: 'Conv2D',
      outputShape: [h, w, cout],
      weightShapes: [[k, k, cin, cout], [cout]],
      activation: config.activation,
    });
    // 2x2, stride 2, no padding: floor(h / 2), PyTorch's default (ceil_mode=False).
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
    specs.push({
      name: `pool${n}`,
      className: config.pooling === 'avg' ? 'AveragePooling2D' : 'MaxPooling2D',
      outputShape: [h, w, cout],
      weightShapes: [],
    });
    cin = cout;
  });
  if (headOf(config) === 'time-mean') {
    specs.push({ name: TIME_POOL_NAME, className: 'AveragePooling2D', outputShape: [h, 1, cin], weightShapes: [] });
  }
  const flat = flatSize(config);
  specs.push({ name: 'flatten', className: 'Flatten', outputShape: [flat], weightShapes: [] });
  const outputs = outputCount(config);
  specs.push({ name: FC_NAME, className: 'Dense', outputShape: [outputs], weightShapes: [[flat, outputs], [outputs]] });
  return specs;
}

/** PyTorch's default init (kaiming_uniform with a=sqrt(5)): U(+-1/sqrt(fan_in)) for weights and biases. */
function torchLikeInit(fanIn: number, seed: number | undefined) {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernelInitializer: tf.initializers.varianceScaling({
      scale: 1 / 3,
      mode: 'fanIn',
      distribution: 'uniform',
      seed,
    }),
    biasInitializer: tf.initializers.randomUniform({
      minval: -bound,
      maxval: bound,
      seed: seed === undefined ? undefined : seed + 1,
    }),
  };
}

/**
 * The CNN for a config: per block zero padding -> conv (valid, stride 1) + activation ->
 * 2x2 pooling (stride 2, floor); [the mean over time, for the 'time-mean' head;] flatten;
 * dense(outputs: valence[, arousal]). Input [batch, mels, frames, 1].
 */
export function buildCnn(config: CnnConfig, options: BuildOptions = {}): tf.LayersModel {
  const c = validateConfig(config);
  const seedAt = (i: number) => (options.seed === undefined ? undefined : options.seed + 2 * i);
  const model = tf.sequential({ name: 'valence_cnn' });
  let cin = 1;
  c.channels.forEach((cout, i) => {
    const n = i + 1;
    model.add(
      tf.layers.zeroPadding2d({
        padding: c.padding,
        dataFormat: 'channelsLast',
        name: `pad${n}`,
        ...(i === 0 ? { inputShape: [c.inputShape[0], c.inputShape[1], 1] } : {}),
      }),
    );
    model.add(
      tf.layers.conv2d({
        filters: cout,
        kernelSize: c.kernelSize,
        strides: 1,
        padding: 'valid',
        dataFormat: 'channelsLast',
        activation: c.activation,
        name: convName(n),
        ...torchLikeInit(cin * c.kernelSize * c.kernelSize, seedAt(i)),
      }),
    );
    const pool = { poolSize: 2, strides: 2, padding: 'valid' as const, dataFormat: 'channelsLast' as const, name: `pool${n}` };
    model.add(c.pooling === 'avg' ? tf.layers.averagePooling2d(pool) : tf.layers.maxPooling2d(pool));
    cin = cout;
  });
  if (headOf(c) === 'time-mean') {
    // One pool as wide as the map: the mean over time, with no new op to save or load.
    const w = featureMapShape(c)[1];
    model.add(tf.layers.averagePooling2d({ poolSize: [1, w], strides: [1, w], padding: 'valid', dataFormat: 'channelsLast', name: TIME_POOL_NAME }));
  }
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dense({ units: outputCount(c), name: FC_NAME, ...torchLikeInit(flatSize(c), seedAt(c.channels.length)) }));
  return model;
}

const shapeText = (s: readonly (number | null)[]): string => `[${s.map((d) => (d === null ? '?' : d)).join(', ')}]`;

/** Throws ModelError naming the first difference between a model and its config's architecture. */
export function checkArchitecture(model: tf.LayersModel, config: CnnConfig): void {
  const [mels, frames] = config.inputShape;
  const inShape = model.inputs.length === 1 ? model.inputs[0].shape : null;
  if (!inShape || shapeText(inShape) !== shapeText([null, mels, frames, 1])) {
    throw new ModelError(
      `model input is ${inShape ? shapeText(inShape) : `${model.inputs.length} inputs`}, its config needs [?, ${mels}, ${frames}, 1]`,
    );
  }
  const specs = expectedLayers(config);
  // Sequential models may report an InputLayer first; it has no weights and no say.
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (layers.length !== specs.length) {
    throw new ModelError(`model has ${layers.length} layers, a ${config.channels.length}-block config needs ${specs.length}`);
  }
  specs.forEach((spec, i) => {
    const layer = layers[i];
    const where = `layer ${i + 1} ("${layer.name}")`;
    if (layer.name !== spec.name || layer.getClassName() !== spec.className) {
      throw new ModelError(`${where} is a ${layer.getClassName()}, the config needs ${spec.className} "${spec.name}"`);
    }
    const out = layer.outputShape;
    const outText = Array.isArray(out[0]) ? 'several outputs' : shapeText((out as (number | null)[]).slice(1));
    if (outText !== shapeText(spec.outputShape)) {
      throw new ModelError(`${where} outputs ${outText}, the config needs ${shapeText(spec.outputShape)}`);
    }
    const weights = layer.getWeights();
    const got = weights.map((t) => shapeText(t.shape)).join(' ');
    const want = spec.weightShapes.map(shapeText).join(' ');
    if (got !== want) throw new ModelError(`${where} has weights ${got || 'none'}, the config needs ${want || 'none'}`);
    if (spec.activation !== undefined) {
      const act = layer.getConfig().activation;
      if (act !== spec.activation) {
        throw new ModelError(`${where} uses activation ${JSON.stringify(act)}, the config needs "${spec.activation}"`);
      }
    }
  });
}

/** Trainable parameters of a config, from PyTorch's arithmetic (seed: 296,065). */
export function parameterCount(config: CnnConfig): number {
  let cin = 1;
  let total = 0;
  for (const cout of config.channels) {
    total += cout * cin * config.kernelSize * config.kernelSize + cout;
    cin = cout;
  }
  const k = outputCount(config);
  return total + (flatSize(config) + 1) * k;
}
