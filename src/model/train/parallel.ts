// Data-parallel training step: TF.js's wasm backend runs on one thread in Node, so each
// core gets a worker thread with its own wasm instance (grad-worker.ts). A batch is split
// into shards, one per worker; the gradients are summed and one Adam update (adam.ts) is
// applied on the main thread, so the result equals the single-thread step up to float
// rounding. The main thread only coordinates: measured on the 2-core machine, its own
// shard ran ~60% slower than a worker's while a worker ran beside it (two workers: no
// slowdown), which made main + 1 worker slower than 2 workers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { CnnConfig } from '../config.ts';
import { Trainer, type TrainerOptions } from './train-step.ts';

export type WorkerRequest =
  | {
      type: 'grads';
      id: number;
      params: Float32Array[];
      x: Float32Array;
      xShape: [number, number, number, number];
      y: Float32Array;
      batchTotal: number;
    }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'grads'; id: number; loss: number; grads: Float32Array[] }
  | { type: 'error'; id: number; message: string; stack: string };

export interface ParallelOptions extends TrainerOptions {
  /** Worker threads computing gradients (default 2: this machine's cores). */
  threads?: number;
}

interface Pending {
  resolve: (r: { loss: number; grads: Float32Array[] }) => void;
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
 * Starts grad-worker next to this file. When that is TypeScript (run through tsx or
 * vitest), the worker first registers tsx's loader itself: Node does not apply the main
 * thread's loader hooks, nor an inherited --import, to a worker's TypeScript entry.
 */
function startWorker(config: CnnConfig): Worker {
  const entry = new URL('./grad-worker.ts', import.meta.url);
  const tsxApi = tsxEsmApiUrl();
  const boot = `import(${JSON.stringify(tsxApi)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: { config }, execArgv: [] });
}

/** One gradient worker: request / reply with ids, every failure rejects what is pending. */
class GradWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  private exited = false;
  readonly ready: Promise<void>;

  constructor(config: CnnConfig) {
    this.worker = startWorker(config);
    this.ready = new Promise<void>((resolve, reject) => {
      this.pending.set(-1, { resolve: () => resolve(), reject });
    });
    this.worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'ready') {
        this.settle(-1)?.resolve({ loss: 0, grads: [] });
      } else if (msg.type === 'grads') {
        this.settle(msg.id)?.resolve({ loss: msg.loss, grads: msg.grads });
      } else {
        const err = new Error(`gradient worker: ${msg.message}`);
        err.stack = `${err.message}\n(worker) ${msg.stack}`;
        if (msg.id === -1) this.fail(err);
        else this.settle(msg.id)?.reject(err);
      }
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

  gradients(params: Float32Array[], x: Float32Array, xShape: [number, number, number, number], y: Float32Array, batchTotal: number) {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const done = new Promise<{ loss: number; grads: Float32Array[] }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
    });
    const msg: WorkerRequest = { type: 'grads', id, params, x, xShape, y, batchTotal };
    this.worker.postMessage(msg);
    return done;
  }

  /** Asks the worker to finish; terminates it if it has not exited after timeoutMs. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    if ((await Promise.race([exited, timeout])) === 'timeout') await this.worker.terminate();
    clearTimeout(timer);
  }
}

/** Shard sizes: n split into at most `parts` nearly equal non-empty pieces. */
export function shardSizes(n: number, parts: number): number[] {
  const k = Math.max(1, Math.min(parts, n));
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/**
 * The trainer of train-step.ts (parameters, Adam) plus gradient workers. Use
 * `await ParallelTrainer.create()`, then `await step(x, y)` per batch and `await close()`
 * at the end. x and y may live on any backend (their values are read and sent).
 */
export class ParallelTrainer {
  readonly trainer: Trainer;
  private readonly workers: GradWorker[];
  private closed = false;

  private constructor(trainer: Trainer, workers: GradWorker[]) {
    this.trainer = trainer;
    this.workers = workers;
  }

  static async create(config: CnnConfig, options: ParallelOptions = {}): Promise<ParallelTrainer> {
    const threads = options.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number >= 1, got ${threads}`);
    const trainer = new Trainer(config, options);
    const workers = Array.from({ length: threads }, () => new GradWorker(config));
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

  /** One Adam step on the batch (x [N, H, W, 1], y [N]); returns the batch's MSE before it. */
  async step(x: tf.Tensor4D, y: tf.Tensor): Promise<number> {
    if (this.closed) throw new Error('ParallelTrainer is closed');
    const n = x.shape[0];
    if (y.size !== n) throw new Error(`expected ${n} targets, got ${y.size}`);
    const sizes = shardSizes(n, this.workers.length);
    const [, h, w, c] = x.shape;
    const per = h * w * c;
    const xs = x.dataSync() as Float32Array;
    const ys = y.dataSync() as Float32Array;
    let offset = 0;
    const results = await Promise.all(
      sizes.map((m, i) => {
        const from = offset;
        offset += m;
        const xShard = xs.slice(from * per, (from + m) * per);
        return this.workers[i].gradients(this.trainer.params, xShard, [m, h, w, c], ys.slice(from, from + m), n);
      }),
    );
    let loss = results[0].loss;
    const grads = results[0].grads;
    for (const r of results.slice(1)) {
      loss += r.loss;
      r.grads.forEach((g, i) => {
        const sum = grads[i];
        for (let j = 0; j < g.length; j++) sum[j] += g[j];
      });
    }
    this.trainer.adam.update(this.trainer.params, grads);
    return loss;
  }

  /** Ends the workers (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
