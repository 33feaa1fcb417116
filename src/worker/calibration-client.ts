// Page side of the calibration workers: the k + 1 fine-tunes of a calibration are
// independent, so they are dealt to parallel workers (calibrationWorkers: one per core
// the wasm threads leave free), each started for its share and ended after it (its TF.js
// backend and the clips' memory go with it), so nothing of a calibration stays in the
// page between runs. The report is put together here from every worker's readings and
// sent to the worker that trained the personal model, which answers with its folder.
import type { PersonalOrigin } from '../calibration/personal-card.ts';
import { wasmThreadPlan } from '../model/wasm-threads.ts';
import { calibrationReport, dealRuns, type CalibrationReadings, type CalibrationReport } from '../training/personalize/calibration-report.ts';
import type { PersonalizeRecipe } from '../training/personalize/recipe.ts';
import type { CalibrationClip, CalibrationDoneMessage, CalibrationMessage, CalibrationReadingsMessage, CalibrateCommand } from './calibration-protocol.ts';
import type { ModelFilesPayload } from './protocol.ts';

export interface CalibrationJob {
  base: ModelFilesPayload;
  clips: CalibrationClip[];
  recipe: PersonalizeRecipe;
  folds: number;
  origin: PersonalOrigin;
}

/** Where a calibration stands, over all its workers. */
export interface CalibrationStatus {
  /** Steps done over every run, of `total`. */
  done: number;
  total: number;
  /** Fine-tunes finished, of `runs` (folds + 1). */
  runsDone: number;
  runs: number;
  /** Workers running at once. */
  workers: number;
}

/** The personal model's folder parts and its honest score. */
export interface CalibrationFinished {
  modelJson: Record<string, unknown>;
  weights: ArrayBuffer;
  safetensors: ArrayBuffer;
  report: CalibrationReport;
  /** Seconds from start to the model folder. */
  seconds: number;
  /** The TF.js backend with its threads, and how many workers ran ("wasm, 1 thread, 2 workers"). */
  backend: string;
}

/** A calibration that was cancelled (not a failure to report as one). */
export class CalibrationCancelled extends Error {
  override name = 'CalibrationCancelled';
}

/**
 * Workers for `runs` fine-tunes on a machine with `cores`: each worker's wasm takes the
 * threads the analysis worker would (wasmThreadPlan) where the page is isolated, one
 * otherwise, and the workers together take every core, one run each at most.
 */
export function calibrationWorkers(cores: number | undefined, isolated: boolean, runs: number): number {
  const n = typeof cores === 'number' && Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 1;
  const perWorker = isolated ? wasmThreadPlan(n).threads : 1;
  return Math.max(1, Math.min(runs, Math.floor(n / perWorker)));
}

type Reply<T extends CalibrationMessage['type']> = Extract<CalibrationMessage, { type: T }>;

export class CalibrationRun {
  private readonly workers: Worker[] = [];
  readonly done: Promise<CalibrationFinished>;

  /** Starts the workers on `job` (each gets its own copies of the weights and clips). */
  constructor(job: CalibrationJob, onProgress: (s: CalibrationStatus) => void, cores = navigator.hardwareConcurrency, isolated = globalThis.crossOriginIsolated === true) {
    const started = performance.now();
    const runs = job.folds + 1;
    const shares = dealRuns(job.folds, calibrationWorkers(cores, isolated, runs));
    const progress = shares.map(() => ({ done: 0, runsDone: 0 }));
    const report = () =>
      onProgress({
        done: progress.reduce((a, p) => a + p.done, 0),
        total: runs * job.recipe.steps,
        runsDone: progress.reduce((a, p) => a + p.runsDone, 0),
        runs,
        workers: shares.length,
      });
    const replies = shares.map((share, w) => {
      const worker = new Worker(new URL('./calibration.worker.ts', import.meta.url), { type: 'module', name: 'calibration' });
      this.workers.push(worker);
      const wait = <T extends CalibrationMessage['type']>(type: T) =>
        new Promise<Reply<T>>((resolve, reject) => {
          worker.addEventListener('message', (event: MessageEvent<CalibrationMessage>) => {
            const m = event.data;
            if (m.type === type) resolve(m as Reply<T>);
            else if (m.type === 'failed') reject(m.cancelled ? new CalibrationCancelled(m.message) : new Error(m.message));
          });
          worker.addEventListener('error', (event) => reject(new Error(`a calibration worker failed: ${event.message || 'unknown error'}`)));
        });
      worker.addEventListener('message', (event: MessageEvent<CalibrationMessage>) => {
        const m = event.data;
        if (m.type !== 'progress') return;
        progress[w] = { done: m.progress.done, runsDone: Math.floor(m.progress.done / m.progress.steps) };
        report();
      });
      const cmd: CalibrateCommand = {
        type: 'calibrate',
        id: 1,
        base: { ...job.base, weights: job.base.weights.slice(0) },
        clips: job.clips.map((c) => ({ ...c, samples: c.samples.slice() })),
        recipe: job.recipe,
        folds: job.folds,
        runs: share,
        before: w === 0,
        origin: job.origin,
      };
      const readings = wait('readings');
      const done = share.includes(runs) ? wait('done') : null;
      // Awaited only once the readings are in: a failure before that is the readings' to report.
      done?.catch(() => {});
      worker.postMessage(cmd, [cmd.base.weights, ...cmd.clips.map((c) => c.samples.buffer)]);
      return { worker, readings, done };
    });
    this.done = this.finish(job, replies, started).finally(() => this.workers.forEach((w) => w.terminate()));
  }

  private async finish(
    job: CalibrationJob,
    replies: { worker: Worker; readings: Promise<CalibrationReadingsMessage>; done: Promise<CalibrationDoneMessage> | null }[],
    started: number,
  ): Promise<CalibrationFinished> {
    // Every reply is awaited at once, so the first failure (or cancel) rejects straight away.
    const all = await Promise.all(replies.map((r) => r.readings));
    // Only the personal model's worker has more to do.
    replies.filter((r) => !r.done).forEach((r) => r.worker.terminate());
    const readings: CalibrationReadings[] = all.map((m) => m.readings);
    const before = readings.find((r) => r.before)?.before;
    const outputs = before ? before.length / job.clips.length : 1;
    const report = calibrationReport(job.clips, outputs, job.folds, readings);
    const owner = replies.find((r) => r.done)!;
    owner.worker.postMessage({ type: 'finish', id: 1, report });
    const done = await owner.done!;
    const n = replies.length;
    return {
      modelJson: done.modelJson,
      weights: done.weights,
      safetensors: done.safetensors,
      report,
      seconds: (performance.now() - started) / 1000,
      backend: `${all[0].backend}, ${n} worker${n === 1 ? '' : 's'}`,
    };
  }

  /** Asks the workers to stop before their next step; `done` then rejects with CalibrationCancelled. */
  cancel(): void {
    for (const w of this.workers) w.postMessage({ type: 'cancel', id: 1 });
  }
}
