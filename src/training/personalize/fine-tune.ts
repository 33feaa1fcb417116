// Fine-tunes a base model on one speaker's labelled clips (issue 16): the project's own
// training step (Trainer: hand-written gradients, Adam) on windows augmented by the
// training path (train-windows.ts), the chosen layers only, with the L2-SP pull towards the
// base weights, then the recipe's baseline offset folded into the output bias; with a window
// pool (recipe.pool), on windows drawn once and carried through the frozen blocks once. Runs on the
// active TF.js backend in Node or in a browser worker (no Node APIs); yields between steps
// so a worker can take a cancel message, and reports progress.
import * as tf from '@tensorflow/tfjs';
import { outputCount, type CnnConfig } from '../../model/config.ts';
import { paramShapes } from '../../model/train/params.ts';
import { forward, Trainer, uploadParams } from '../../model/train/train-step.ts';
import type { LoudnessNormalisation } from '../../dsp/loudness.ts';
import { signalFeatures } from '../../dsp/pipeline.ts';
import { createRng, deriveSeed, shuffled } from '../random.ts';
import type { Labels } from '../score.ts';
import { buildWindow, windowSeed, type WindowPlan } from '../train-windows.ts';
import { addL2spGradient } from './l2sp.ts';
import { buildWindowPool, type WindowPool } from './window-pool.ts';
import { spreadScale, foldSpread } from './spread.ts';
import { DEFAULT_PERSONALIZE, PersonalizeError, trainableTensors, validateRecipe, type PersonalizeRecipe } from './recipe.ts';

/** A clip of the speaker: the whole 8 kHz signal and its labels (null: unknown). */
export interface PersonalClip extends Labels {
  signal: Float32Array;
}

export interface FineTuneInput {
  config: CnnConfig;
  /** The base weights in LayersModel order (model.getWeights() values); not changed. */
  weights: readonly Float32Array[];
  /** The base model's loudness normalisation (its card's), or null. */
  normalisation: LoudnessNormalisation | null;
  clips: readonly PersonalClip[];
  /**
   * The clips' window pool when the caller built it (windowPoolFor: calibrate.ts builds one
   * for all its runs); absent: built here when the recipe has one.
   */
  pool?: WindowPool;
}

export interface FineTuneProgress {
  step: number;
  steps: number;
  /** The batch's masked MSE before this step (without the L2-SP term). */
  loss: number;
}

export interface FineTuneHooks {
  onProgress?: (p: FineTuneProgress) => void;
  /** Aborting stops before the next step; fineTune then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface FineTuneResult {
  /** The personal weights, LayersModel order (fresh arrays). */
  weights: Float32Array[];
  /** Each step's batch loss. */
  losses: number[];
  /** What was subtracted from each output (valence, then arousal); null when the rule had no clip to use. */
  offset: number[] | null;
  /** Each output's spread factor about its mean reading over the clips (recipe.scale); null when 1. */
  scale: number[] | null;
}

/** Forward passes at most this many windows at once. */
const PREDICT_BATCH = 16;

/** Batch targets [rows x outputs], NaN where a label is unknown (targets.ts). */
function targets(clips: readonly Labels[], outputs: number): Float32Array {
  const y = new Float32Array(clips.length * outputs);
  clips.forEach((c, i) => {
    y[i * outputs] = c.valence ?? NaN;
    if (outputs === 2) y[i * outputs + 1] = c.arousal ?? NaN;
  });
  return y;
}

function checkInput(input: FineTuneInput): void {
  if (input.clips.length === 0) throw new PersonalizeError('no clips to fine-tune on');
  input.clips.forEach((c, i) => {
    if (c.signal.length === 0) throw new PersonalizeError(`clip ${i} has an empty signal`);
  });
  if (!input.clips.some((c) => c.valence !== null || (outputCount(input.config) === 2 && c.arousal !== null))) {
    throw new PersonalizeError('no clip has a label the model predicts');
  }
}

