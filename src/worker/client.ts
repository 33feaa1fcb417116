// Page side of the analysis worker: starts it, sends typed commands, hands its messages
// to one callback. Owned by whoever creates it (the app component); no global state.
import type { BackendPreference } from '../model/backend-name.ts';
import type { FileHeadline } from './file-headline.ts';
import type { FileSource, LiveReading, ModelFilesPayload, StartCommand, WorkerCommand, WorkerMessage } from './protocol.ts';

/** A file's readings through the live pipeline, and its one figure (file-headline.ts). */
export interface FileResult {
  readings: LiveReading[];
  headline: FileHeadline;
}

export class AnalysisClient {
  private readonly worker: Worker;
  private audioWaiters: ((audio: { samples: Float32Array; sampleRate: number }) => void)[] = [];
  private fileWaiters = new Map<number, { resolve: (r: FileResult) => void; reject: (e: Error) => void }>();
  private nextFileId = 1;
  private trialWaiters = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextTrialId = 1;

  /** `name` tells the workers apart in the browser's tools ('analysis', or 'backend-timing' for a timing run). */
  constructor(onMessage: (message: WorkerMessage) => void, name = 'analysis') {
    this.worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name });
    this.worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.type === 'audio') {
        const waiters = this.audioWaiters;
        this.audioWaiters = [];
        waiters.forEach((w) => w({ samples: message.samples, sampleRate: message.sampleRate }));
      } else if (message.type === 'file-readings') {
        this.fileWaiters.get(message.id)?.resolve({ readings: message.readings, headline: message.headline });
        this.fileWaiters.delete(message.id);
      } else if (message.type === 'model-trial') {
        const waiter = this.trialWaiters.get(message.id);
        this.trialWaiters.delete(message.id);
        if (message.error === undefined) waiter?.resolve();
        else waiter?.reject(new Error(`the trial run on the ${message.backend} backend failed: ${message.error}`));
      } else if (message.type === 'error' && message.fileId !== undefined) {
        this.fileWaiters.get(message.fileId)?.reject(new Error(message.message));
        this.fileWaiters.delete(message.fileId);
      } else {
        onMessage(message);
      }
    });
    this.worker.addEventListener('error', (event) =>
      onMessage({ type: 'error', message: `The analysis worker failed: ${event.message || 'unknown error'}` }),
    );
  }

  /**
   * Loads a model and picks the backend (again to switch models, between sessions):
   * `model` files (their weights buffer is transferred: the caller must not use it
   * afterwards), or the default model under `modelsUrl` (fallback without IndexedDB).
   */
  init(source: { model: ModelFilesPayload } | { modelsUrl: string }, backend: BackendPreference): void {
    if ('model' in source) this.send({ type: 'init', model: source.model, backend }, [source.model.weights]);
    else this.send({ type: 'init', modelsUrl: source.modelsUrl, backend });
  }

  /**
   * Builds `model` in the worker and runs one forward pass, leaving the active model as it
   * is; resolves when it ran, rejects saying why not. The weights buffer is transferred.
   */
  trialModel(model: ModelFilesPayload): Promise<void> {
    const id = this.nextTrialId++;
    return new Promise((resolve, reject) => {
      this.trialWaiters.set(id, { resolve, reject });
      this.send({ type: 'trial-model', id, model }, [model.weights]);
    });
  }

  /** Readings and the headline of a whole file through the live pipeline (decoded samples are transferred; a WAV file is read by the worker). */
  analyzeFile(source: FileSource, hopSeconds: number): Promise<FileResult> {
    const id = this.nextFileId++;
    return new Promise((resolve, reject) => {
      this.fileWaiters.set(id, { resolve, reject });
      this.send({ type: 'analyze-file', id, source, hopSeconds }, 'samples' in source ? [source.samples.buffer] : []);
    });
  }

  start(options: Omit<StartCommand, 'type'>): void {
    this.send({ type: 'start', ...options });
  }

  /** Message-mode input (no shared ring): the buffer is transferred. */
  chunk(samples: Float32Array<ArrayBuffer>): void {
    this.send({ type: 'chunk', samples }, [samples.buffer]);
  }

  stop(): void {
    this.send({ type: 'stop' });
  }

  /** The audio kept from the last session (mono, capture rate). */
  audio(): Promise<{ samples: Float32Array; sampleRate: number }> {
    return new Promise((resolve) => {
      this.audioWaiters.push(resolve);
      this.send({ type: 'get-audio' });
    });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private send(command: WorkerCommand, transfer: Transferable[] = []): void {
    this.worker.postMessage(command, transfer);
  }
}
