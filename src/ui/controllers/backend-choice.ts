// Which TF.js backend the analysis worker starts on, so that no visit waits for the
// backends to be timed (issue 11 item 3). A choice timed before on this browser and GPU
// (src/model/backend-cache.ts, kept in IndexedDB) is used at once. Without one, the worker
// starts on wasm (the winner wherever the GPU is software-rendered, and it always runs)
// and, once it is ready, a second analysis worker times every backend on the same model in
// the background; its result is stored, and a different winner is taken up when the
// analysis worker is next free. The timing never runs while the user listens (on two
// cores it would cost readings): a session pauses it (the worker is ended) and the end of
// the session starts it again. The user can ask for a new timing (Diagnostics).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { choiceFor, type BackendKey, type BackendNote, type StoredBackendChoice } from '../../model/backend-cache.ts';
import type { BackendName } from '../../model/backend-name.ts';
import { webglRenderer } from '../../model/webgl-renderer.ts';
import type { BackendChoiceStore } from '../../storage/backend-choice-store.ts';
import { AnalysisClient } from '../../worker/client.ts';
import type { ModelFilesPayload } from '../../worker/protocol.ts';

export class BackendChoiceController implements ReactiveController {
  /** Why the backend in use is the one in use (null before a model is started). */
  note: BackendNote | null = null;
  private store: BackendChoiceStore | null = null;
  private stored: StoredBackendChoice | null = null;
  private keyCache: BackendKey | null = null;
  private timer: AnalysisClient | null = null;
  /** The model to time (kept untransferred: each attempt sends a copy) and the backend in use. */
  private request: { files: ModelFilesPayload; current: BackendName | undefined } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** A timing finished with `choice`; `switching`: it is not the backend in use. */
    private readonly onTimed: (choice: StoredBackendChoice, switching: boolean) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.timer?.terminate();
    this.timer = null;
  }

  /** A timing is running or waits for the end of a session. */
  get timing(): boolean {
    return this.request !== null;
  }

  /** Reads the stored choice; an unreadable store only means timing again. */
  async attach(store: BackendChoiceStore): Promise<void> {
    this.store = store;
    this.stored = await store.load().catch(() => null);
  }

  /** The backend to start on for an 'auto' preference, and whether the backends still need timing. */
  startBackend(): { backend: BackendName; needsTiming: boolean } {
    const kept = choiceFor(this.stored, this.key());
    if (kept) {
      this.setNote({ kind: 'kept', choice: kept });
      return { backend: kept.backend, needsTiming: false };
    }
    if (!this.request) this.setNote({ kind: 'timing' });
    return { backend: 'wasm', needsTiming: true };
  }

  /**
   * Times every backend on `files` (kept: each attempt transfers a copy) in a worker of its
   * own, now or, with `now` false, at the next resume(); then stores the winner. `current`
   * is the backend the analysis worker is on. A timing already asked for wins.
   */
  time(files: ModelFilesPayload, current: BackendName | undefined, now = true): void {
    if (this.request) return;
    this.request = { files, current };
    this.setNote({ kind: 'timing' });
    if (now) this.resume();
  }

  /** A session starts: a running timing stops, to start over at the next resume(). */
  pause(): void {
    this.timer?.terminate();
    this.timer = null;
  }

  /** The analysis worker is free: a timing that was asked for (and is not running) starts. */
  resume(): void {
    const request = this.request;
    if (!request || this.timer) return;
    const { files, current } = request;
    const key = this.key();
    const timer = new AnalysisClient((m) => {
      if (this.timer !== timer) return;
      if (m.type === 'error') return this.finish(timer, { kind: 'timing-failed', message: m.message });
      if (m.type !== 'model' || (m.state !== 'ready' && m.state !== 'failed')) return;
      if (m.state === 'failed' || !m.backend) return this.finish(timer, { kind: 'timing-failed', message: m.message ?? 'no backend was chosen' });
      const choice: StoredBackendChoice = { ...key, backend: m.backend, reason: m.reason ?? '', trials: m.trials ?? [], measuredAt: Date.now() };
      this.stored = choice;
      const switching = current !== undefined && choice.backend !== current;
      void this.store?.save(choice).catch(() => undefined); // unsaved: timed again next visit
      this.finish(timer, { kind: 'timed', choice, switching });
      this.onTimed(choice, switching);
    }, 'backend-timing');
    this.timer = timer;
    timer.init({ model: { ...files, weights: files.weights.slice(0) } }, 'auto');
  }

  private finish(timer: AnalysisClient, note: BackendNote): void {
    timer.terminate();
    if (this.timer !== timer) return; // a paused attempt's late message
    this.timer = null;
    this.request = null;
    this.setNote(note);
  }

  private setNote(note: BackendNote): void {
    this.note = note;
    this.host.requestUpdate();
  }

  /** This browser and GPU; the renderer is read once (it costs a WebGL context). */
  private key(): BackendKey {
    return (this.keyCache ??= { userAgent: navigator.userAgent, renderer: webglRenderer() });
  }
}
