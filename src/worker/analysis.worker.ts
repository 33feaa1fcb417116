// The analysis worker: loads the model (files from the page's model store, or fetched
// from the models URL as a fallback), picks the TF.js backend by measurement, tries a
// model the page is about to import (one forward pass, model-trial.ts), then for
// each capture session drains the shared ring (or takes posted chunks), runs the
// AnalysisLoop (LiveWindow -> speech gate -> CNN) and posts readings. Everything heavy
// happens here, off the page's main thread. Input that arrives while a reading is being
// computed is gathered and handed over in one piece, so the loop skips to the newest
// window instead of building a queue.
import { Float32RingBuffer } from '../audio/ring-buffer.ts';
import { activeBackendName, chooseBackend, tensorsHeld, type Runner } from '../model/browser-backend.ts';
import { bundleFromFiles, fetchModelFiles, type ModelFiles } from '../model/load-model-url.ts';
import { outputCount, type CnnConfig } from '../model/config.ts';
import { normalisationFromCard, type LoudnessNormalisation } from '../dsp/loudness.ts';
import { AnalysisLoop, type PredictFn } from './analysis-loop.ts';
import { analyzeFileWithHeadline } from './analyze-file.ts';
import { blobSource, openWavStream } from '../audio/wav-stream.ts';
import { trialForwardPass } from './model-trial.ts';
import { windowPredictorAsync } from './window-predictor.ts';
import type { AnalyzeFileCommand, InitCommand, StartCommand, TrialModelCommand, WorkerCommand, WorkerMessage } from './protocol.ts';

