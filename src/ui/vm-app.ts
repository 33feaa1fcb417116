// Root component: the live monitor screen. Start opens the microphone (capture.ts) and
// hands its ring (or, without cross-origin isolation, its posted chunks) to the analysis
// worker, which does all the signal processing and the CNN; this component only shows
// what comes back: the gauge, the timeline, the level, the backend in use, and the
// states (model loading/failed, permission denied, no microphone). Each reading goes out
// as a `vm-reading` event (detail: ReadingEventDetail) for tools and tests.
import { LitElement, css, html, nothing } from 'lit';
import { type CaptureSession, CaptureError, listMicrophones, meterLevel, startCapture } from '../audio/capture.ts';
import { AnalysisClient } from '../worker/client.ts';
import type { BackendPreference, LiveReading, ModelStatusMessage, ReadingMessage, WorkerMessage } from '../worker/protocol.ts';
import type { GaugeState } from './valence-gauge.ts';
import type { Reading } from './timeline-geometry.ts';
import type { MicOption } from './mic-picker.ts';
import { floatWav } from './wav-file.ts';
import './engine-status.ts';
import './level-meter.ts';
import './mic-picker.ts';
import './valence-gauge.ts';
import './valence-timeline.ts';

/** Detail of the `vm-reading` event. */
export interface ReadingEventDetail {
  reading: LiveReading;
  /** From the reading's last input sample entering the ring to the gauge painted (ms). */
  latencyMs: number;
}

const KEEP_SECONDS = 300; // session audio kept for download (from the start)
const MAX_READINGS = 20_000; // timeline history (about 2.8 h at 0.5 s)
const HOPS = [0.25, 0.5, 1] as const;
const SMOOTHING = [0, 1, 3] as const;
const BACKENDS: readonly BackendPreference[] = ['auto', 'webgl', 'wasm', 'cpu'];

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
  private session: CaptureSession | null = null;
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
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    const client = new AnalysisClient((m) => this.onWorkerMessage(m));
    this.client = client;
    // ?backend=webgl|wasm|cpu forces a backend (benchmarks, troubleshooting); default: measure.
    const asked = new URLSearchParams(location.search).get('backend') as BackendPreference | null;
    client.init(new URL('models/', document.baseURI).href, asked && BACKENDS.includes(asked) ? asked : 'auto');
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
      <vm-engine-status .status=${this.model}></vm-engine-status>
      <vm-valence-gauge .valence=${this.gaugeValence()} .state=${this.gaugeState()} .message=${this.gaugeMessage()}></vm-valence-gauge>
      <div class="controls">
        <button aria-pressed=${running ? 'true' : 'false'} ?disabled=${this.phase === 'starting'} @click=${this.toggle}>
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
        if (this.phase === 'running') void this.showReading(m);
        break;
      case 'error':
        this.errorMessage = m.message;
        break;
      case 'audio':
        break; // answered through AnalysisClient.audio()
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
    this.client?.stop();
    this.session = null;
    this.phase = 'idle';
    this.level = 0;
    if (message) this.errorMessage = message;
    delete this.dataset.captureMode;
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
