// The CNN's configuration: the report's seed model (SPEC section 2) and the knobs of its
// grid search. Pure data and checks, no TF.js, so the worker, scripts and tests share it.
import { FEATURE_TYPES, MEL, WINDOW_FRAMES, type FeatureType } from '../dsp/params.ts';

export type Activation = 'relu' | 'sigmoid';
export type Pooling = 'avg' | 'max';
/**
 * How the last feature map meets the linear layer: 'flatten' (the report's: one weight per
 * Mel row, time position and channel) or 'time-mean' (each Mel row and channel averaged over
 * time first, so a sound reads the same wherever it falls in the window).
 */
export type Head = 'flatten' | 'time-mean';
export const HEADS: readonly Head[] = ['flatten', 'time-mean'];

/** Architecture and input features of a valence CNN. */
export interface CnnConfig {
  /** Square convolution kernel size (the report's grid: 3 or 5). */
  kernelSize: number;
  /** Zero padding on each side of every convolution (seed: 7). */
  padding: number;
  /** Activation after every convolution. */
  activation: Activation;
  /** 2x2 pooling after every activation. */
  pooling: Pooling;
  /** Output channels of each convolution block (seed: 16, 32, 64, 128). */
  channels: number[];
  /** Features the model reads: raw Mel power (the report's), dB, or dB less band means. */
  features: FeatureType;
  /** Input size [mels, frames] (SPEC: 64 x 121). */
  inputShape: [number, number];
  /**
   * Outputs of the last layer (SPEC section 3): 1, valence (absent means 1, as in every
   * one-output config written before arousal); 2, valence then arousal.
   */
  outputs?: OutputCount;
  /** The head (absent means 'flatten', as in every config written before heads). */
  head?: Head;
}

export type OutputCount = 1 | 2;

/** What each output predicts, in order (SPEC section 3). */
export const OUTPUT_NAMES = ['valence', 'arousal'] as const;

/** The number of outputs of a config (1 when it does not say). */
export function outputCount(c: Pick<CnnConfig, 'outputs'>): OutputCount {
  return c.outputs ?? 1;
}

/** The report's model, exactly (SPEC section 2). */
export const SEED_PRESET: Readonly<CnnConfig> = Object.freeze<CnnConfig>({
  kernelSize: 5,
  padding: 7,
  activation: 'relu',
  pooling: 'avg',
  channels: [16, 32, 64, 128],
  features: 'power',
  inputShape: [MEL.nMels, WINDOW_FRAMES],
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Spatial size after the conv blocks, in PyTorch's arithmetic (floor pooling). */
export function featureMapShape(c: CnnConfig): [number, number] {
  let [h, w] = c.inputShape;
  for (let i = 0; i < c.channels.length; i++) {
    h = Math.floor((h + 2 * c.padding - c.kernelSize + 1) / 2);
    w = Math.floor((w + 2 * c.padding - c.kernelSize + 1) / 2);
  }
  return [h, w];
}

/** The head of a config ('flatten' when it does not say). */
export function headOf(c: Pick<CnnConfig, 'head'>): Head {
  return c.head ?? 'flatten';
}

/** [H, W] of the map the linear layer reads: the last feature map, or [H, 1] after 'time-mean'. */
export function headShape(c: CnnConfig): [number, number] {
  const [h, w] = featureMapShape(c);
  return headOf(c) === 'time-mean' ? [h, 1] : [h, w];
}

/** Inputs of the final linear layer: C * H * W of headShape (seed: 128 * 13 * 16 = 26624). */
export function flatSize(c: CnnConfig): number {
  const [h, w] = headShape(c);
  return c.channels[c.channels.length - 1] * h * w;
}

/** Checks a config (from a file, a CLI flag or a model card); throws naming the bad field. */
export function validateConfig(raw: unknown): CnnConfig {
  if (!raw || typeof raw !== 'object') throw new ConfigError('model config must be an object');
  const c = raw as Partial<CnnConfig>;
  const posInt = (v: unknown, name: string, min = 1) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new ConfigError(`model config: ${name} must be a whole number >= ${min}, got ${JSON.stringify(v)}`);
    }
  };
  posInt(c.kernelSize, 'kernelSize');
  posInt(c.padding, 'padding', 0);
  if (c.activation !== 'relu' && c.activation !== 'sigmoid') {
    throw new ConfigError(`model config: activation must be "relu" or "sigmoid", got ${JSON.stringify(c.activation)}`);
  }
  if (c.pooling !== 'avg' && c.pooling !== 'max') {
    throw new ConfigError(`model config: pooling must be "avg" or "max", got ${JSON.stringify(c.pooling)}`);
  }
  if (!Array.isArray(c.channels) || c.channels.length === 0) {
    throw new ConfigError('model config: channels must be a non-empty list of channel counts');
  }
  c.channels.forEach((n, i) => posInt(n, `channels[${i}]`));
  if (!FEATURE_TYPES.includes(c.features as FeatureType)) {
    const names = FEATURE_TYPES.map((t) => `"${t}"`).join(', ');
    throw new ConfigError(`model config: features must be one of ${names}, got ${JSON.stringify(c.features)}`);
  }
  if (!Array.isArray(c.inputShape) || c.inputShape.length !== 2) {
    throw new ConfigError('model config: inputShape must be [mels, frames]');
  }
  c.inputShape.forEach((n, i) => posInt(n, `inputShape[${i}]`));
  if (c.outputs !== undefined && c.outputs !== 1 && c.outputs !== 2) {
    throw new ConfigError(`model config: outputs must be 1 (valence) or 2 (valence, arousal), got ${JSON.stringify(c.outputs)}`);
  }
  if (c.head !== undefined && !HEADS.includes(c.head)) {
    throw new ConfigError(`model config: head must be one of ${HEADS.map((h) => `"${h}"`).join(', ')}, got ${JSON.stringify(c.head)}`);
  }
  const config: CnnConfig = {
    kernelSize: c.kernelSize!,
    padding: c.padding!,
    activation: c.activation,
    pooling: c.pooling,
    channels: [...c.channels],
    features: c.features as FeatureType,
    inputShape: [c.inputShape[0], c.inputShape[1]],
    // Kept only when 2, so a one-output config reads and writes exactly as before.
    ...(c.outputs === 2 ? { outputs: 2 as const } : {}),
    // Kept only when not the report's, for the same reason.
    ...(c.head === 'time-mean' ? { head: 'time-mean' as const } : {}),
  };
  const [h, w] = featureMapShape(config);
  if (h < 1 || w < 1) {
    throw new ConfigError(`model config: ${config.channels.length} blocks shrink ${config.inputShape.join('x')} to nothing`);
  }
  return config;
}