interface WorkerScope {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerCommand>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
const post = (message: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/** Wall-clock ms comparable across the page and workers (their performance.now() origins differ). */
const epochNow = () => performance.timeOrigin + performance.now();

const POLL_MS = 20; // how often the ring is drained; bounds the time a quantum waits there
const PROGRESS_MS = 100;

interface ModelRunner extends Runner {
  config: CnnConfig;
  /** Loudness normalisation the model was trained with (from its card). */
  normalisation: LoudnessNormalisation | null;
  /** Valence and arousal of one window, one forward pass (what the loop runs). */
  read: PredictFn;
}

let model: ModelRunner | null = null;
let modelFailed = false;
/** The model load in progress (a trial waits for it: the backend may still be changing). */
let loading: Promise<void> = Promise.resolve();

async function init(cmd: InitCommand): Promise<void> {
  // A new model (a switch between sessions): the old one goes once the new one is ready.
  const previous = model;
  model = null;
  modelFailed = false;
  post({ type: 'model', state: 'loading' });
  let files: ModelFiles;
  try {
    if (cmd.model) files = cmd.model;
    else if (cmd.modelsUrl) files = await fetchModelFiles(cmd.modelsUrl);
    else throw new Error('no model was given');
  } catch (e) {
    previous?.dispose();
    modelFailed = true;
    post({ type: 'model', state: 'failed', message: `The model could not be loaded: ${(e as Error).message}` });
    return;
  }
  post({ type: 'model', state: 'measuring', name: files.name });
  previous?.dispose();
  try {
    const choice = await chooseBackend<ModelRunner>(cmd.backend, async () => {
      const bundle = await bundleFromFiles(files);
      const read = windowPredictorAsync(bundle.model, bundle.config);
      return {
        config: bundle.config,
        normalisation: normalisationFromCard(bundle.card),
        read,
        // The backend trials time the same pass the readings run.
        predict: async (features) => (await read(features)).valence,
        dispose: () => bundle.model.dispose(),
      };
    });
    model = choice.runner;
    post({
      type: 'model',
      state: 'ready',
      name: files.name,
      backend: choice.backend,
      reason: choice.reason,
      trials: choice.trials,
      outputs: outputCount(choice.runner.config),
    });
    pump();
  } catch (e) {
    modelFailed = true;
    post({ type: 'model', state: 'failed', name: files.name, message: `The model could not run: ${(e as Error).message}` });
  }
}

/** A model tried before the page makes it active, on the backend the worker settled on. */
async function trialModel(cmd: TrialModelCommand): Promise<void> {
  await loading;
  try {
    await trialForwardPass(cmd.model);
    post({ type: 'model-trial', id: cmd.id, backend: activeBackendName() });
  } catch (e) {
    post({ type: 'model-trial', id: cmd.id, backend: activeBackendName(), error: (e as Error).message || String(e) });
  }
}

/**
 * A whole file through the same AnalysisLoop as the live monitor, every reading point
 * evaluated (the live loop skips only when it falls behind). A WAV file is read here block
 * by block from the File, so memory holds one block and the readings, whatever its length.
 */
async function analyzeFile(cmd: AnalyzeFileCommand): Promise<void> {
  try {
    const m = model;
    if (!m) throw new Error(modelFailed ? 'the model failed to load' : 'the model is still loading');
    const { source } = cmd;
    let input: { rate: number; chunks: Iterable<Float32Array> | AsyncIterable<Float32Array> };
    if ('wav' in source) {
      const wav = await openWavStream(blobSource(source.wav));
      input = { rate: wav.sampleRate, chunks: wav.blocks() };
    } else {
      input = { rate: source.sampleRate, chunks: [source.samples] };
    }
    // The timeline and the file's one figure, as `npm run analyze` makes them.
    const { readings, headline } = await analyzeFileWithHeadline(input.chunks, {
      inputRate: input.rate,
      hopSeconds: cmd.hopSeconds,
      smoothingSeconds: 0,
      features: m.config.features,
      normalisation: m.normalisation,
      predict: m.read,
    });
    post({ type: 'file-readings', id: cmd.id, readings, headline });
  } catch (e) {
    post({ type: 'error', fileId: cmd.id, message: `The file could not be analysed: ${(e as Error).message}` });
  }
}

/** One capture session's state. */
interface Session {
  cmd: StartCommand;
  /** Created once the model is known (its feature type decides the features). */
  loop: AnalysisLoop | null;
  ring: Float32RingBuffer | null;
  timer: ReturnType<typeof setInterval> | undefined;
  /** Input not yet analysed, with the time its newest sample arrived. */
  pending: Float32Array[];
  pendingSamples: number;
  pendingAt: number;
  received: number;
  skipped: number;
  /** TF.js tensors after the latest pass (null before the first). */
  tensors: number | null;
  busy: boolean;
  lastProgress: number;
  kept: Float32Array[];
  keptSamples: number;
  keepLimit: number;
}

let session: Session | null = null;
let lastAudio: { chunks: Float32Array[]; rate: number } | null = null;

function start(cmd: StartCommand): void {
  stop();
  const s: Session = {
    cmd,
    loop: null,
    ring: cmd.ring ? new Float32RingBuffer(cmd.ring) : null,
    timer: undefined,
    pending: [],
    pendingSamples: 0,
    pendingAt: 0,
    received: 0,
    skipped: 0,
    // Not counted yet: a session can start while the backend still starts, and TF.js
    // throws if asked then ("Backend 'wasm' has not yet been initialized").
    tensors: null,
    busy: false,
    lastProgress: 0,
    kept: [],
    keptSamples: 0,
    keepLimit: Math.max(0, Math.floor(cmd.keepSeconds * cmd.inputRate)),
  };
  session = s;
  lastAudio = { chunks: s.kept, rate: cmd.inputRate };
  if (s.ring) {
    const ring = s.ring;
    const scratch = new Float32Array(ring.capacity);
    s.timer = setInterval(() => {
      const n = ring.pop(scratch);
      if (n > 0) receive(s, scratch.slice(0, n));
    }, POLL_MS);
  }
}

function stop(): void {
  if (!session) return;
  clearInterval(session.timer);
  session = null;
}

/** New input: keep it for download, count it, queue it for the next analysis pass. */
function receive(s: Session, samples: Float32Array): void {
  const at = epochNow();
  if (s.keptSamples < s.keepLimit) {
    const take = Math.min(samples.length, s.keepLimit - s.keptSamples);
    s.kept.push(take === samples.length ? samples : samples.slice(0, take));
    s.keptSamples += take;
  }
  s.received += samples.length;
  s.pending.push(samples);
  s.pendingSamples += samples.length;
  s.pendingAt = at;
  if (at - s.lastProgress >= PROGRESS_MS) {
    s.lastProgress = at;
    post({ type: 'progress', inputSamples: s.received, skipped: s.skipped, tensors: s.tensors });
  }
  pump();
}

/** Analyses everything pending in one go, unless a pass is running (it calls back here). */
function pump(): void {
  const s = session;
  // Without a model (still loading) input waits, so the window stays aligned with the
  // session's start; once the model failed, the gate still runs on its own.
  if (!s || s.busy || s.pendingSamples === 0 || (!model && !modelFailed)) return;
  const loop = (s.loop ??= new AnalysisLoop({
    inputRate: s.cmd.inputRate,
    hopSeconds: s.cmd.hopSeconds,
    smoothingSeconds: s.cmd.smoothingSeconds,
    features: model?.config.features ?? 'db', // without a model no features are computed
    normalisation: model?.normalisation ?? null,
    predict: model ? model.read : null,
  }));
  const chunk = concat(s.pending, s.pendingSamples);
  const arrivedAt = s.pendingAt;
  const inputEnd = loop.inputSamples + chunk.length;
  s.pending = [];
  s.pendingSamples = 0;
  s.busy = true;
  loop.process(chunk).then(
    (reading) => {
      s.busy = false;
      if (session !== s) return;
      s.tensors = tensorsHeld(); // between passes: what stays is the model, or a leak
      if (reading) {
        s.skipped += reading.skipped;
        // The newest pending sample arrived at `arrivedAt`; earlier ones at the capture rate before it.
        const inputAt = arrivedAt - ((inputEnd - reading.inputSamples) / loop.inputRate) * 1000;
        post({ type: 'reading', reading, inputAt, postedAt: epochNow() });
      }
      pump();
    },
    (e: unknown) => {
      s.busy = false;
      post({ type: 'error', message: `Analysis failed: ${(e as Error).message}` });
    },
  );
}

function concat(parts: Float32Array[], total: number): Float32Array {
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function sendAudio(): void {
  const chunks = lastAudio?.chunks ?? [];
  const samples = concat(chunks, chunks.reduce((n, c) => n + c.length, 0));
  const copy = new Float32Array(samples); // keep ours: the user may download twice
  post({ type: 'audio', samples: copy, sampleRate: lastAudio?.rate ?? 0 }, [copy.buffer]);
}

scope.addEventListener('message', (event) => {
  const cmd = event.data;
  switch (cmd.type) {
    case 'init':
      loading = init(cmd);
      break;
    case 'trial-model':
      void trialModel(cmd);
      break;
    case 'start':
      start(cmd);
      break;
    case 'chunk':
      if (session && !session.ring) receive(session, cmd.samples);
      break;
    case 'stop':
      stop();
      break;
    case 'get-audio':
      sendAudio();
      break;
    case 'analyze-file':
      void analyzeFile(cmd);
      break;
  }
});
