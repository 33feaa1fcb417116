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
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import { outputCount, type CnnConfig } from '../config.ts';
import type { AdamOptions } from './adam.ts';
import { readTargets } from './targets.ts';
import { Trainer, type FlatState, type GradOptions, type TrainerOptions, type TrainerState } from './train-step.ts';

/** What a worker gets at start (workerData). */
export interface WorkerInit {
  config: CnnConfig;
  grad: GradOptions;
  /** Shared with the main thread and the other workers. */
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  /** Every worker's gradient buffer (flat, parameter order); this worker writes grads[index]. */
  grads: Float32Array[];
  index: number;
}

export type WorkerRequest =
  /** y: the shard's targets, row-major [rows, outputs], NaN = unknown; labelTotal: the whole batch's known labels. */
  | { type: 'grads'; id: number; x: Float32Array; xShape: [number, number, number, number]; y: Float32Array; labelTotal: number }
  | { type: 'adam'; id: number; step: number; from: number; to: number; options: AdamOptions; workers: number }
  /** Ends the thread at once with this exit code (tests use it to simulate a crash). */
  | { type: 'exit'; code: number };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'grads'; id: number; loss: number }
  | { type: 'adam'; id: number }
  | { type: 'error'; id: number; message: string; stack: string };

export interface ParallelOptions extends Omit<TrainerOptions, 'sharedMemory'> {
  /** Worker threads computing gradients (default 2: this machine's cores). */
  threads?: number;
}

interface Pending {
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
}

/** URL of tsx's ESM register API (its package exports' "./esm/api" import entry). */
function tsxEsmApiUrl(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const rel = pkg.exports['./esm/api']?.import?.default;
  if (!rel) throw new Error('cannot find tsx/esm/api (tsx is needed to run the TypeScript gradient worker)');
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

/**
 * Starts grad-worker.ts (next to this file) in a worker thread. It always runs from the
 * TypeScript source (the trainer runs through tsx or vitest; nothing builds it to
 * JavaScript), so the worker first registers tsx's loader itself: Node does not apply the
 * main thread's loader hooks, nor an inherited --import, to a worker's TypeScript entry.
 */
function startWorker(init: WorkerInit): Worker {
  const entry = new URL('./grad-worker.ts', import.meta.url);
  const tsxApi = tsxEsmApiUrl();
  const boot = `import(${JSON.stringify(tsxApi)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: init, execArgv: [] });
}

/** One gradient worker: request / reply with ids; any failure rejects what is pending. */
class GradWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Set once the thread has died or failed to start: every later request rejects with it. */
  private failure: Error | null = null;
  private exited = false;
  readonly ready: Promise<void>;

  constructor(init: WorkerInit) {
    this.worker = startWorker(init);
    this.ready = new Promise<void>((resolve, reject) => {
      this.pending.set(-1, { resolve: () => resolve(), reject });
    });
    this.worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'ready') this.settle(-1)?.resolve(msg);
      else if (msg.type === 'error') {
        const err = new Error(`gradient worker: ${msg.message}`);
        err.stack = `${err.message}\n(worker) ${msg.stack}`;
        if (msg.id === -1) this.fail(err);
        else this.settle(msg.id)?.reject(err);
      } else this.settle(msg.id)?.resolve(msg);
    });
    this.worker.on('error', (e: Error) => this.fail(new Error(`gradient worker crashed: ${e.message}`)));
    this.worker.on('exit', (code: number) => {
      this.exited = true;
      this.fail(new Error(`gradient worker exited (code ${code})`));
    });
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Sends a request (id filled in) and resolves with the reply to it. */
  request(msg: DistributiveOmit<Exclude<WorkerRequest, { type: 'exit' }>, 'id'>): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const done = new Promise<WorkerReply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ ...msg, id } as WorkerRequest);
    return done;
  }

  /** Ends the thread abruptly, as a crash would. */
  crash(code: number): void {
    this.worker.postMessage({ type: 'exit', code } satisfies WorkerRequest);
  }

  /** Terminates the thread (idempotent); pending requests reject. */
  async terminate(): Promise<void> {
    this.failure ??= new Error('ParallelTrainer is closed');
    if (!this.exited) await this.worker.terminate();
    this.fail(this.failure);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

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
  /** A step is in flight: its two phases use the shared buffers, so steps must not overlap. */
  private busy = false;
  /** Set when an Adam phase failed part-way: the parameters may be half updated. */
  private broken: Error | null = null;

  private constructor(trainer: Trainer, workers: GradWorker[]) {
    this.trainer = trainer;
    this.workers = workers;
  }

  static async create(config: CnnConfig, options: ParallelOptions = {}): Promise<ParallelTrainer> {
    const threads = options.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number >= 1, got ${threads}`);
    const trainer = new Trainer(config, { ...options, sharedMemory: true });
    const flat: FlatState = trainer.flat;
    const grads = Array.from({ length: threads }, () => new Float32Array(new SharedArrayBuffer(flat.params.byteLength)));
    const workers = grads.map(
      (_, index) => new GradWorker({ config, grad: trainer.grad, params: flat.params, m: flat.m, v: flat.v, grads, index }),
    );
    const t = new ParallelTrainer(trainer, workers);
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
    this.usable();
    this.busy = true;
    try {
      return await this.runStep(x, y);
    } finally {
      this.busy = false;
    }
  }

  private async runStep(x: tf.Tensor4D, y: tf.Tensor): Promise<number> {
    const n = x.shape[0];
    const k = outputCount(this.trainer.config);
    // The known labels are counted over the whole batch: each shard's loss and gradients are
    // its share of the batch's mean, so they add up to it.
    const targets = readTargets(y, n, k);
    const sizes = shardSizes(n, this.workers.length);
    const [, h, w, c] = x.shape;
    const per = h * w * c;
    const xs = x.dataSync() as Float32Array;
    const ys = targets.values;
    let offset = 0;
    // Phase 1: gradients. Workers without a shard (n < threads) leave stale values in their
    // buffer, so only the first sizes.length buffers are summed.
    const replies = await Promise.all(
      sizes.map((m, i) => {
        const from = offset;
        offset += m;
        const xShard = xs.slice(from * per, (from + m) * per);
        const yShard = ys.slice(from * k, (from + m) * k);
        return this.workers[i].request({ type: 'grads', x: xShard, xShape: [m, h, w, c], y: yShard, labelTotal: targets.known });
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
