// Root component of the app. For now a demo of the capture side and the display
// components: Start opens the microphone and drives the level meter; the gauge shows the
// capture state (no analysis is wired yet). While no worker consumes the ring, this
// component drains it itself and shows how much audio arrived.
import { LitElement, css, html } from 'lit';
import { type CaptureSession, CaptureError, meterLevel, startCapture } from '../audio/capture.ts';
import type { GaugeState } from './valence-gauge.ts';
import './level-meter.ts';
import './valence-gauge.ts';
import './valence-timeline.ts';

const DRAIN_INTERVAL_MS = 100;

export class VmApp extends LitElement {
  static override properties = {
    phase: { state: true },
    level: { state: true },
    receivedSamples: { state: true },
    errorMessage: { state: true },
  };

  declare private phase: 'idle' | 'starting' | 'running';
  declare private level: number;
  declare private receivedSamples: number;
  declare private errorMessage: string | undefined;
  private session: CaptureSession | null = null;
  private drainTimer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.phase = 'idle';
    this.level = 0;
    this.receivedSamples = 0;
    this.errorMessage = undefined;
  }

  static override styles = css`
    :host {
      display: block;
      max-width: 40rem;
      margin: 0 auto;
      padding: 1rem;
      font-family: system-ui, sans-serif;
    }
    h1 {
      margin: 0 0 1rem;
      font-size: 1.5rem;
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
    button[aria-pressed='true'] {
      background: transparent;
      border-color: currentColor;
      color: inherit;
    }
    button:disabled {
      opacity: 0.6;
      cursor: progress;
    }
    vm-level-meter {
      flex: 1 1 8rem;
    }
    .info {
      margin: 0 0 1.25rem;
      font-size: 0.875rem;
      opacity: 0.75;
      min-height: 1.3em;
    }
  `;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this.stop();
  }

  override render() {
    const running = this.phase === 'running';
    const gaugeState: GaugeState = this.errorMessage ? 'error' : running ? 'listening' : 'idle';
    return html`
      <h1>Valence Monitor</h1>
      <vm-valence-gauge .valence=${null} .state=${gaugeState} .message=${this.errorMessage}></vm-valence-gauge>
      <div class="controls">
        <button
          aria-pressed=${running ? 'true' : 'false'}
          ?disabled=${this.phase === 'starting'}
          @click=${this.toggle}
        >
          ${running ? 'Stop' : 'Start listening'}
        </button>
        <vm-level-meter .level=${this.level} label="Microphone level"></vm-level-meter>
      </div>
      <p class="info">${this.infoText()}</p>
      <vm-valence-timeline .readings=${[]}></vm-valence-timeline>
    `;
  }

  private infoText(): string {
    const s = this.session;
    if (!s) return '';
    const transport = s.mode === 'ring' ? 'shared ring buffer' : 'message fallback';
    const seconds = (this.receivedSamples / s.sampleRate).toFixed(1);
    return `${s.deviceLabel || 'Microphone'} · ${s.sampleRate} Hz · ${transport} · ${seconds} s received`;
  }

  private async toggle(): Promise<void> {
    if (this.phase === 'running') await this.stop();
    else if (this.phase === 'idle') await this.start();
  }

  private async start(): Promise<void> {
    this.phase = 'starting';
    this.errorMessage = undefined;
    this.receivedSamples = 0;
    try {
      const session = await startCapture({
        onLevel: ({ rms }) => (this.level = meterLevel(rms)),
        onChunk: (samples) => (this.receivedSamples += samples.length),
        onEnded: () => this.onStopped('The microphone was disconnected.'),
      });
      this.session = session;
      this.dataset.captureMode = session.mode;
      this.phase = 'running';
      if (session.ring) {
        const ring = session.ring;
        const scratch = new Float32Array(8192);
        this.drainTimer = setInterval(() => {
          let n: number;
          while ((n = ring.pop(scratch)) > 0) this.receivedSamples += n;
        }, DRAIN_INTERVAL_MS);
      }
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
    clearInterval(this.drainTimer);
    this.drainTimer = undefined;
    this.session = null;
    this.phase = 'idle';
    this.level = 0;
    if (message) this.errorMessage = message;
    delete this.dataset.captureMode;
  }
}

customElements.define('vm-app', VmApp);

declare global {
  interface HTMLElementTagNameMap {
    'vm-app': VmApp;
  }
}
