// Data-parallel training step: TF.js's wasm backend runs on one thread in Node, so each
// core gets a worker thread with its own wasm instance (grad-worker.ts). Parameters, Adam's
// moments and one gradient buffer per worker live on SharedArrayBuffers, so only the batch
// and a few numbers cross threads. A step has two phases:
//   1. 'grads': each worker computes its shard's gradients into its own buffer;
//   2. 'adam':  each worker sums the buffers over its slice of the flat parameter vector and
//      runs Adam on it (adam.ts), in place.
// The result equals the single-thread step up to the gradients' float rounding. The main
// thread only coordinates: measured on the 2-core machine, its own shard ran ~60% slower
// than a worker's while a worker ran beside it, which made main + 1 worker slower than 2.
// The workers also build augmented batches (stepWindows: each its shard's rows, from
// signals shared once) and run the forward pass of validation (predict), so neither waits
// on the main thread.
import type * as tf from '@tensorflow/tfjs';
import { outputCount, type CnnConfig } from '../config.ts';
import type { PartnerRow, WindowRows, WorkerReply, WorkerWindows } from './protocol.ts';
import { countKnown, readTargets } from './targets.ts';
import { Trainer, type FlatState, type TrainerOptions, type TrainerState } from './train-step.ts';
import { GradWorker } from './worker-client.ts';

export interface ParallelOptions extends Omit<TrainerOptions, 'sharedMemory'> {
  /** Worker threads computing gradients (default 2: this machine's cores). */
  threads?: number;
  /** Signals and window plan for stepWindows: the workers build their shards' rows themselves. */
  windows?: WorkerWindows;
}

/** A row of a batch the workers build: a signal of the shared pack and its window seed; mix: a mixup partner (train-windows.ts). */
export interface WindowRow {
  signal: number;
  seed: number;
  mix?: PartnerRow;
}

