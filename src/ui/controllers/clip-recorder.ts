// Records one calibration clip through the live monitor's capture path (src/audio/capture.ts
// startCapture, with the live settings' microphone and voice processing), in 'message'
// mode so the samples come to the page, where the clip is kept whole. It holds the level
// for a <vm-level-meter> and the seconds so far, and stops by itself after
// MAX_RECORD_SECONDS; the finished clip goes to `onRecorded`.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type CaptureOptions, type CaptureSession, CaptureError, meterLevel, startCapture } from '../../audio/capture.ts';
import type { LiveSettings } from '../../storage/settings-store.ts';

/** A recording stops by itself here: a prompt takes a few seconds to read. */
export const MAX_RECORD_SECONDS = 8;

export interface RecordedAudio {
  /** What was recorded (a prompt id). */
  target: string;
  samples: Float32Array<ArrayBuffer>;
  sampleRate: number;
}

export interface ClipRecorderDeps {
  /** The live monitor's microphone settings, read at each start. */
  settings(): Promise<LiveSettings>;
  /** A recording ended with its audio (not when it failed or was cancelled). */
  onRecorded(audio: RecordedAudio): void;
  /** Opens the capture (tests pass a fake). */
  capture?: (opts: CaptureOptions) => Promise<CaptureSession>;
}

export class ClipRecorderController implements ReactiveController {
  phase: 'idle' | 'starting' | 'recording' = 'idle';
  /** What is being recorded (a prompt id), or null. */
  target: string | null = null;
  /** Microphone level for the meter, 0..1. */
  level = 0;
  /** Seconds recorded so far. */
  seconds = 0;
  /** Why the last recording could not start or ended early ('' for none). */
  error = '';
  private session: CaptureSession | null = null;
  private chunks: Float32Array[] = [];
  private frames = 0;
  /** Counts starts and cancels: a microphone that opens after a cancel is closed again. */
  private attempt = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly deps: ClipRecorderDeps,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.cancel();
  }

  /** Starts recording `target` (from a click: the audio context needs the gesture). Nothing while another runs. */
  async start(target: string): Promise<void> {
    if (this.phase !== 'idle') return;
    const attempt = ++this.attempt;
    this.set(() => {
      this.phase = 'starting';
      this.target = target;
      this.error = '';
      this.seconds = 0;
      this.level = 0;
    });
    this.chunks = [];
    this.frames = 0;
    try {
      const s = await this.deps.settings();
      const vp = s.voiceProcessing;
      const session = await (this.deps.capture ?? startCapture)({
        deviceId: s.deviceId || undefined,
        echoCancellation: vp,
        noiseSuppression: vp,
        autoGainControl: vp,
        ring: 'message',
        onLevel: ({ rms }) => this.set(() => (this.level = meterLevel(rms))),
        onChunk: (samples) => this.chunk(samples),
        onEnded: () => this.fail('The microphone was disconnected: the clip was not kept.'),
      });
      if (attempt !== this.attempt) {
        await session.stop(); // cancelled while the microphone opened
        return;
      }
      this.session = session;
      this.set(() => (this.phase = 'recording'));
    } catch (e) {
      this.fail(e instanceof CaptureError ? e.message : `The recording could not start: ${(e as Error).message}`);
    }
  }

  /** Stops and hands the clip to onRecorded. */
  async stop(): Promise<void> {
    const session = this.session;
    if (this.phase !== 'recording' || !session) return;
    const target = this.target!;
    this.session = null;
    await session.stop();
    const samples = new Float32Array(this.frames);
    let at = 0;
    for (const c of this.chunks) {
      samples.set(c, at);
      at += c.length;
    }
    this.chunks = [];
    this.reset();
    this.deps.onRecorded({ target, samples, sampleRate: session.sampleRate });
  }

  /** Stops without keeping anything. */
  cancel(): void {
    this.attempt++;
    void this.session?.stop();
    this.session = null;
    this.chunks = [];
    if (this.phase !== 'idle') this.reset();
  }

  private chunk(samples: Float32Array): void {
    const session = this.session;
    if (this.phase !== 'recording' || !session) return;
    const limit = MAX_RECORD_SECONDS * session.sampleRate;
    const kept = samples.slice(0, Math.max(0, limit - this.frames));
    this.chunks.push(kept);
    this.frames += kept.length;
    this.set(() => (this.seconds = this.frames / session.sampleRate));
    if (this.frames >= limit) void this.stop();
  }

  private fail(message: string): void {
    this.cancel();
    this.set(() => (this.error = message));
  }

  private reset(): void {
    this.set(() => {
      this.phase = 'idle';
      this.target = null;
      this.level = 0;
    });
  }

  private set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }
}
