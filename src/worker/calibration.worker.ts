// A calibration worker: fine-tunes its share of a personal model's runs from the user's
// labelled clips (issue 16 section 2) off the page's main thread and apart from the
// analysis worker, so the live monitor stays as it is while it runs. The page starts one
// per core it can use (calibration-client.ts) and deals them the runs; each starts TF.js's
// wasm backend (threads where the page is cross-origin isolated: the same set-up as the
// analysis worker's), builds the base model, resamples each clip with the pipeline's
// clipSignal and runs its share with calibrate.ts's calibrateRuns (the module evaluate
// --personalize measures), then sends what its runs read. The worker that trained the
// personal model waits for the page's report and answers with the model folder's parts.
// Progress at most ten times a second; a cancel message stops it before the next step.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { clipSignal } from '../dsp/pipeline.ts';
import { normalisationFromCard } from '../dsp/loudness.ts';
import type { ModelBundle } from '../model/artifacts.ts';
import { configureWasmPaths } from '../model/browser-backend.ts';
import { bundleFromFiles } from '../model/load-model-url.ts';
import { calibrateRuns } from '../training/personalize/calibrate.ts';
import type { FineTuneResult } from '../training/personalize/fine-tune.ts';
import { personalModelParts } from '../training/personalize/personal-model.ts';
import type { CalibrateCommand, CalibrationCommand, CalibrationMessage, FinishCalibrationCommand } from './calibration-protocol.ts';

interface WorkerScope {
  postMessage(message: CalibrationMessage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<CalibrationCommand>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
const post = (message: CalibrationMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

const jobs = new Map<number, AbortController>();
/** What the personal model's 'finish' needs, kept from its run. */
const awaiting = new Map<number, { cmd: CalibrateCommand; bundle: ModelBundle; personal: FineTuneResult }>();
const PROGRESS_MS = 100;

/** wasm (the backend Node's training runs on, so the weights match), else cpu; described for the report. */
async function startBackend(): Promise<string> {
  configureWasmPaths();
  if (await tf.setBackend('wasm').catch(() => false)) {
    await tf.ready();
    const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) ? getThreadsCount() : 1;
    return `wasm, ${threads} thread${threads === 1 ? '' : 's'}`;
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu (wasm could not start)';
}

const failed = (id: number, e: unknown, cancelled: boolean) =>
  post({ type: 'failed', id, cancelled, message: cancelled ? 'Calibration cancelled.' : (e as Error).message || String(e) });

async function run(cmd: CalibrateCommand): Promise<void> {
  const abort = new AbortController();
  jobs.set(cmd.id, abort);
  let bundle: ModelBundle | null = null;
  try {
    const backend = await startBackend();
    bundle = await bundleFromFiles(cmd.base);
    const clips = cmd.clips.map((c, i) => {
      try {
        return { signal: clipSignal(c.samples, c.sampleRate), valence: c.valence, arousal: c.arousal };
      } catch (e) {
        throw new Error(`clip ${i + 1} cannot be used: ${(e as Error).message}`);
      }
    });
    const weights = bundle.model.getWeights().map((w) => Float32Array.from(w.dataSync()));
    let lastProgress = -Infinity;
    const { readings, personal } = await calibrateRuns(
      { config: bundle.config, weights, normalisation: normalisationFromCard(bundle.card), clips },
      cmd.recipe,
      cmd.folds,
      cmd.runs,
      { before: cmd.before },
      {
        signal: abort.signal,
        onProgress: (progress) => {
          // At most ten a second (a step can take a few ms): the page repaints for each.
          const now = performance.now();
          if (now - lastProgress < PROGRESS_MS && progress.step < progress.steps) return;
          lastProgress = now;
          post({ type: 'progress', id: cmd.id, progress });
        },
      },
    );
    if (personal) {
      awaiting.set(cmd.id, { cmd, bundle, personal });
      bundle = null; // kept for 'finish'
    }
    post({ type: 'readings', id: cmd.id, readings, backend });
  } catch (e) {
    failed(cmd.id, e, abort.signal.aborted);
  } finally {
    bundle?.model.dispose();
    jobs.delete(cmd.id);
  }
}

async function finish(msg: FinishCalibrationCommand): Promise<void> {
  const kept = awaiting.get(msg.id);
  if (!kept) return failed(msg.id, new Error('this calibration worker has no personal model to finish'), false);
  awaiting.delete(msg.id);
  const { cmd, bundle, personal } = kept;
  try {
    const result = { weights: personal.weights, offset: personal.offset, report: msg.report };
    const { parts } = await personalModelParts(bundle, result, cmd.origin, cmd.recipe);
    post(
      { type: 'done', id: msg.id, modelJson: parts.modelJson as unknown as Record<string, unknown>, weights: parts.weights, safetensors: parts.safetensors.buffer },
      [parts.weights, parts.safetensors.buffer],
    );
  } catch (e) {
    failed(msg.id, e, false);
  } finally {
    bundle.model.dispose();
  }
}

scope.addEventListener('message', (event) => {
  const cmd = event.data;
  if (cmd.type === 'calibrate') void run(cmd);
  else if (cmd.type === 'finish') void finish(cmd);
  else if (cmd.type === 'cancel') {
    jobs.get(cmd.id)?.abort();
    if (awaiting.delete(cmd.id)) failed(cmd.id, null, true);
  }
});
