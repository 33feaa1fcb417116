// One training step of the CNN (forward, masked MSE loss, hand-written backward, Adam) for
// any CnnConfig, on whatever TF.js backend is active (meant for wasm; the cpu backend gives
// the reference in tests). Convolutions: Winograd along time (winograd.ts) after the first
// block, direct XNNPACK convolutions with the gradients of conv-grad.ts in the first; the
// last layer and the loss: output-grad.ts.
//
// Parameter layout = the LayersModel of cnn.ts, so `model.setWeights(trainer.weightTensors())`
// loads trained weights and `trainer.setWeights(model.getWeights())` starts from a model:
//   [conv1 kernel HWIO [k,k,Cin,Cout], conv1 bias [Cout], ..., convN kernel, convN bias,
//    fc kernel [flat, K] (flat in NHWC = (H, W, C) order, W = 1 after a 'time-mean' head), fc bias [K]],
//   K = outputCount(config).
// Inputs are NHWC [N, mels, frames, 1]; targets [N, K] (or [N] when K = 1), NaN where a label
// is unknown (targets.ts): the loss is the mean squared error over the known labels.
import * as tf from '@tensorflow/tfjs-core';
import { outputCount, type CnnConfig } from '../config.ts';
import { Adam, type AdamOptions } from './adam.ts';
import {
  activate,
  activationBackward,
  convBackward,
  convForward,
  flipKernelValues,
  poolBackward,
  poolForward,
} from './conv-grad.ts';
import { headBackward, headForward } from './head.ts';
import { outputLossAndGradients } from './output-grad.ts';
import { initParams, paramShapes, sizeOf, tensorViews } from './params.ts';
import { readTargets } from './targets.ts';
import { WinogradWorkspace, winogradBackward, winogradForward, type WinogradSaved } from './winograd.ts';

/** What the backward pass needs from each block's forward (lossAndGradients). */
interface BlockTrace {
  inputs: tf.Tensor4D[];
  saved: (WinogradSaved | null)[];
  acts: tf.Tensor4D[];
  pools: tf.Tensor4D[];
}

/**
 * The convolution blocks (convolution, activation, pooling) on x (the input of block
 * options.startBlock, 0: the features) up to block `upTo` (default: all), in the step's formulation
 * (Winograd or direct per block, see winogradTile); records into `trace` when given. The one
 * forward of the CNN here: the step and the forward-only pass both run it.
 */
function forwardBlocks(
  config: CnnConfig,
  params: readonly tf.Tensor[],
  x: tf.Tensor4D,
  options: GradOptions,
  workspace?: WinogradWorkspace,
  trace?: BlockTrace,
  tagPrefix = '',
  upTo?: number,
): tf.Tensor4D {
  const tile = options.winograd ?? DEFAULT_WINOGRAD_TILE;
  let h = x;
  for (let i = options.startBlock ?? 0; i < (upTo ?? config.channels.length); i++) {
    trace?.inputs.push(h);
    const w = params[2 * i] as tf.Tensor4D;
    const b = params[2 * i + 1] as tf.Tensor1D;
    const m = winogradTile(tile, config.kernelSize, h.shape[3]);
    let z: tf.Tensor4D;
    if (m > 0) {
      const r = winogradForward(h, w.dataSync() as Float32Array, b.dataSync() as Float32Array, config.kernelSize, config.padding, m, workspace, `${tagPrefix}${i}:`);
      z = r.y;
      trace?.saved.push(r.saved);
    } else {
      z = convForward(h, w, b, config.padding);
      trace?.saved.push(null);
    }
    const a = activate(z, config.activation);
    h = poolForward(a, config.pooling);
    trace?.acts.push(a);
    trace?.pools.push(h);
  }
  return h;
}

/**
 * Model output [N, K] for inputs [N, H, W, 1], with the ops the step trains (options: its
 * formulation; a workspace, when given, is used under its own tags so a step's saved arrays
 * stay valid).
 */
export function forward(config: CnnConfig, params: readonly tf.Tensor[], x: tf.Tensor4D, options: GradOptions = {}, workspace?: WinogradWorkspace): tf.Tensor2D {
  return tf.tidy(() => {
    const h = forwardBlocks(config, params, x, options, workspace, undefined, 'fwd');
    const nb = config.channels.length;
    const flat = tf.reshape(headForward(config, h), [x.shape[0], -1]) as tf.Tensor2D;
    return tf.add(tf.matMul(flat, params[2 * nb] as tf.Tensor2D), params[2 * nb + 1]) as tf.Tensor2D;
  });
}

/**
 * The output of the first `blocks` convolution blocks for inputs [N, H, W, 1] (what a step
 * with startBlock = blocks takes as its x), with the ops the step trains.
 */
