// A fine-tune's window pool: each clip's windows augmented once (P variants, each from its
// own seed, as training draws them) and carried through the frozen convolution blocks once,
// so a step of the last layers costs only their forward and backward pass instead of a
// new window, its Mel features and the whole network. A fine-tune of a few hundred steps
// over a dozen clips then costs seconds; the price is P fixed variants per clip instead of
// a new one at every step (models/README-personalize.md measures both).
import * as tf from '@tensorflow/tfjs';
import type { CnnConfig } from '../../model/config.ts';
import { paramShapes } from '../../model/train/params.ts';
import { blockOutputs, uploadParams } from '../../model/train/train-step.ts';
import { buildWindow, windowSeed, type WindowPlan } from '../train-windows.ts';

/** Windows through the frozen blocks are computed this many at a time. */
const BATCH = 16;

/** The pool: rows[clip][variant] is the input of block `startBlock` for that window, `shape` its [H, W, C]. */
export interface WindowPool {
  rows: Float32Array[][];
  shape: [number, number, number];
}

/**
 * Each of `signals`' P windows (variant v of clip c from seed windowSeed(seed, v, c)) as the
 * input of block `startBlock` of the model with `weights` (0: the window's features).
 */
export function buildWindowPool(
  config: CnnConfig,
  weights: readonly Float32Array[],
  signals: readonly Float32Array[],
  plan: WindowPlan,
  variants: number,
  seed: number,
  startBlock: number,
): WindowPool {
  const [h, w] = config.inputShape;
  const per = h * w;
  const jobs = signals.flatMap((_, c) => Array.from({ length: variants }, (_, v) => ({ c, v })));
  const rows: Float32Array[][] = signals.map(() => []);
  let shape: [number, number, number] = [h, w, 1];
  const { params, flipped } = startBlock > 0 ? uploadParams(paramShapes(config), weights) : { params: [], flipped: [] };
  try {
    for (let at = 0; at < jobs.length; at += BATCH) {
      const part = jobs.slice(at, at + BATCH);
      const x = new Float32Array(part.length * per);
      part.forEach(({ c, v }, j) => buildWindow({ signal: signals[c] }, plan, windowSeed(seed, v, c), x.subarray(j * per, (j + 1) * per)));
      let values: Float32Array = x;
      if (startBlock > 0) {
        const xt = tf.tensor4d(x, [part.length, h, w, 1]);
        const out = blockOutputs(config, params, xt, startBlock);
        shape = [out.shape[1], out.shape[2], out.shape[3]];
        values = out.dataSync() as Float32Array;
        tf.dispose([xt, out]);
      }
      const size = shape[0] * shape[1] * shape[2];
      part.forEach(({ c }, j) => rows[c].push(values.slice(j * size, (j + 1) * size)));
    }
  } finally {
    tf.dispose([...params, ...flipped.filter((f) => f !== undefined)]);
  }
  return { rows, shape };
}