/** Shard sizes: n split into at most `parts` nearly equal non-empty pieces. */
export function shardSizes(n: number, parts: number): number[] {
  const k = Math.max(1, Math.min(parts, n));
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/**
 * The trainer of train-step.ts (parameters, Adam state) on shared memory, plus gradient
 * workers. Use `await ParallelTrainer.create()`, then `await step(x, y)` per batch and
 * `await close()` at the end. x and y may live on any backend (their values are read and
 * sent). A worker that crashes rejects the step with its message, and every later step;
 * an error inside a worker's gradient computation (e.g. a wrong input shape) rejects that
 * step only and changes nothing.
 */
export class ParallelTrainer {
  readonly trainer: Trainer;
  private readonly workers: GradWorker[];
  private closed = false;
  /** A step or prediction is in flight: both use the shared buffers, so they must not overlap. */
  private busy = false;
  /** Set when an Adam phase failed part-way: the parameters may be half updated. */
  private broken: Error | null = null;

  private constructor(
    trainer: Trainer,
    workers: GradWorker[],
    private readonly hasWindows: boolean,
  ) {
    this.trainer = trainer;
    this.workers = workers;
  }

  static async create(config: CnnConfig, options: ParallelOptions = {}): Promise<ParallelTrainer> {
    const threads = options.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number >= 1, got ${threads}`);
    const { windows, ...trainerOptions } = options;
    const trainer = new Trainer(config, { ...trainerOptions, sharedMemory: true });
    const flat: FlatState = trainer.flat;
    const grads = Array.from({ length: threads }, () => new Float32Array(new SharedArrayBuffer(flat.params.byteLength)));
    const workers = grads.map(
      (_, index) =>
        new GradWorker({ config, grad: trainer.grad, params: flat.params, m: flat.m, v: flat.v, grads, index, ...(windows ? { windows } : {}) }),
    );
    const t = new ParallelTrainer(trainer, workers, !!windows);
    try {
      await Promise.all(workers.map((w) => w.ready));
    } catch (e) {
      await t.close();
      throw e;
    }
    return t;
  }

  get params(): Float32Array[] {
    return this.trainer.params;
  }

  /** New tensors of the current weights, for model.setWeights; the caller disposes them. */
  weightTensors(): tf.Tensor[] {
    return this.trainer.weightTensors();
  }

  /** Replaces the weights (e.g. model.getWeights()); Adam's state is kept. */
  setWeights(weights: readonly (Float32Array | tf.Tensor)[]): void {
    this.usable();
    this.trainer.setWeights(weights);
  }

  /** Copies of the parameters, Adam's moments and step count (see Trainer.state). */
  state(): TrainerState {
    if (this.busy) throw new Error('ParallelTrainer: state() during a step (await the step first)');
    return this.trainer.state();
  }

  private usable(): void {
    if (this.closed) throw new Error('ParallelTrainer is closed');
    if (this.broken) throw new Error(`ParallelTrainer is unusable after a failed update: ${this.broken.message}`);
    if (this.busy) throw new Error('ParallelTrainer: the previous step has not finished (await it first)');
  }

  /**
   * One Adam step on the batch (x [N, H, W, 1], y [N, K] or [N], NaN = unknown); returns the
   * batch's masked MSE before it. As Trainer.step: a batch without a known label is a step
   * with zero gradients.
   */
  async step(x: tf.Tensor4D, y: tf.Tensor): Promise<number> {
    return this.exclusive(() => {
      const n = x.shape[0];
      const [, h, w, c] = x.shape;
      const per = h * w * c;
      const k = outputCount(this.trainer.config);
      // Shape errors are thrown before any work.
      const targets = readTargets(y, n, k);
      const xs = x.dataSync() as Float32Array;
      return this.runStep(n, targets.values, (from, m) => xs.slice(from * per, (from + m) * per), [h, w, c]);
    });
  }

  /**
   * One Adam step on a batch whose rows the workers build (each its shard's) from the
   * signals given at create (options.windows); y: [rows.length, K] row-major, NaN = unknown.
   * Equals step() on the batch built on this thread with the same seeds (train-windows.ts).
   */
  async stepWindows(rows: readonly WindowRow[], y: Float32Array): Promise<number> {
    return this.exclusive(() => {
      if (!this.hasWindows) throw new Error('ParallelTrainer: stepWindows needs options.windows at create');
      const k = outputCount(this.trainer.config);
      if (y.length !== rows.length * k) throw new Error(`expected ${rows.length * k} targets (${rows.length} rows x ${k}), got ${y.length}`);
      const [h, w] = this.trainer.config.inputShape;
      const shard = (from: number, m: number): WindowRows => {
        const part = rows.slice(from, from + m);
        const shardRows: WindowRows = { signals: part.map((r) => r.signal), seeds: part.map((r) => r.seed) };
        if (part.some((r) => r.mix)) shardRows.mixes = part.map((r) => r.mix ?? null);
        return shardRows;
      };
      return this.runStep(rows.length, y, shard, [h, w, 1]);
    });
  }

  /**
   * The model's outputs [n, K] (row-major) for n inputs x (row-major [n, H, W]) with the
   * current parameters, the rows split between the workers; the same forward as the step's.
   * x on a SharedArrayBuffer is read in place, other arrays are copied to the workers.
   */
  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    return this.exclusive(async () => {
      const [h, w] = this.trainer.config.inputShape;
      const per = h * w;
      if (x.length !== n * per) throw new Error(`predict: ${x.length} values are not ${n} inputs of ${h} x ${w}`);
      const k = outputCount(this.trainer.config);
      const out = new Float32Array(n * k);
      let from = 0;
      await Promise.all(
        shardSizes(n, this.workers.length).map(async (m, i) => {
          const at = from;
          from += m;
          const r = await this.workers[i].request({ type: 'forward', x: x.subarray(at * per, (at + m) * per), rows: m });
          if (r.type === 'forward') out.set(r.y, at * k);
        }),
      );
      return out;
    });
  }

  /** Runs `fn` as the only operation on the shared buffers (steps and predictions must not overlap). */
  private async exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    this.usable();
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private async runStep(
    n: number,
    ys: Float32Array,
    shardX: (from: number, m: number) => Float32Array | WindowRows,
    [h, w, c]: [number, number, number],
  ): Promise<number> {
    const k = outputCount(this.trainer.config);
    // The known labels are counted over the whole batch: each shard's loss and gradients are
    // its share of the batch's mean, so they add up to it.
    const labelTotal = countKnown(ys);
    const sizes = shardSizes(n, this.workers.length);
    let offset = 0;
    // Phase 1: gradients. Workers without a shard (n < threads) leave stale values in their
    // buffer, so only the first sizes.length buffers are summed.
    const replies: WorkerReply[] = await Promise.all(
      sizes.map((m, i) => {
        const from = offset;
        offset += m;
        const yShard = ys.slice(from * k, (from + m) * k);
        return this.workers[i].request({ type: 'grads', x: shardX(from, m), xShape: [m, h, w, c], y: yShard, labelTotal });
      }),
    );
    let loss = 0;
    for (const r of replies) if (r.type === 'grads') loss += r.loss;
    // Phase 2: Adam, each worker on a contiguous slice of the flat parameters.
    const adam = this.trainer.adam;
    const step = adam.step + 1;
    const total = this.trainer.flat.params.length;
    const parts = shardSizes(total, this.workers.length);
    let from = 0;
    try {
      await Promise.all(
        parts.map((m, i) => {
          const to = from + m;
          const r = this.workers[i].request({ type: 'adam', step, from, to, options: adam.options, workers: sizes.length });
          from = to;
          return r;
        }),
      );
    } catch (e) {
      this.broken = e instanceof Error ? e : new Error(String(e));
      throw e;
    }
    adam.step = step;
    return loss;
  }

  /** Simulates a crash of worker i (for tests): it exits with `code`. */
  crashWorkerForTest(i: number, code = 1): void {
    this.workers[i].crash(code);
  }

  /** Terminates the workers (idempotent; also after a crash or a failed start). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