export function blockOutputs(config: CnnConfig, params: readonly tf.Tensor[], x: tf.Tensor4D, blocks: number, options: GradOptions = {}, workspace?: WinogradWorkspace): tf.Tensor4D {
  return tf.tidy(() => forwardBlocks(config, params, x, { ...options, startBlock: 0 }, workspace, undefined, 'out', blocks));
}

/** Choices between equivalent formulations (defaults: the fastest measured); for benchmarks. */
export interface GradOptions {
  /**
   * Output columns per Winograd tile, F(m, k) (winograd.ts), for the blocks where it pays
   * (winogradTile); 0 = direct convolutions everywhere. Default DEFAULT_WINOGRAD_TILE.
   */
  winograd?: number;
  /**
   * The first N convolution blocks are frozen (fine-tuning the last layers only): their
   * gradients are zeros and the backward pass stops above them, so a step costs only the
   * trained layers' backward. Default 0: every block trains.
   */
  frozenBlocks?: number;
  /**
   * x is the input of this block (the output of the blocks before it, from blockOutputs),
   * not the features: a fine-tune of the last layers computes the frozen blocks once per
   * window instead of at every step. Those blocks must be frozen. Default 0.
   */
  startBlock?: number;
}

/** F(4, 5): measured per step as fast as F(3, 5) or faster (npm run bench:train). */
export const DEFAULT_WINOGRAD_TILE = 4;

/**
 * The Winograd tile m for a block (0 = direct): not for one input channel (the first block:
 * its direct convolution is cheap and the transforms are not: measured slower), and only
 * where F(m, k) has interpolation points (alpha = m + k - 1 <= 8).
 */
export function winogradTile(m: number, kernelSize: number, cin: number): number {
  if (m <= 0 || cin < 2 || kernelSize < 2) return 0;
  return Math.max(0, Math.min(m, 9 - kernelSize));
}

export interface Gradients {
  /**
   * Sum of squared errors over this shard's known labels divided by labelTotal (the masked
   * MSE when the shard is the whole batch).
   */
  loss: tf.Scalar;
  /** One per parameter, same order and shapes. */
  grads: tf.Tensor[];
}

/**
 * Parameters as tensors, plus the flipped kernels of the input-gradient convolutions
 * (flipKernelValues: computed in JS, which beats wasm's gather / reverse), for lossAndGradients.
 * The first block's is absent: it needs no input gradient.
 */
export function uploadParams(
  shapes: readonly number[][],
  values: readonly Float32Array[],
  options: GradOptions = {},
): { params: tf.Tensor[]; flipped: tf.Tensor4D[] } {
  const params = values.map((p, i) => tf.tensor(p, shapes[i]));
  const flipped: tf.Tensor4D[] = [];
  for (let i = 2; i < values.length - 2; i += 2) {
    const s = shapes[i];
    if (winogradTile(options.winograd ?? DEFAULT_WINOGRAD_TILE, s[0], s[2]) > 0) continue; // Winograd layers flip their own
    flipped[i / 2] = tf.tensor4d(flipKernelValues(values[i], s), [s[0], s[1], s[3], s[2]]);
  }
  return { params, flipped };
}

/**
 * Loss and gradients for the MSE over the known labels of a batch that has labelTotal of
 * them, of which x and y hold some (a shard, for data-parallel steps: the shards' losses
 * and gradients add up to the batch's). labelTotal defaults to this shard's known labels.
 * A shard with no known label gives loss 0 and zero gradients without running the model.
 */
