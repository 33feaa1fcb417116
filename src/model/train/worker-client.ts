// One gradient worker thread of the data-parallel trainer (parallel.ts), seen from the main
// thread: starting grad-worker.ts from its TypeScript source, requests matched to replies by
// id, and failure handling (a crash or exit rejects whatever is pending and every later
// request with its reason).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerInit, WorkerReply, WorkerRequest } from './protocol.ts';

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
 * tsx's register turns Node's source maps on; the worker then takes its parent's setting
 * back, so a parent that turned them off (to start faster: TF.js's maps are megabytes)
 * does not pay for them once per worker.
 */
function startWorker(init: WorkerInit): Worker {
  const entry = new URL('./grad-worker.ts', import.meta.url);
  const tsxApi = tsxEsmApiUrl();
  const boot = `import(${JSON.stringify(tsxApi)})
    .then((tsx) => { tsx.register(); process.setSourceMapsEnabled(${process.sourceMapsEnabled}); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: init, execArgv: [] });
}

/** One gradient worker: request / reply with ids; any failure rejects what is pending. */
export class GradWorker {
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
