// The live session of the app: opens the microphone (src/audio/capture.ts), hands its ring
// (or, without cross-origin isolation, its posted chunks) to the analysis worker, and keeps
// what comes back: the readings, the level, the counts, the latency and the errors. It owns
// the worker's page side (AnalysisClient), which the other controllers use through `client`.
// Each reading is dispatched from the host as a `vm-reading` event once it is painted.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type CaptureSession, CaptureError, meterLevel, startCapture } from '../../audio/capture.ts';
import { AnalysisClient } from '../../worker/client.ts';
import type { LiveReading, ModelStatusMessage, ReadingMessage, WorkerMessage } from '../../worker/protocol.ts';
import type { Reading } from '../timeline-geometry.ts';
import type { MonitorState, SessionPhase } from '../reading-text.ts';
import { DEFAULT_LIVE_SETTINGS, type LiveSettings } from '../../storage/settings-store.ts';

export type { LiveSettings } from '../../storage/settings-store.ts';

/** Detail of the `vm-reading` event. */
export interface ReadingEventDetail {
  reading: LiveReading;
  /** From the reading's last input sample entering the ring to the gauge painted (ms). */
  latencyMs: number;
}

/** What the session tells the rest of the app. */
export interface LiveSessionHooks {
  /** The worker's model status changed. */
  onModelStatus(status: ModelStatusMessage): void;
  /** A reading of the running session arrived (before it is shown). */
  onReading(reading: LiveReading): void;
  /** A session started listening. */
  onStarted(): void;
  /** The running session ended: stopped, or the microphone went away. */
  onEnded(): void;
}

const KEEP_SECONDS = 300; // session audio kept for download (from the start)
const MAX_READINGS = 20_000; // timeline history (about 2.8 h at 0.5 s)

const epochNow = () => performance.timeOrigin + performance.now();
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

export class LiveSessionController implements ReactiveController {
  phase: SessionPhase = 'idle';
  /** Microphone level for the meter, 0..1. */
  level = 0;
  receivedSamples = 0;
  /** Samples the ring dropped this session. */
  overruns = 0;
  /** Reading points skipped to keep up this session. */
  skipped = 0;
  errorMessage: string | undefined = undefined;
  last: LiveReading | null = null;
  /** The session's timeline (smoothed valence and arousal; null: no speech). */
  readings: readonly Reading[] = [];
  lastLatencyMs: number | null = null;
  /** A session has run, so the worker holds audio to download. */
  hasAudio = false;
  settings: LiveSettings = { ...DEFAULT_LIVE_SETTINGS };
  /** The open capture while listening. */
  capture: CaptureSession | null = null;
  /** The analysis worker while the host is connected. */
  client: AnalysisClient | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly hooks: LiveSessionHooks,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.client = new AnalysisClient((m) => this.onWorkerMessage(m));
  }

  hostDisconnected(): void {
    void this.stop();
    this.client?.terminate();
    this.client = null;
  }

  /** The gauge's inputs, given the model status (held by the model library). */
  monitorState(model: ModelStatusMessage): MonitorState {
    return { phase: this.phase, errorMessage: this.errorMessage, model, last: this.last, hopSeconds: this.settings.hopSeconds };
  }

  setSettings(change: Partial<LiveSettings>): void {
    this.settings = { ...this.settings, ...change };
    this.host.requestUpdate();
  }

  async toggle(): Promise<void> {
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
    this.host.requestUpdate();
    try {
      const { deviceId, voiceProcessing: vp, hopSeconds, smoothingSeconds } = this.settings;
      const capture = await startCapture({
        deviceId: deviceId || undefined,
        echoCancellation: vp,
        noiseSuppression: vp,
        autoGainControl: vp,
        onLevel: ({ rms }) => this.update(() => (this.level = meterLevel(rms))),
        onOverrun: (total) => this.update(() => (this.overruns = total)),
        onChunk: (samples) => client.chunk(samples as Float32Array<ArrayBuffer>),
        onEnded: () => this.onStopped('The microphone was disconnected.'),
      });
      this.capture = capture;
      client.start({ inputRate: capture.sampleRate, ring: capture.ring?.storage, hopSeconds, smoothingSeconds, keepSeconds: KEEP_SECONDS });
      this.hasAudio = true;
      this.host.dataset.captureMode = capture.mode;
      this.phase = 'running';
      this.hooks.onStarted();
    } catch (error) {
      this.phase = 'idle';
      this.errorMessage = error instanceof CaptureError ? error.message : String(error);
    }
    this.host.requestUpdate();
  }

  async stop(): Promise<void> {
    const capture = this.capture;
    this.onStopped();
    await capture?.stop();
  }

  private onStopped(message?: string): void {
    const wasRunning = this.phase === 'running';
    this.client?.stop();
    this.capture = null;
    this.phase = 'idle';
    this.level = 0;
    if (message) this.errorMessage = message;
    delete this.host.dataset.captureMode;
    this.host.requestUpdate();
    if (wasRunning) this.hooks.onEnded();
  }

  private update(change: () => void): void {
    change();
    this.host.requestUpdate();
  }

  private onWorkerMessage(m: WorkerMessage): void {
    switch (m.type) {
      case 'model':
        this.hooks.onModelStatus(m);
        break;
      case 'progress':
        this.update(() => {
          this.receivedSamples = m.inputSamples;
          this.skipped = m.skipped;
        });
        // For tools (npm run soak): the worker's tensor count, which a leak would grow.
        if (m.tensors !== null) this.host.dataset.workerTensors = String(m.tensors);
        break;
      case 'reading':
        if (this.phase === 'running') {
          this.hooks.onReading(m.reading);
          void this.showReading(m);
        }
        break;
      case 'error':
        this.update(() => (this.errorMessage = m.message));
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
    this.readings = [...readings, { t: r.time, valence: r.speech ? r.smoothed : null, arousal: r.speech ? r.smoothedArousal : null }];
    this.host.requestUpdate();
    await this.host.updateComplete;
    await nextFrame(); // painted
    const latencyMs = epochNow() - m.inputAt;
    this.update(() => (this.lastLatencyMs = latencyMs));
    this.host.dispatchEvent(
      new CustomEvent<ReadingEventDetail>('vm-reading', { detail: { reading: r, latencyMs }, bubbles: true, composed: true }),
    );
  }
}