/** Model outputs [clips x outputs] on the clips' report windows (what evaluate and analyze score). */
export function predictClips(input: Omit<FineTuneInput, 'weights'>, weights: readonly Float32Array[]): Float32Array {
  const { config } = input;
  const [h, w] = config.inputShape;
  const k = outputCount(config);
  const out = new Float32Array(input.clips.length * k);
  const { params, flipped } = uploadParams(paramShapes(config), weights);
  try {
    for (let start = 0; start < input.clips.length; start += PREDICT_BATCH) {
      const part = input.clips.slice(start, start + PREDICT_BATCH);
      const x = new Float32Array(part.length * h * w);
      part.forEach((c, j) => x.set(signalFeatures(c.signal, config.features, input.normalisation).data, j * h * w));
      const xt = tf.tensor4d(x, [part.length, h, w, 1]);
      const y = forward(config, params, xt);
      out.set(y.dataSync(), start * k);
      tf.dispose([xt, y]);
    }
  } finally {
    tf.dispose([...params, ...flipped.filter((f) => f !== undefined)]);
  }
  return out;
}

/**
 * The recipe's offset per output: the mean of prediction - label over the clips its rule
 * uses (neutral: valence label 0; mean: all), per output over its known labels; null when
 * no clip qualifies.
 */
export function baselineOffset(clips: readonly Labels[], predicted: Float32Array, outputs: number, rule: PersonalizeRecipe['offset']): number[] | null {
  if (rule === 'none') return null;
  const used = clips.map((c, i) => i).filter((i) => rule === 'mean' || clips[i].valence === 0);
  if (used.length === 0) return null;
  return Array.from({ length: outputs }, (_, d) => {
    const label = (i: number) => (d === 0 ? clips[i].valence : clips[i].arousal);
    const known = used.filter((i) => label(i) !== null);
    if (known.length === 0) return 0;
    return known.reduce((s, i) => s + predicted[i * outputs + d] - (label(i) ?? 0), 0) / known.length;
  });
}

const aborted = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('fine-tuning cancelled', 'AbortError');

/** The frozen blocks of a recipe (its layers' complement) and where its pooled windows enter the network. */
function frozenOf(config: CnnConfig, recipe: PersonalizeRecipe): { frozenBlocks: number; startBlock: number } {
  const blocks = config.channels.length;
  const frozenBlocks = recipe.layers === 'all' ? 0 : blocks + 1 - recipe.layers;
  return { frozenBlocks, startBlock: recipe.pool > 0 ? frozenBlocks : 0 };
}

/** How the recipe's windows are made from a clip (train-windows.ts). */
function planOf(input: FineTuneInput, recipe: PersonalizeRecipe): WindowPlan {
  const [h, w] = input.config.inputShape;
  return { augment: recipe.augment, normalisation: input.normalisation, features: input.config.features, specMask: null, inputShape: [h, w] };
}

/** The recipe's window pool for `input`'s clips (window-pool.ts), from its base weights. */
export function windowPoolFor(input: FineTuneInput, recipe: PersonalizeRecipe): WindowPool {
  const { config } = input;
  const [h, w] = config.inputShape;
  return buildWindowPool(config, input.weights, input.clips.map((c) => c.signal), planOf(input, recipe), recipe.pool, recipe.seed, frozenOf(config, recipe).startBlock);
}

/**
 * Lets the event loop run (a worker's cancel message, a page's paint) between steps. A
 * message to itself, not setTimeout(0): browsers clamp nested timeouts to 4 ms, which was
 * 4 ms of idle per step. The channel is closed by `close` (an open port keeps Node alive).
 */
function eventYielder(): { next: () => Promise<void>; close: () => void } {
  if (typeof MessageChannel === 'undefined') return { next: () => new Promise((resolve) => setTimeout(resolve, 0)), close: () => {} };
  const channel = new MessageChannel();
  let wake: (() => void) | null = null;
  channel.port1.onmessage = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  return {
    next: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        channel.port2.postMessage(null);
      }),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

/**
 * Fine-tunes `input.weights` on `input.clips` with `recipe`; the base weights are not
 * changed. Step s trains on positions s*B .. s*B+B-1 of a stream of shuffled passes over
 * the clips, each window augmented from its own seed (as npm run train does).
 */
