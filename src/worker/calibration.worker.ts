// The calibration worker: fine-tunes a personal model from the user's labelled clips
// (issue 16 section 2) off the page's main thread and apart from the analysis worker, so
// the live monitor stays as it is while it runs. It starts TF.js's wasm backend (threads
// where the page is cross-origin isolated: the same set-up as the analysis worker's),
// builds the base model, resamples each clip with the pipeline's clipSignal, runs
// calibrate.ts (k-fold score, then the personal model: the module evaluate --personalize
// measures), and answers with the model folder's parts. Progress after every step; a
// cancel message stops it before the next.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { clipSignal } from '../dsp/pipeline.ts';
import { normalisationFromCard } from '../dsp/loudness.ts';
import { configureWasmPaths } from '../model/browser-backend.ts';
import { bundleFromFiles } from '../model/load-model-url.ts';
import { calibrate } from '../training/personalize/calibrate.ts';
import { personalModelParts } from '../training/personalize/personal-model.ts';
import type { CalibrateCommand, CalibrationCommand, CalibrationMessage } from './calibration-protocol.ts';

interface WorkerScope {
  postMessage(message: CalibrationMessage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<CalibrationCommand>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
const post = (message: CalibrationMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

const jobs = new Map<number, AbortController>();
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

async function run(cmd: CalibrateCommand): Promise<void> {
  const abort = new AbortController();
  jobs.set(cmd.id, abort);
  const started = performance.now();
  let model: tf.LayersModel | null = null;
  try {
    const backend = await startBackend();
    const bundle = await bundleFromFiles(cmd.base);
    model = bundle.model;
    const clips = cmd.clips.map((c, i) => {
      try {
        return { signal: clipSignal(c.samples, c.sampleRate), valence: c.valence, arousal: c.arousal };
      } catch (e) {
        throw new Error(`clip ${i + 1} cannot be used: ${(e as Error).message}`);
      }
    });
    const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
    let lastProgress = -Infinity;
    const result = await calibrate(
      { config: bundle.config, weights, normalisation: normalisationFromCard(bundle.card), clips },
      cmd.recipe,
      cmd.folds,
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
    const { parts } = await personalModelParts(bundle, result, cmd.origin, cmd.recipe);
    const seconds = (performance.now() - started) / 1000;
    post(
      { type: 'done', id: cmd.id, modelJson: parts.modelJson as unknown as Record<string, unknown>, weights: parts.weights, safetensors: parts.safetensors.buffer, report: result.report, seconds, backend },
      [parts.weights, parts.safetensors.buffer],
    );
  } catch (e) {
    const cancelled = abort.signal.aborted;
    post({ type: 'failed', id: cmd.id, cancelled, message: cancelled ? 'Calibration cancelled.' : (e as Error).message || String(e) });
  } finally {
    model?.dispose();
    jobs.delete(cmd.id);
  }
}

scope.addEventListener('message', (event) => {
  const cmd = event.data;
  if (cmd.type === 'calibrate') void run(cmd);
  else if (cmd.type === 'cancel') jobs.get(cmd.id)?.abort();
});