export function lossAndGradients(
  config: CnnConfig,
  params: readonly tf.Tensor[],
  x: tf.Tensor4D,
  y: tf.Tensor,
  labelTotal?: number,
  flippedKernels?: readonly tf.Tensor4D[],
  options: GradOptions = {},
  workspace?: WinogradWorkspace,
): Gradients {
  const nb = config.channels.length;
  if (params.length !== 2 * nb + 2) throw new Error(`expected ${2 * nb + 2} parameter tensors, got ${params.length}`);
  const n = x.shape[0];
  const targets = readTargets(y, n, outputCount(config));
  const total = labelTotal ?? targets.known;
  if (!Number.isInteger(total) || total < targets.known) {
    throw new Error(`labelTotal must be a whole number >= this shard's ${targets.known} known labels, got ${labelTotal}`);
  }
  const start = options.startBlock ?? 0;
  const frozen = options.frozenBlocks ?? 0;
  if (!(Number.isInteger(frozen) && frozen >= 0 && frozen <= nb)) throw new Error(`frozenBlocks must be a whole number from 0 to ${nb}, got ${frozen}`);
  if (!(Number.isInteger(start) && start >= 0 && start <= frozen)) throw new Error(`startBlock must be a whole number from 0 to frozenBlocks (${frozen}), got ${start}`);
  const [hIn, wIn] = config.inputShape;
  if (start === 0 && (x.shape[1] !== hIn || x.shape[2] !== wIn || x.shape[3] !== 1)) {
    throw new Error(`input must be [N, ${hIn}, ${wIn}, 1], got [${x.shape.join(', ')}]`);
  }
  if (targets.known === 0) return { loss: tf.scalar(0), grads: params.map((p) => tf.zerosLike(p)) };
  return tf.tidy(() => {
    const trace: BlockTrace = { inputs: [], saved: [], acts: [], pools: [] };
    const h = forwardBlocks(config, params, x, options, workspace, trace);
    // Indexed by block: a trace that starts at a later block has nothing before it.
    const at = (i: number) => i - start;
    const { inputs, saved, acts, pools } = trace;
    const pooled = headForward(config, h);
    const flat = tf.reshape(pooled, [n, -1]) as tf.Tensor2D;
    const fc = outputLossAndGradients(flat, params[2 * nb] as tf.Tensor2D, params[2 * nb + 1], targets, total);
    const grads: tf.Tensor[] = new Array<tf.Tensor>(2 * nb + 2);
    grads[2 * nb] = fc.dw;
    grads[2 * nb + 1] = fc.db;
    for (let i = 0; i < frozen; i++) {
      grads[2 * i] = tf.zerosLike(params[2 * i]);
      grads[2 * i + 1] = tf.zerosLike(params[2 * i + 1]);
    }
    let dh = headBackward(config, tf.reshape(fc.dFlat, pooled.shape) as tf.Tensor4D, h);
    for (let i = nb - 1; i >= frozen; i--) {
      // (The pooling and activation backward as one JS pass over the values ran 1.5-2.5x
      // slower than these wasm ops.)
      const dz = activationBackward(poolBackward(dh, acts[at(i)], pools[at(i)], config.pooling), acts[at(i)], config.activation);
      const wSaved = saved[at(i)];
      const g = wSaved
        ? winogradBackward(wSaved, dz, i > frozen)
        : convBackward(inputs[at(i)], params[2 * i] as tf.Tensor4D, dz, config.padding, i > frozen, flippedKernels?.[i]);
      grads[2 * i] = g.dw;
      grads[2 * i + 1] = g.db;
      if (g.dx) dh = g.dx;
    }
    return { loss: fc.loss, grads };
  });
}

/**
 * Everything a training run needs to continue exactly where it stopped (checkpoint /
 * --resume): parameters in LayersModel order, Adam's moments in the same layout, and the
 * number of Adam steps taken (its bias correction depends on it). Plain copies.
 */
export interface TrainerState {
  step: number;
  params: Float32Array[];
  m: Float32Array[];
  v: Float32Array[];
}

export interface TrainerOptions extends Partial<AdamOptions> {
  /** Initial weights in LayersModel order; PyTorch-like random init (seed 1) if absent. */
  weights?: readonly Float32Array[];
  /** Seed of the random init when no weights are given. */
  seed?: number;
  /** A saved state to resume from (overrides weights and seed); see Trainer.state(). */
  state?: TrainerState;
  /** Formulation choices (defaults: the fastest); for benchmarks and tests. */
  grad?: GradOptions;
  /** Keep parameters and moments on SharedArrayBuffers, for the parallel trainer's workers. */
  sharedMemory?: boolean;
}

/** Parameters and Adam moments, each one flat array (views per tensor index into it). */
export interface FlatState {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

function checkState(config: CnnConfig, state: TrainerState): void {
  const sizes = paramShapes(config).map(sizeOf);
  if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`state: step must be a whole number >= 0, got ${state.step}`);
  for (const key of ['params', 'm', 'v'] as const) {
    const arrays = state[key];
    if (arrays.length !== sizes.length) throw new Error(`state: expected ${sizes.length} ${key} arrays, got ${arrays.length}`);
    arrays.forEach((a, i) => {
      if (a.length !== sizes[i]) throw new Error(`state: ${key}[${i}] has ${a.length} values, expected ${sizes[i]}`);
    });
  }
}

/** Copies values (tensors are read synchronously) and checks their sizes against the config. */
function toArrays(config: CnnConfig, weights: readonly (Float32Array | tf.Tensor)[]): Float32Array[] {
  const shapes = paramShapes(config);
  if (weights.length !== shapes.length) throw new Error(`expected ${shapes.length} weight tensors, got ${weights.length}`);
  return weights.map((w, i) => {
    const a = w instanceof Float32Array ? Float32Array.from(w) : Float32Array.from(w.dataSync());
    if (a.length !== sizeOf(shapes[i])) {
      throw new Error(`weight ${i}: expected shape [${shapes[i].join(', ')}] (${sizeOf(shapes[i])} values), got ${a.length}`);
    }
    return a;
  });
}