export async function fineTune(input: FineTuneInput, recipe: PersonalizeRecipe = DEFAULT_PERSONALIZE, hooks: FineTuneHooks = {}): Promise<FineTuneResult> {
  const { config, clips } = input;
  const blocks = config.channels.length;
  validateRecipe(recipe, blocks);
  checkInput(input);
  const outputs = outputCount(config);
  const [h, w] = config.inputShape;
  const per = h * w;
  // Frozen blocks need no backward pass: the step then costs only the trained layers'. With
  // a pool, their forward pass is done once per pooled window too (window-pool.ts).
  const { frozenBlocks, startBlock } = frozenOf(config, recipe);
  const trainer = new Trainer(config, { weights: input.weights, lr: recipe.lr, grad: { frozenBlocks, startBlock } });
  const base = trainer.params.map((p) => p.slice());
  const trainable = trainableTensors(recipe.layers, blocks);
  const plan = planOf(input, recipe);
  const orders = new Map<number, number[]>();
  const orderOf = (pass: number) => {
    let o = orders.get(pass);
    if (!o) {
      o = shuffled(clips.map((_, i) => i), createRng(deriveSeed(recipe.seed, pass)));
      orders.set(pass, o);
    }
    return o;
  };
  const pool = recipe.pool > 0 ? (input.pool ?? windowPoolFor(input, recipe)) : null;
  if (pool && pool.rows.length !== clips.length) throw new PersonalizeError(`the window pool holds ${pool.rows.length} clips, not ${clips.length}`);
  const shape = pool ? pool.shape : ([h, w, 1] as const);
  const size = shape[0] * shape[1] * shape[2];
  const losses: number[] = [];
  const yielder = eventYielder();
  try {
    for (let s = 0; s < recipe.steps; s++) {
      if (hooks.signal?.aborted) throw aborted(hooks.signal);
      const x = new Float32Array(recipe.batchSize * size);
      const rows: Labels[] = [];
      for (let j = 0; j < recipe.batchSize; j++) {
        const position = s * recipe.batchSize + j;
        const pass = Math.floor(position / clips.length);
        const at = position % clips.length;
        const index = orderOf(pass)[at];
        const clip = clips[index];
        // Pass k over the clips takes each clip's variant k mod P.
        if (pool) x.set(pool.rows[index][pass % recipe.pool], j * size);
        else buildWindow({ signal: clip.signal }, plan, windowSeed(recipe.seed, pass, at), x.subarray(j * per, (j + 1) * per));
        rows.push(clip);
      }
      const xt = tf.tensor4d(x, [recipe.batchSize, ...shape]);
      const yv = targets(rows, outputs);
      const yt = outputs === 1 ? tf.tensor1d(yv) : tf.tensor2d(yv, [recipe.batchSize, outputs]);
      let r: ReturnType<Trainer['gradients']>;
      try {
        r = trainer.gradients(xt, yt);
      } finally {
        tf.dispose([xt, yt]);
      }
      addL2spGradient(r.grads, trainer.params, base, recipe.l2sp, trainable);
      trainer.adam.update(trainer.params, r.grads);
      losses.push(r.loss);
      hooks.onProgress?.({ step: s + 1, steps: recipe.steps, loss: r.loss });
      await yielder.next();
    }
  } finally {
    yielder.close();
  }
  if (hooks.signal?.aborted) throw aborted(hooks.signal);
  const weights = trainer.params.map((p) => p.slice());
  const predicted = recipe.offset === 'none' && recipe.scale === 1 ? new Float32Array(0) : predictClips(input, weights);
  const offset = baselineOffset(clips, predicted, outputs, recipe.offset);
  if (offset) {
    const bias = weights[weights.length - 1];
    offset.forEach((o, d) => (bias[d] -= o));
  }
  const spread = recipe.scale === 1 ? null : spreadScale(clips, predicted, outputs, recipe.scale);
  if (spread) foldSpread(weights, spread.scale, spread.centre.map((c, d) => c - (offset?.[d] ?? 0)));
  return { weights, losses, offset, scale: spread?.scale ?? null };
}
