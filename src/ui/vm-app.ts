// Root component: the live monitor screen. Start opens the microphone (capture.ts) and
// hands its ring (or, without cross-origin isolation, its posted chunks) to the analysis
// worker, which does all the signal processing and the CNN; this component only shows
// what comes back: the gauge, the timeline, the level, the backend in use, and the
// states (model loading/failed, permission denied, no microphone). Each reading goes out
// as a `vm-reading` event (detail: ReadingEventDetail) for tools and tests.
// It also owns the app's storage (IndexedDB, src/storage): at start the bundled model is
// stored (or refreshed) and the ACTIVE stored model's files go to the worker, so later
// starts, offline ones included, take the model from the browser; models can be imported,
// switched and deleted (vm-model-manager); every listening session is saved as it runs
// (vm-session-history); files are analysed by the worker's same pipeline
// (vm-file-analysis); a waiting app update is offered (vm-update-banner), never applied
// mid-session.
import { LitElement, css, html, nothing } from 'lit';
import { type CaptureSession, CaptureError, listMicrophones, meterLevel, startCapture } from '../audio/capture.ts';
import { AnalysisClient } from '../worker/client.ts';
import type { BackendPreference } from '../model/backend-name.ts';
import type { LiveReading, ModelStatusMessage, ReadingMessage, WorkerMessage } from '../worker/protocol.ts';
import type { GaugeState } from './valence-gauge.ts';
import type { Reading } from './timeline-geometry.ts';
import type { MicOption } from './mic-picker.ts';
import { floatWav } from './wav-file.ts';
import { openValenceDb } from '../storage/db.ts';
import { ModelStore, toModelFiles, type ModelSummary } from '../storage/model-store.ts';
import { SessionStore, type SessionRecord, type SessionWithReadings } from '../storage/session-store.ts';
import { toMono } from '../dsp/mono.ts';
import type { ModelImportDetail, ModelIdDetail } from './model-manager.ts';
import type { SessionIdDetail } from './session-history.ts';
import type { FileChosenDetail } from './file-analysis.ts';
import './engine-status.ts';
import './file-analysis.ts';
import './level-meter.ts';
import './mic-picker.ts';
import './model-manager.ts';
import './session-history.ts';
import './update-banner.ts';
import './valence-gauge.ts';
import './valence-timeline.ts';

/** Detail of the `vm-reading` event. */
export interface ReadingEventDetail {
  reading: LiveReading;
  /** From the reading's last input sample entering the ring to the gauge painted (ms). */
  latencyMs: number;
}

/** Detail of the `vm-file-readings` event: a file's readings, as analysed in the page. */
export interface FileReadingsEventDetail {
  name: string;
  sampleRate: number;
  /** 'wav' (src/audio/decode-wav.ts, the file's own rate, no resampling) or 'browser' (decodeAudioData). */
  decoder: 'wav' | 'browser';
  readings: LiveReading[];
}

/** Rate at which the browser's decoder delivers non-WAV files (it resamples to its context's rate). */
const BROWSER_DECODE_RATE = 48_000;

/** Decodes an audio file to mono: WAV with the project's decoder (no resampling), anything else with the browser's. */
async function decodeAudioFile(file: File): Promise<{ samples: Float32Array<ArrayBuffer>; sampleRate: number; decoder: 'wav' | 'browser' }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const isWav = bytes.length > 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WAVE';
  if (isWav) {
    try {
      const { decodeWav } = await import('../audio/decode-wav.ts');
      const audio = decodeWav(bytes);
      return { samples: new Float32Array(toMono(audio.channels)), sampleRate: audio.sampleRate, decoder: 'wav' };
    } catch {
      // A WAV variant our decoder does not read: the browser may.
    }
  }
  const ctx = new OfflineAudioContext(1, 1, BROWSER_DECODE_RATE);
  let buffer: AudioBuffer;
  try {
    buffer = await ctx.decodeAudioData(bytes.buffer);
  } catch {
    throw new Error(`"${file.name}" is not an audio file this browser can decode`);
  }
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i));
  return { samples: new Float32Array(toMono(channels)), sampleRate: buffer.sampleRate, decoder: 'browser' };
}

