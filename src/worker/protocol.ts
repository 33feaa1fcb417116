// Messages between the page and the analysis worker (src/worker/analysis.worker.ts).
// Types only, so the page's bundle does not pull in TF.js.
import type { BackendName, BackendPreference, BackendTrial } from '../model/backend-name.ts';
import type { OutputCount } from '../model/config.ts';
import type { FileHeadline } from './file-headline.ts';

/** Cost of one reading's stages, in milliseconds. */
export interface StageTimings {
  /** Resampling the input that led to this reading (plus skipped readings' input). */
  resampleMs: number;
  /** The speech gate on the window. */
  gateMs: number;
  /** New Mel frames + dB features of the window (0 when the gate said silence). */
  melMs: number;
  /** The CNN forward pass, including reading its result back (0 on silence). */
  cnnMs: number;
}

/** One live reading at t_k (SPEC section 1). */
export interface LiveReading {
  /** k in t_k = k * hop. */
  index: number;
  /** t_k: seconds of captured audio at this reading. */
  time: number;
  /** Input samples (at the capture rate) consumed at this reading. */
  inputSamples: number;
  /** The speech gate's decision. */
  speech: boolean;
  /**
   * No speech now, but the last speech reading is at most the loop's holdSeconds old: a
   * pause. `smoothed` and `smoothedArousal` then hold that reading's values (valence and
   * arousal stay null: the CNN did not run), so the gauge can stay, dimmed, and smoothing
   * carries over the pause.
   */
  held: boolean;
  /** Loudest recent gate frame, dBFS; null for digital silence. */
  levelDb: number | null;
  /**
   * The CNN's valence, clamped to [-1, 1] (the scale's range: a linear output can overshoot
   * it), or null on silence / without a model. Equals analyze --timeline's.
   */
  valence: number | null;
  /** The valence after the optional smoothing (equal to valence without smoothing). */
  smoothed: number | null;
  /**
   * The CNN's arousal (SPEC section 3), from the same forward pass as valence, clamped to
   * [-1, 1]; null for a one-output model and wherever valence is null.
   */
  arousal: number | null;
  /** The arousal after the same smoothing as `smoothed` (equal to arousal without smoothing). */
  smoothedArousal: number | null;
  /** Reading points passed over since the previous reading because analysis was behind. */
  skipped: number;
  timings: StageTimings;
}

// ---- page -> worker ----

/** A model's files as stored (IndexedDB) or fetched: model.json and its weights, concatenated. */
export interface ModelFilesPayload {
  name: string;
  modelJson: Record<string, unknown>;
  /** Transferred to the worker. */
  weights: ArrayBuffer;
}

/**
 * Loads a model and picks the backend. Sent again to switch models (never while a session
 * runs: the app waits for the stop). `model`: the files from the model store (the normal
 * path); `modelsUrl` only as the fallback where IndexedDB is unusable: the worker fetches
 * index.json's default model from there.
 */
export interface InitCommand {
  type: 'init';
  model?: ModelFilesPayload;
  /** Absolute URL of the folder holding index.json (e.g. https://host/models/). */
  modelsUrl?: string;
  backend: BackendPreference;
}

/**
 * A file to analyse: a WAV file itself, which the worker reads block by block (memory does
 * not grow with its length), or mono samples at `sampleRate` the page decoded (transferred).
 */
export type FileSource = { wav: Blob } | { samples: Float32Array<ArrayBuffer>; sampleRate: number };

/**
 * Analyses a whole file with the live pipeline (AnalysisLoop), one reading per hop, each
 * reading point evaluated; answered by `file-readings` (or `error` with the id).
 */
export interface AnalyzeFileCommand {
  type: 'analyze-file';
  id: number;
  source: FileSource;
  hopSeconds: number;
}

export interface StartCommand {
  type: 'start';
  /** Capture rate of the samples to come (Hz). */
  inputRate: number;
  /** Ring storage to drain; absent: samples come as `chunk` messages. */
  ring?: SharedArrayBuffer;
  hopSeconds: number;
  smoothingSeconds: number;
  /** Keep up to this many seconds of the session's input for download (0: keep none). */
  keepSeconds: number;
}

export interface ChunkCommand {
  type: 'chunk';
  samples: Float32Array<ArrayBuffer>;
}

export interface StopCommand {
  type: 'stop';
}

/** Asks for the kept session audio; answered with an `audio` message. */
export interface GetAudioCommand {
  type: 'get-audio';
}

/**
 * Tries a model before the page makes it active (an import): the worker builds it on its
 * backend and runs one forward pass (model-trial.ts), after any model load in progress;
 * the active model is untouched. Answered by `model-trial` with the same id.
 */
export interface TrialModelCommand {
  type: 'trial-model';
  id: number;
  model: ModelFilesPayload;
}

export type WorkerCommand =
  | InitCommand
  | StartCommand
  | ChunkCommand
  | StopCommand
  | GetAudioCommand
  | AnalyzeFileCommand
  | TrialModelCommand;

// ---- worker -> page ----

export interface ModelStatusMessage {
  type: 'model';
  state: 'loading' | 'measuring' | 'ready' | 'failed';
  /** Model name from models/index.json (when known). */
  name?: string;
  /** Backend in use (ready) and why it was chosen. */
  backend?: BackendName;
  reason?: string;
  trials?: BackendTrial[];
  /** Outputs of the model (ready): 1, valence; 2, valence and arousal (readings then carry arousal). */
  outputs?: OutputCount;
  /** Explanation for the user (failed). */
  message?: string;
}

export interface ReadingMessage {
  type: 'reading';
  reading: LiveReading;
  /**
   * Estimated wall-clock time (ms since the epoch: performance.timeOrigin + now()) at
   * which the reading's last input sample entered the ring (or reached the worker).
   */
  inputAt: number;
  /** Wall-clock time (ms since the epoch) at which the worker posted the reading. */
  postedAt: number;
}

/** Running totals, about every 100 ms while samples arrive. */
export interface ProgressMessage {
  type: 'progress';
  /** Input samples received this session. */
  inputSamples: number;
  /** Reading points skipped because analysis was behind, this session. */
  skipped: number;
  /**
   * TF.js tensors the worker held after its latest analysis pass (none running): the
   * model's weights and nothing else, unless a pass leaks (`npm run soak` watches it);
   * null before the session's first pass.
   */
  tensors: number | null;
}

export interface AudioMessage {
  type: 'audio';
  samples: Float32Array<ArrayBuffer>;
  sampleRate: number;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
  /** Set when the error answers an analyze-file command. */
  fileId?: number;
}

/** The readings of an analysed file (analyze-file), in time order, none skipped, and its one figure. */
export interface FileReadingsMessage {
  type: 'file-readings';
  id: number;
  readings: LiveReading[];
  headline: FileHeadline;
}

/** The outcome of a trial-model command: `error` says why the model cannot run (absent: it ran). */
export interface ModelTrialMessage {
  type: 'model-trial';
  id: number;
  /** The TF.js backend the trial ran on. */
  backend: string;
  error?: string;
}

export type WorkerMessage =
  | ModelStatusMessage
  | ReadingMessage
  | ProgressMessage
  | AudioMessage
  | ErrorMessage
  | FileReadingsMessage
  | ModelTrialMessage;