/**
 * Keeps the parameters (as Float32Arrays, the source of truth) and Adam's state, and runs
 * steps on the active backend. The parallel trainer (parallel.ts) shares this state type.
 */
export class Trainer {
  readonly config: CnnConfig;
  readonly shapes: number[][];
  /** Views into flat.params. */
  readonly params: Float32Array[];
  readonly adam: Adam;
  /** The storage behind params and adam.m / adam.v (SharedArrayBuffers with sharedMemory). */
  readonly flat: FlatState;
  readonly grad: GradOptions;
  private readonly workspace = new WinogradWorkspace();

  constructor(config: CnnConfig, options: TrainerOptions = {}) {
    this.config = config;
    this.shapes = paramShapes(config);
    this.grad = { ...options.grad };
    const sizes = this.shapes.map(sizeOf);
    const total = sizes.reduce((a, b) => a + b, 0);
    const alloc = () => (options.sharedMemory ? new Float32Array(new SharedArrayBuffer(4 * total)) : new Float32Array(total));
    this.flat = { params: alloc(), m: alloc(), v: alloc() };
    this.params = tensorViews(this.flat.params, sizes);
    const moments = { m: tensorViews(this.flat.m, sizes), v: tensorViews(this.flat.v, sizes) };
    const { state } = options;
    if (state) {
      checkState(config, state);
      state.params.forEach((a, i) => this.params[i].set(a));
      state.m.forEach((a, i) => moments.m[i].set(a));
      state.v.forEach((a, i) => moments.v[i].set(a));
    } else {
      const init = options.weights ? toArrays(config, options.weights) : initParams(config, options.seed ?? 1);
      init.forEach((a, i) => this.params[i].set(a));
    }
    this.adam = new Adam(sizes, options, moments);
    if (state) this.adam.step = state.step;
  }

  /** A trainer that continues from a saved state (Adam options from `options`, e.g. lr). */
  static fromState(config: CnnConfig, state: TrainerState, options: Omit<TrainerOptions, 'state'> = {}): Trainer {
    return new Trainer(config, { ...options, state });
  }

  /** Copies of the parameters, Adam's moments and step count, for a checkpoint. */
  state(): TrainerState {
    return {
      step: this.adam.step,
      params: this.params.map((p) => p.slice()),
      m: this.adam.m.map((a) => a.slice()),
      v: this.adam.v.map((a) => a.slice()),
    };
  }

  /** Replaces the weights (e.g. model.getWeights()); Adam's state is kept. */
  setWeights(weights: readonly (Float32Array | tf.Tensor)[]): void {
    toArrays(this.config, weights).forEach((a, i) => this.params[i].set(a));
  }

  /** New tensors of the current weights, for model.setWeights; the caller disposes them. */
  weightTensors(): tf.Tensor[] {
    // Copies: the cpu backend would otherwise alias the arrays Adam updates in place.
    return this.params.map((p, i) => tf.tensor(p.slice(), this.shapes[i]));
  }

  /** Gradients for a shard as Float32Arrays, plus its loss share (see lossAndGradients). */
  gradients(x: tf.Tensor4D, y: tf.Tensor, labelTotal?: number): { loss: number; grads: Float32Array[] } {
    // No copies needed: these tensors are disposed before Adam touches the arrays.
    const { params, flipped } = uploadParams(this.shapes, this.params, this.grad);
    try {
      const r = lossAndGradients(this.config, params, x, y, labelTotal, flipped, this.grad, this.workspace);
      const loss = r.loss.dataSync()[0];
      const grads = r.grads.map((g) => g.dataSync() as Float32Array);
      tf.dispose([r.loss, ...r.grads]);
      return { loss, grads };
    } finally {
      tf.dispose([...params, ...flipped.filter((f) => f !== undefined)]);
    }
  }

  /**
   * One Adam step on the batch (x [N, H, W, 1], y [N, K] or [N], NaN = unknown); returns the
   * batch's masked MSE before it. A batch without any known label still takes its Adam step,
   * with zero gradients (as PyTorch's Adam does for zero gradients: the moments decay and the
   * step count advances), so every batch is one step on every trainer.
   */
  step(x: tf.Tensor4D, y: tf.Tensor): number {
    const { loss, grads } = this.gradients(x, y);
    this.adam.update(this.params, grads);
    return loss;
  }
}