const KEEP_SECONDS = 300; // session audio kept for download (from the start)
const MAX_READINGS = 20_000; // timeline history (about 2.8 h at 0.5 s)
const HOPS = [0.25, 0.5, 1] as const;
const SMOOTHING = [0, 1, 3] as const;
const BACKENDS: readonly BackendPreference[] = ['auto', 'webgl', 'wasm', 'cpu'];
const SESSION_LIST_REFRESH_MS = 2000;

const epochNow = () => performance.timeOrigin + performance.now();
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

export class VmApp extends LitElement {
  static override properties = {
    phase: { state: true },
    level: { state: true },
    receivedSamples: { state: true },
    overruns: { state: true },
    skipped: { state: true },
    errorMessage: { state: true },
    model: { state: true },
    last: { state: true },
    readings: { state: true },
    devices: { state: true },
    deviceId: { state: true },
    hopSeconds: { state: true },
    smoothingSeconds: { state: true },
    voiceProcessing: { state: true },
    hasAudio: { state: true },
    lastLatencyMs: { state: true },
    models: { state: true },
    activeModelId: { state: true },
    modelError: { state: true },
    modelBusy: { state: true },
    modelNotice: { state: true },
    sessions: { state: true },
    selectedSession: { state: true },
    runningSessionId: { state: true },
    sessionError: { state: true },
    fileReadings: { state: true },
    fileBusy: { state: true },
    fileError: { state: true },
    fileSummary: { state: true },
    updateApply: { state: true },
    updateWaiting: { state: true },
  };

  declare private phase: 'idle' | 'starting' | 'running';
  declare private level: number;
  declare private receivedSamples: number;
  declare private overruns: number;
  declare private skipped: number;
  declare private errorMessage: string | undefined;
  declare private model: ModelStatusMessage;
  declare private last: LiveReading | null;
  declare private readings: readonly Reading[];
  declare private devices: readonly MicOption[];
  declare private deviceId: string;
  declare private hopSeconds: number;
  declare private smoothingSeconds: number;
  declare private voiceProcessing: boolean;
  declare private hasAudio: boolean;
  declare private lastLatencyMs: number | null;
  declare private models: readonly ModelSummary[];
  declare private activeModelId: string;
  declare private modelError: string;
  declare private modelBusy: boolean;
  declare private modelNotice: string;
  declare private sessions: readonly SessionRecord[];
  declare private selectedSession: SessionWithReadings | null;
  declare private runningSessionId: number;
  declare private sessionError: string;
  declare private fileReadings: readonly Reading[];
  declare private fileBusy: boolean;
  declare private fileError: string;
  declare private fileSummary: string;
  declare private updateApply: (() => void) | null;
  declare private updateWaiting: boolean;
  private session: CaptureSession | null = null;
  private modelStore: ModelStore | null = null;
  private sessionStore: SessionStore | null = null;
  /** The stored session of the running capture (its id once stored). */
  private sessionId: Promise<number | null> | null = null;
  /** A model change made while listening, applied at the stop. */
  private modelReloadPending = false;
  private backendPreference: BackendPreference = 'auto';
  private activeModelName = '';
  private sessionsRefreshedAt = 0;
  private client: AnalysisClient | null = null;
  private readonly onDeviceChange = () => void this.refreshDevices();

