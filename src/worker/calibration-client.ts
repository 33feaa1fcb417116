// Page side of the calibration worker: one worker per calibration, started for it and
// ended after it (its TF.js backend and the clips' memory go with it), so nothing of a
// calibration stays in the page between runs.
import type { PersonalOrigin } from '../calibration/personal-card.ts';
import type { CalibrationClip, CalibrationDoneMessage, CalibrationMessage } from './calibration-protocol.ts';
import type { CalibrationProgress } from '../training/personalize/calibrate.ts';
import type { PersonalizeRecipe } from '../training/personalize/recipe.ts';
import type { ModelFilesPayload } from './protocol.ts';

export interface CalibrationJob {
  base: ModelFilesPayload;
  clips: CalibrationClip[];
  recipe: PersonalizeRecipe;
  folds: number;
  origin: PersonalOrigin;
}

/** A calibration that was cancelled (not a failure to report as one). */
export class CalibrationCancelled extends Error {
  override name = 'CalibrationCancelled';
}

export class CalibrationRun {
  private readonly worker: Worker;
  readonly done: Promise<CalibrationDoneMessage>;

  /** Starts the worker on `job` (its weights buffer and clips' buffers are transferred). */
  constructor(job: CalibrationJob, onProgress: (p: CalibrationProgress) => void) {
    this.worker = new Worker(new URL('./calibration.worker.ts', import.meta.url), { type: 'module', name: 'calibration' });
    this.done = new Promise<CalibrationDoneMessage>((resolve, reject) => {
      this.worker.addEventListener('message', (event: MessageEvent<CalibrationMessage>) => {
        const m = event.data;
        if (m.type === 'progress') onProgress(m.progress);
        else if (m.type === 'done') resolve(m);
        else reject(m.cancelled ? new CalibrationCancelled(m.message) : new Error(m.message));
      });
      this.worker.addEventListener('error', (event) => reject(new Error(`the calibration worker failed: ${event.message || 'unknown error'}`)));
    }).finally(() => this.worker.terminate());
    const transfer = [job.base.weights, ...job.clips.map((c) => c.samples.buffer)];
    this.worker.postMessage({ type: 'calibrate', id: 1, ...job }, transfer);
  }

  /** Asks the worker to stop before its next step; `done` then rejects with CalibrationCancelled. */
  cancel(): void {
    this.worker.postMessage({ type: 'cancel', id: 1 });
  }
}
