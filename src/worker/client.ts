// Page side of the analysis worker: starts it, sends typed commands, hands its messages
// to one callback. Owned by whoever creates it (the app component); no global state.
import type { BackendPreference, StartCommand, WorkerCommand, WorkerMessage } from './protocol.ts';

export class AnalysisClient {
  private readonly worker: Worker;
  private audioWaiters: ((audio: { samples: Float32Array; sampleRate: number }) => void)[] = [];

  constructor(onMessage: (message: WorkerMessage) => void) {
    this.worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
    this.worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.type === 'audio') {
        const waiters = this.audioWaiters;
        this.audioWaiters = [];
        waiters.forEach((w) => w({ samples: message.samples, sampleRate: message.sampleRate }));
      } else {
        onMessage(message);
      }
    });
    this.worker.addEventListener('error', (event) =>
      onMessage({ type: 'error', message: `The analysis worker failed: ${event.message || 'unknown error'}` }),
    );
  }

  /** Loads the model from `modelsUrl` (a folder URL) and picks the backend. */
  init(modelsUrl: string, backend: BackendPreference): void {
    this.send({ type: 'init', modelsUrl, backend });
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