  constructor() {
    super();
    this.phase = 'idle';
    this.level = 0;
    this.receivedSamples = 0;
    this.overruns = 0;
    this.skipped = 0;
    this.errorMessage = undefined;
    this.model = { type: 'model', state: 'loading' };
    this.last = null;
    this.readings = [];
    this.devices = [];
    this.deviceId = '';
    this.hopSeconds = 0.5;
    this.smoothingSeconds = 0;
    this.voiceProcessing = false;
    this.hasAudio = false;
    this.lastLatencyMs = null;
    this.models = [];
    this.activeModelId = '';
    this.modelError = '';
    this.modelBusy = false;
    this.modelNotice = '';
    this.sessions = [];
    this.selectedSession = null;
    this.runningSessionId = -1;
    this.sessionError = '';
    this.fileReadings = [];
    this.fileBusy = false;
    this.fileError = '';
    this.fileSummary = '';
    this.updateApply = null;
    this.updateWaiting = false;
  }

  /**
   * A new version of the app is waiting (src/pwa/register-sw.ts): the banner offers it;
   * `apply` switches and reloads, which happens only between sessions.
   */
  offerUpdate(apply: () => void): void {
    this.updateApply = apply;
  }

  static override styles = css`
    :host {
      --vm-accent: #3a6fd8;
      --vm-muted: #5d6773;
      --vm-border: #d5dae0;
      display: block;
      max-width: 44rem;
      margin: 0 auto;
      padding: 1rem;
      font-family: system-ui, sans-serif;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-accent: #7fa7ff;
        --vm-muted: #a3adb8;
        --vm-border: #3a434d;
      }
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      justify-content: space-between;
      gap: 0.25rem 1rem;
      margin-bottom: 0.75rem;
    }
    h1 {
      margin: 0;
      font-size: 1.5rem;
    }
    vm-engine-status {
      margin-bottom: 0.75rem;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem 1rem;
      margin: 1.25rem 0 0.5rem;
    }
    button {
      font: inherit;
      font-weight: 600;
      padding: 0.55rem 1.1rem;
      border-radius: 0.5rem;
      border: 1px solid transparent;
      background: #3a6fd8;
      color: #fff;
      cursor: pointer;
    }
    button:focus-visible,
    select:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--vm-accent);
      outline-offset: 2px;
    }
    button[aria-pressed='true'],
    button.secondary {
      background: transparent;
      border-color: currentColor;
      color: inherit;
    }
    button:disabled {
      opacity: 0.6;
      cursor: default;
    }
    vm-level-meter {
      flex: 1 1 8rem;
    }
    .info,
    .costs {
      margin: 0 0 0.5rem;
      font-size: 0.875rem;
      color: var(--vm-muted);
      min-height: 1.3em;
      overflow-wrap: anywhere;
    }
    .warn {
      color: #b3261e;
      font-weight: 600;
    }
    @media (prefers-color-scheme: dark) {
      .warn {
        color: #ff8a80;
      }
    }
    .settings {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: 0.75rem 1.25rem;
      margin: 1rem 0;
      padding: 0.75rem;
      border: 1px solid var(--vm-border);
      border-radius: 0.5rem;
      font-size: 0.875rem;
    }
    .settings label.field {
      display: inline-flex;
      flex-direction: column;
      gap: 0.2rem;
    }
    .settings label.check {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
    }
    select {
      font: inherit;
      padding: 0.35rem 0.4rem;
      border-radius: 0.375rem;
      border: 1px solid #8a929b;
      background: Canvas;
      color: CanvasText;
    }
    vm-mic-picker {
      flex: 1 1 12rem;
    }
    h2 {
      font-size: 1rem;
      margin: 1rem 0 0.25rem;
    }
    section {
      margin-top: 1.5rem;
    }
    section > h2 {
      margin-bottom: 0.5rem;
    }
    .notice {
      margin: 0.5rem 0 0;
      font-size: 0.875rem;
      color: var(--vm-muted);
    }
    vm-update-banner {
      margin-bottom: 0.75rem;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    const client = new AnalysisClient((m) => this.onWorkerMessage(m));
    this.client = client;
    // ?backend=webgl|wasm|cpu forces a backend (benchmarks, troubleshooting); default: measure.
    const asked = new URLSearchParams(location.search).get('backend') as BackendPreference | null;
    this.backendPreference = asked && BACKENDS.includes(asked) ? asked : 'auto';
    void this.openStorage();
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    void this.refreshDevices();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    void this.stop();
    this.client?.terminate();
    this.client = null;
  }

  override render() {
    const running = this.phase === 'running';
    return html`
      <header>
        <h1>Valence Monitor</h1>
      </header>
      <vm-update-banner ?open=${this.updateApply !== null} ?waiting=${this.updateWaiting}
        @update-accept=${this.acceptUpdate} @update-dismiss=${() => (this.updateApply = null)}></vm-update-banner>
      <vm-engine-status .status=${this.model}></vm-engine-status>
      <vm-valence-gauge .valence=${this.gaugeValence()} .state=${this.gaugeState()} .message=${this.gaugeMessage()}></vm-valence-gauge>
      <div class="controls">
        <button aria-pressed=${running ? 'true' : 'false'} ?disabled=${this.phase === 'starting' || this.fileBusy} @click=${this.toggle}>
          ${running ? 'Stop' : 'Start listening'}
        </button>
        <vm-level-meter .level=${this.level} label="Microphone level"></vm-level-meter>
      </div>
      <p class="info">${this.infoText()}${this.overruns > 0
          ? html` · <span class="warn">${this.overruns} samples dropped (analysis fell behind)</span>`
          : nothing}</p>
      <p class="costs">${this.costText()}</p>
      <h2>Session</h2>
      <vm-valence-timeline .readings=${this.readings}></vm-valence-timeline>
      <div class="settings">
        <vm-mic-picker .devices=${this.devices} .value=${this.deviceId} ?disabled=${this.phase !== 'idle'}
          @mic-change=${(e: CustomEvent<string>) => (this.deviceId = e.detail)}></vm-mic-picker>
        <label class="field">Reading every
          <select ?disabled=${this.phase !== 'idle'} @change=${(e: Event) => (this.hopSeconds = Number((e.target as HTMLSelectElement).value))}>
            ${HOPS.map((h) => html`<option value=${h} ?selected=${h === this.hopSeconds}>${h} s</option>`)}
          </select>
        </label>
        <label class="field">Smoothing
          <select ?disabled=${this.phase !== 'idle'} @change=${(e: Event) => (this.smoothingSeconds = Number((e.target as HTMLSelectElement).value))}>
            ${SMOOTHING.map((s) => html`<option value=${s} ?selected=${s === this.smoothingSeconds}>${s === 0 ? 'off' : `${s} s`}</option>`)}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" .checked=${this.voiceProcessing} ?disabled=${this.phase !== 'idle'}
            @change=${(e: Event) => (this.voiceProcessing = (e.target as HTMLInputElement).checked)} />
          Browser voice processing
        </label>
        <button class="secondary" ?disabled=${!this.hasAudio} @click=${this.downloadAudio}>Download audio (WAV)</button>
      </div>
      <section aria-labelledby="h-sessions">
        <h2 id="h-sessions">Saved sessions</h2>
        <vm-session-history .sessions=${this.sessions} .selected=${this.selectedSession} running-id=${this.runningSessionId}
          error=${this.sessionError} @session-select=${this.selectSession} @session-delete=${this.deleteSession}></vm-session-history>
      </section>
      <section aria-labelledby="h-file">
        <h2 id="h-file">Analyse a file</h2>
        <vm-file-analysis .readings=${this.fileReadings} ?busy=${this.fileBusy} ?disabled=${running || this.model.state !== 'ready'}
          error=${this.fileError} summary=${this.fileSummary} @file-chosen=${this.analyseFile}></vm-file-analysis>
      </section>
      <section aria-labelledby="h-models">
        <h2 id="h-models">Models</h2>
        <vm-model-manager .models=${this.models} active-id=${this.activeModelId} error=${this.modelError} ?busy=${this.modelBusy}
          @model-import=${this.importModel} @model-select=${this.selectModel} @model-delete=${this.deleteModel}></vm-model-manager>
        ${this.modelNotice ? html`<p class="notice" role="status">${this.modelNotice}</p>` : nothing}
      </section>
    `;
  }

  // ---- what the gauge shows ----

  private gaugeValence(): number | null {
    return this.phase === 'running' && this.last?.speech ? this.last.smoothed : null;
  }

  private gaugeState(): GaugeState {
    if (this.errorMessage || this.model.state === 'failed') return 'error';
    if (this.phase !== 'running') return 'idle';
    if (!this.last) return 'listening';
    if (!this.last.speech) return 'no-speech';
    return this.last.smoothed === null ? 'listening' : 'reading';
  }

  private gaugeMessage(): string | undefined {
    if (this.errorMessage) return this.errorMessage;
    if (this.model.state === 'failed') return this.model.message;
    if (this.phase === 'running' && this.model.state !== 'ready') return 'Listening… the model is still loading';
    if (this.phase === 'running' && !this.last) {
      const hop = this.hopSeconds;
      return `Listening… first reading after ${hop} s`;
    }
    return undefined;
  }

  private infoText(): string {
    const s = this.session;
    if (!s) return '';
    const transport = s.mode === 'ring' ? 'shared ring buffer' : 'message fallback';
    const seconds = (this.receivedSamples / s.sampleRate).toFixed(1);
    const skipped = this.skipped > 0 ? ` · ${this.skipped} readings skipped to keep up` : '';
    return `${s.deviceLabel || 'Microphone'} · ${s.sampleRate} Hz · ${transport} · ${seconds} s received${skipped}`;
  }

  private costText(): string {
    const r = this.last;
    if (!r || this.phase !== 'running') return '';
    const t = r.timings;
    const ms = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
    const latency = this.lastLatencyMs === null ? '' : ` · on screen ${ms(this.lastLatencyMs)} ms after the audio`;
    const stages = r.speech
      ? `resample ${ms(t.resampleMs)} ms · Mel ${ms(t.melMs)} ms · CNN ${ms(t.cnnMs)} ms`
      : `no speech (resample ${ms(t.resampleMs)} ms · gate ${ms(t.gateMs)} ms; no CNN run)`;
    return `Last reading: ${stages}${latency}`;
  }

  // ---- worker ----

  private onWorkerMessage(m: WorkerMessage): void {
    switch (m.type) {
      case 'model':
        this.model = m;
        break;
      case 'progress':
        this.receivedSamples = m.inputSamples;
        this.skipped = m.skipped;
        break;
      case 'reading':
        if (this.phase === 'running') {
          this.saveReading(m.reading);
          void this.showReading(m);
        }
        break;
      case 'error':
        this.errorMessage = m.message;
        break;
      case 'audio':
      case 'file-readings':
        break; // answered through AnalysisClient.audio() / analyzeFile()
    }
  }

  private async showReading(m: ReadingMessage): Promise<void> {
    const r = m.reading;
    this.last = r;
    const readings = this.readings.length >= MAX_READINGS ? this.readings.slice(-MAX_READINGS / 2) : this.readings;
    this.readings = [...readings, { t: r.time, valence: r.speech ? r.smoothed : null }];
    await this.updateComplete;
    await nextFrame(); // painted
    const latencyMs = epochNow() - m.inputAt;
    this.lastLatencyMs = latencyMs;
    this.dispatchEvent(
      new CustomEvent<ReadingEventDetail>('vm-reading', { detail: { reading: r, latencyMs }, bubbles: true, composed: true }),
    );
  }

  // ---- capture ----

  private async refreshDevices(): Promise<void> {
    try {
      this.devices = await listMicrophones();
    } catch {
      this.devices = [];
    }
  }

  private async toggle(): Promise<void> {
    if (this.phase === 'running') await this.stop();
    else if (this.phase === 'idle') await this.start();
  }

  private async start(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.phase = 'starting';
    this.errorMessage = undefined;
    this.receivedSamples = 0;
    this.overruns = 0;
    this.skipped = 0;
    this.last = null;
    this.lastLatencyMs = null;
    this.readings = [];
    try {
      const vp = this.voiceProcessing;
      const session = await startCapture({
        deviceId: this.deviceId || undefined,
        echoCancellation: vp,
        noiseSuppression: vp,
        autoGainControl: vp,
        onLevel: ({ rms }) => (this.level = meterLevel(rms)),
        onOverrun: (total) => (this.overruns = total),
        onChunk: (samples) => client.chunk(samples as Float32Array<ArrayBuffer>),
        onEnded: () => this.onStopped('The microphone was disconnected.'),
      });
      this.session = session;
      client.start({
        inputRate: session.sampleRate,
        ring: session.ring?.storage,
        hopSeconds: this.hopSeconds,
        smoothingSeconds: this.smoothingSeconds,
        keepSeconds: KEEP_SECONDS,
      });
      this.hasAudio = true;
      this.dataset.captureMode = session.mode;
      this.phase = 'running';
      this.beginStoredSession();
      void this.refreshDevices(); // labels appear once access is granted
    } catch (error) {
      this.phase = 'idle';
      this.errorMessage = error instanceof CaptureError ? error.message : String(error);
    }
  }

  private async stop(): Promise<void> {
    const session = this.session;
    this.onStopped();
    await session?.stop();
  }

  private onStopped(message?: string): void {
    const wasRunning = this.phase === 'running';
    this.client?.stop();
    this.session = null;
    this.phase = 'idle';
    this.level = 0;
    if (message) this.errorMessage = message;
    delete this.dataset.captureMode;
    if (!wasRunning) return;
    this.endStoredSession();
    // What waited for the end of the session: an accepted update, then a model change.
    if (this.updateWaiting && this.updateApply) {
      this.updateApply();
      return;
    }
    this.applyPendingModel();
  }

  /** A model change that waited for the worker to be free (a session or a file analysis). */
  private applyPendingModel(): void {
    if (!this.modelReloadPending || this.phase !== 'idle' || this.fileBusy) return;
    this.modelReloadPending = false;
    this.modelNotice = '';
    void this.loadActiveModel();
  }

  // ---- storage: models ----

  private modelsUrl(): string {
    return new URL('models/', document.baseURI).href;
  }

  /**
   * Opens the database, stores (or refreshes) the bundled model, and hands the active
   * stored model to the worker. Without usable IndexedDB, or with nothing stored and the
   * bundled model unreachable, the worker loads from the models URL (and reports why not).
   */
  private async openStorage(): Promise<void> {
    try {
      const db = await openValenceDb();
      this.modelStore = new ModelStore(db);
      this.sessionStore = new SessionStore(db);
    } catch (e) {
      this.modelError = `Models and sessions cannot be stored in this browser: ${(e as Error).message}`;
      this.client?.init({ modelsUrl: this.modelsUrl() }, this.backendPreference);
      return;
    }
    let bundledError: Error | null = null;
    try {
      await this.modelStore.ensureBundled((url) => fetch(url), this.modelsUrl());
    } catch (e) {
      bundledError = e as Error;
    }
    const stored = await this.modelStore.activeId().catch(() => undefined);
    if (stored === undefined && bundledError) {
      // Nothing stored yet and the bundled model unreachable or refused: say which file and why.
      this.model = { type: 'model', state: 'failed', message: `The model could not be loaded: ${bundledError.message}` };
    } else {
      await this.loadActiveModel();
    }
    await this.refreshModels();
    await this.refreshSessions();
  }

  private async refreshModels(): Promise<void> {
    const store = this.modelStore;
    if (!store) return;
    this.models = await store.list();
    const active = await store.activeId();
    if (active !== undefined) this.activeModelId = active;
  }

  /** Sends the active stored model to the worker (the URL fallback when none is stored). */
  private async loadActiveModel(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const record = await this.modelStore?.active().catch(() => undefined);
    // Once a backend is chosen, a model switch keeps it instead of timing them all again.
    const backend = this.model.state === 'ready' && this.model.backend ? this.model.backend : this.backendPreference;
    if (!record) {
      client.init({ modelsUrl: this.modelsUrl() }, backend);
      return;
    }
    this.activeModelId = record.id;
    this.activeModelName = record.name;
    this.model = { type: 'model', state: 'loading', name: record.name };
    client.init({ model: toModelFiles(record) }, backend);
  }

  /** After a change of the active model: reload now, or at the stop when listening. */
  private async modelChanged(): Promise<void> {
    await this.refreshModels();
    if (this.phase === 'idle' && !this.fileBusy) {
      this.modelNotice = '';
      await this.loadActiveModel();
    } else if (this.fileBusy) {
      this.modelReloadPending = true;
      this.modelNotice = 'The chosen model is loaded when the file analysis has finished.';
    } else {
      this.modelReloadPending = true;
      this.modelNotice = 'The chosen model is used from the next session: the one running keeps its model until you stop.';
    }
  }

  private async modelAction(op: (store: ModelStore) => Promise<unknown>): Promise<void> {
    const store = this.modelStore;
    if (!store || this.modelBusy) return;
    this.modelBusy = true;
    this.modelError = '';
    try {
      await op(store);
      await this.modelChanged();
    } catch (e) {
      this.modelError = (e as Error).message;
      await this.refreshModels();
    } finally {
      this.modelBusy = false;
    }
  }

  private importModel(e: CustomEvent<ModelImportDetail>): void {
    void this.modelAction((store) => store.importModelFiles(e.detail.files));
  }

  private selectModel(e: CustomEvent<ModelIdDetail>): void {
    void this.modelAction((store) => store.setActive(e.detail.id));
  }

  private deleteModel(e: CustomEvent<ModelIdDetail>): void {
    void this.modelAction((store) => store.remove(e.detail.id));
  }

  // ---- storage: sessions ----

  private beginStoredSession(): void {
    const store = this.sessionStore;
    if (!store) return;
    this.sessionError = '';
    const id = store
      .startSession({
        modelId: this.activeModelId,
        modelName: this.activeModelName || this.model.name || '',
        backend: this.model.backend ?? '',
        hopSeconds: this.hopSeconds,
      })
      .then(
        (sessionId) => {
          if (this.sessionId === id) this.runningSessionId = sessionId;
          void this.refreshSessions();
          return sessionId;
        },
        (e: unknown) => {
          this.sessionError = `This session is not being saved: ${(e as Error).message}`;
          return null;
        },
      );
    this.sessionId = id;
  }

  /** Stores a reading; calls keep their order (IndexedDB runs transactions in creation order). */
  private saveReading(r: LiveReading): void {
    const store = this.sessionStore;
    const id = this.sessionId;
    if (!store || !id) return;
    const state = !r.speech ? 'no-speech' : r.valence === null ? 'no-model' : 'speech';
    void id.then((sessionId) => {
      if (sessionId === null) return;
      store.appendReading(sessionId, { t: r.time, valence: r.valence, smoothed: r.smoothed, state }).then(
        () => {
          // The history's entry of the running session follows, every couple of seconds.
          if (performance.now() - this.sessionsRefreshedAt >= SESSION_LIST_REFRESH_MS) void this.refreshSessions();
        },
        (e: unknown) => {
          this.sessionError = (e as Error).message;
        },
      );
    });
  }

  private endStoredSession(): void {
    const store = this.sessionStore;
    const id = this.sessionId;
    this.sessionId = null;
    if (!store || !id) return;
    void id.then(async (sessionId) => {
      if (sessionId === null) return;
      try {
        await store.endSession(sessionId);
      } catch (e) {
        this.sessionError = (e as Error).message;
      }
      if (this.runningSessionId === sessionId) this.runningSessionId = -1;
      await this.refreshSessions();
      if (this.selectedSession?.id === sessionId) this.selectedSession = (await store.getSession(sessionId)) ?? null;
    });
  }

  private async refreshSessions(): Promise<void> {
    const store = this.sessionStore;
    if (!store) return;
    this.sessionsRefreshedAt = performance.now();
    try {
      this.sessions = await store.listSessions();
    } catch (e) {
      this.sessionError = (e as Error).message;
    }
  }

  private async selectSession(e: CustomEvent<SessionIdDetail>): Promise<void> {
    const store = this.sessionStore;
    if (!store) return;
    try {
      this.selectedSession = (await store.getSession(e.detail.id)) ?? null;
    } catch (err) {
      this.sessionError = (err as Error).message;
    }
  }

  private async deleteSession(e: CustomEvent<SessionIdDetail>): Promise<void> {
    const store = this.sessionStore;
    if (!store) return;
    try {
      await store.deleteSession(e.detail.id);
      if (this.selectedSession?.id === e.detail.id) this.selectedSession = null;
    } catch (err) {
      this.sessionError = (err as Error).message;
    }
    await this.refreshSessions();
  }

  // ---- file analysis ----

  /** Decodes the file and runs it through the worker's live pipeline (AnalysisLoop), every hop. */
  private async analyseFile(e: CustomEvent<FileChosenDetail>): Promise<void> {
    const client = this.client;
    const file = e.detail.file;
    if (!client || this.fileBusy) return;
    this.fileBusy = true;
    this.fileError = '';
    this.fileSummary = '';
    this.fileReadings = [];
    try {
      const audio = await decodeAudioFile(file);
      const seconds = audio.samples.length / audio.sampleRate;
      const readings = await client.analyzeFile(audio.samples, audio.sampleRate, this.hopSeconds);
      this.fileReadings = readings.map((r) => ({ t: r.time, valence: r.speech ? r.valence : null }));
      const voiced = readings.filter((r) => r.speech && r.valence !== null);
      const mean = voiced.length > 0 ? voiced.reduce((a, r) => a + (r.valence ?? 0), 0) / voiced.length : null;
      const how = audio.decoder === 'wav' ? 'WAV decoder, no resampling' : `browser decoder, at ${audio.sampleRate} Hz`;
      this.fileSummary =
        `${file.name}: ${seconds.toFixed(1)} s at ${audio.sampleRate} Hz (${how}) · ${readings.length} readings, ` +
        `${voiced.length} with speech${mean === null ? '' : ` · mean valence ${mean >= 0 ? '+' : ''}${mean.toFixed(2)}`}`;
      this.dispatchEvent(
        new CustomEvent<FileReadingsEventDetail>('vm-file-readings', {
          detail: { name: file.name, sampleRate: audio.sampleRate, decoder: audio.decoder, readings },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (err) {
      this.fileError = (err as Error).message;
    } finally {
      this.fileBusy = false;
      this.applyPendingModel();
    }
  }

  // ---- update ----

  private acceptUpdate(): void {
    const apply = this.updateApply;
    if (!apply) return;
    if (this.phase === 'idle') apply();
    else this.updateWaiting = true; // applied by onStopped
  }

  private async downloadAudio(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const { samples, sampleRate } = await client.audio();
    if (samples.length === 0 || sampleRate === 0) return;
    const blob = new Blob([floatWav(samples, sampleRate)], { type: 'audio/wav' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `valence-session-${new Date().toISOString().replace(/[:.]/g, '-')}.wav`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

customElements.define('vm-app', VmApp);

declare global {
  interface HTMLElementTagNameMap {
    'vm-app': VmApp;
  }
}
