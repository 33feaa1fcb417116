// Main-thread side of microphone capture: getUserMedia, the AudioContext, loading the
// capture worklet and wiring its node, and stopping all of it again. It holds no global
// state: everything lives in the CaptureSession that startCapture() returns. The browser
// APIs come in through a CaptureEnvironment so tests can pass fakes. Levels come from the
// ring's header on a ring (level-poller.ts), else as messages from the worklet.
import processorUrl from './capture-processor.ts?worker&url';
import {
  CAPTURE_PROCESSOR_NAME,
  levelIntervalMs,
  type CaptureProcessorMessage,
  type CaptureProcessorOptions,
  type StopCommand,
} from './capture-protocol.ts';
import { RingLevelPoller } from './level-poller.ts';
import { Float32RingBuffer, createRingBufferStorage } from './ring-buffer.ts';

/** Why capture could not start; `message` is written for the user. */
export type CaptureErrorKind =
  /** The user or a policy refused the microphone (NotAllowedError, SecurityError). */
  | 'permission-denied'
  /** No microphone, or none that meets the constraints (NotFoundError, OverconstrainedError). */
  | 'no-microphone'
  /** The microphone exists but cannot be opened, e.g. another app holds it (NotReadableError). */
  | 'device-busy'
  /** The browser or page lacks what capture needs (insecure context, no AudioWorklet). */
  | 'not-supported'
  /** Anything else; `cause` holds the original error. */
  | 'failed';

export class CaptureError extends Error {
  override name = 'CaptureError';
  readonly kind: CaptureErrorKind;

  constructor(kind: CaptureErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** Maps what getUserMedia, addModule and friends throw to a CaptureError. */
export function toCaptureError(error: unknown): CaptureError {
  if (error instanceof CaptureError) return error;
  // Read name and message structurally: some browsers' OverconstrainedError is no Error.
  const name = stringField(error, 'name');
  const detail = stringField(error, 'message') || (typeof error === 'string' ? error : '');
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError': // pre-standard Chrome name
    case 'SecurityError':
      return new CaptureError(
        'permission-denied',
        'Microphone access was denied. Allow the microphone for this site in the browser settings, then try again.',
        { cause: error },
      );
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new CaptureError('no-microphone', 'No microphone was found. Connect one (or pick another) and try again.', {
        cause: error,
      });
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new CaptureError(
        'device-busy',
        'The microphone could not be opened. Another application may be using it.',
        { cause: error },
      );
    default:
      return new CaptureError('failed', `Audio capture failed: ${detail || name || 'unknown error'}`, { cause: error });
  }
}

function stringField(value: unknown, key: 'name' | 'message'): string {
  if (typeof value !== 'object' || value === null) return '';
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : '';
}

/** Input level over the last ~50 ms, from the worklet. */
export interface CaptureLevel {
  /** Root mean square of the mono mix, linear full scale (0..1). */
  rms: number;
  /** Largest absolute sample, linear full scale (0..1). */
  peak: number;
}

export interface CaptureOptions {
  /** Microphone to open (a deviceId from listMicrophones()); the default one when absent. */
  deviceId?: string;
  /**
   * Browser voice processing. All off by default: the analysis must see the voice as it
   * is, and automatic gain control would flatten the loudness the model may rely on.
   */
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
  /**
   * Where the samples go. 'auto' (default): a shared ring when the page is cross-origin
   * isolated, else `onChunk` messages. 'message': always `onChunk`. A SharedArrayBuffer
   * from createRingBufferStorage(): that ring (e.g. one a worker already holds).
   */
  ring?: 'auto' | 'message' | SharedArrayBuffer;
  /** Capacity of the ring that 'auto' creates, in seconds of audio (default 4). */
  ringSeconds?: number;
  /** Render quanta (128 samples) per onChunk call without a ring (default 16). */
  quantaPerChunk?: number;
  /** Milliseconds between onLevel calls (default 50). */
  levelIntervalMs?: number;
  /** Input level, about every levelIntervalMs. */
  onLevel?: (level: CaptureLevel) => void;
  /** The ring dropped samples: `total` so far, `added` since the last call. */
  onOverrun?: (total: number, added: number) => void;
  /** Mono samples at session.sampleRate, in order; only without a ring. */
  onChunk?: (samples: Float32Array) => void;
  /** The microphone went away (unplugged, permission revoked); the session has stopped. */
  onEnded?: () => void;
}

/** A running capture. Stop it with stop(); everything it opened is closed then. */
export interface CaptureSession {
  /** The AudioContext's actual sample rate (Hz): the rate of every sample delivered. */
  readonly sampleRate: number;
  /** 'ring': samples go into `ring`; 'message': they come through onChunk. */
  readonly mode: 'ring' | 'message';
  /** The ring being filled (hand `ring.storage` to the consumer), or null in 'message' mode. */
  readonly ring: Float32RingBuffer | null;
  /** Label of the microphone in use (empty if the browser hides it). */
  readonly deviceLabel: string;
  /** What the browser actually applied (echoCancellation etc. may differ from the request). */
  readonly settings: MediaTrackSettings;
  readonly context: AudioContext;
  readonly node: AudioWorkletNode;
  readonly stream: MediaStream;
  readonly stopped: boolean;
  /** Stops the tracks and closes the AudioContext. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The browser APIs capture uses; tests replace them with fakes. */
export interface CaptureEnvironment {
  mediaDevices: MediaDevices | undefined;
  crossOriginIsolated: boolean;
  /** URL of the built worklet module. */
  processorUrl: string;
  createContext(): AudioContext;
  createWorkletNode(context: AudioContext, name: string, options: AudioWorkletNodeOptions): AudioWorkletNode;
}

/** The real browser, read when called (nothing is cached). */
export function browserCaptureEnvironment(): CaptureEnvironment {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  return {
    mediaDevices: nav?.mediaDevices,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    processorUrl,
    createContext: () => {
      if (typeof AudioContext === 'undefined') {
        throw new CaptureError('not-supported', 'This browser lacks the Web Audio API, which live capture needs.');
      }
      return new AudioContext({ latencyHint: 'interactive' });
    },
    createWorkletNode: (context, name, options) => new AudioWorkletNode(context, name, options),
  };
}

const DEFAULT_RING_SECONDS = 4;

/**
 * Opens the microphone and starts streaming its mono samples into a ring (or onChunk).
 * Call it from a user gesture (a click), so the AudioContext may start. Rejects with a
 * CaptureError; on failure everything opened so far is closed again.
 */
export async function startCapture(
  opts: CaptureOptions = {},
  env: CaptureEnvironment = browserCaptureEnvironment(),
): Promise<CaptureSession> {
  if (!env.mediaDevices?.getUserMedia) {
    throw new CaptureError(
      'not-supported',
      'This browser cannot record from a microphone here (it needs a secure https:// page and a current browser).',
    );
  }
  if (opts.ringSeconds !== undefined && !(opts.ringSeconds > 0)) {
    throw new RangeError(`ringSeconds must be positive, got ${opts.ringSeconds}`);
  }
  const givenRing = isSharedArrayBuffer(opts.ring) ? opts.ring : null;
  const useRing = givenRing !== null || ((opts.ring ?? 'auto') === 'auto' && env.crossOriginIsolated);

  let context: AudioContext | null = null;
  let stream: MediaStream | null = null;
  try {
    // Created before the first await, while the click's user activation certainly holds.
    context = env.createContext();
    if (!context.audioWorklet) {
      throw new CaptureError('not-supported', 'This browser lacks AudioWorklet, which live capture needs.');
    }
    stream = await env.mediaDevices.getUserMedia({ audio: audioConstraints(opts), video: false });
    await context.audioWorklet.addModule(env.processorUrl);

    const ring = useRing
      ? new Float32RingBuffer(
          givenRing ??
            createRingBufferStorage(Math.ceil((opts.ringSeconds ?? DEFAULT_RING_SECONDS) * context.sampleRate)),
        )
      : null;
    const processorOptions: CaptureProcessorOptions = {
      ring: ring?.storage,
      quantaPerChunk: opts.quantaPerChunk,
      levelIntervalMs: opts.levelIntervalMs,
    };
    // No outputs: the node only listens, so nothing reaches the speakers; Chromium pulls
    // an output-less AudioWorkletNode by itself.
    const node = env.createWorkletNode(context, CAPTURE_PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCountMode: 'max',
      processorOptions,
    });
    const source = context.createMediaStreamSource(stream);
    source.connect(node);
    if (context.state === 'suspended') await context.resume();
    return new Session(context, stream, node, source, ring, opts);
  } catch (error) {
    stream?.getTracks().forEach((t) => t.stop());
    await context?.close().catch(() => undefined);
    throw toCaptureError(error);
  }
}

// Without cross-origin isolation the SharedArrayBuffer global does not exist at all.
function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer;
}

function audioConstraints(opts: CaptureOptions): MediaTrackConstraints {
  return {
    ...(opts.deviceId ? { deviceId: { exact: opts.deviceId } } : {}),
    echoCancellation: opts.echoCancellation ?? false,
    noiseSuppression: opts.noiseSuppression ?? false,
    autoGainControl: opts.autoGainControl ?? false,
  };
}

class Session implements CaptureSession {
  readonly sampleRate: number;
  readonly mode: 'ring' | 'message';
  readonly deviceLabel: string;
  readonly settings: MediaTrackSettings;
  private readonly levels: RingLevelPoller | null;
  private stopping: Promise<void> | null = null;

  constructor(
    readonly context: AudioContext,
    readonly stream: MediaStream,
    readonly node: AudioWorkletNode,
    private readonly source: MediaStreamAudioSourceNode,
    readonly ring: Float32RingBuffer | null,
    private readonly opts: CaptureOptions,
  ) {
    this.sampleRate = context.sampleRate;
    this.mode = ring ? 'ring' : 'message';
    const track = stream.getAudioTracks()[0];
    this.deviceLabel = track?.label ?? '';
    this.settings = track?.getSettings() ?? {};
    node.port.onmessage = (event: MessageEvent<CaptureProcessorMessage>) => this.onMessage(event.data);
    this.levels = ring ? new RingLevelPoller(ring, levelIntervalMs(opts.levelIntervalMs), opts) : null;
    for (const t of stream.getAudioTracks()) {
      t.addEventListener('ended', () => {
        if (this.stopping) return;
        void this.stop();
        opts.onEnded?.();
      });
    }
  }

  get stopped(): boolean {
    return this.stopping !== null;
  }

  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    const command: StopCommand = { type: 'stop' };
    this.levels?.stop();
    this.node.port.postMessage(command); // flushes a partial chunk in 'message' mode
    this.source.disconnect();
    this.stream.getTracks().forEach((t) => t.stop());
    await this.context.close().catch(() => undefined);
  }

  private onMessage(message: CaptureProcessorMessage): void {
    if (message.type === 'level') {
      this.opts.onLevel?.({ rms: message.rms, peak: message.peak });
    } else if (message.type === 'chunk') {
      this.opts.onChunk?.(message.samples);
    }
  }
}

/** Microphones the browser offers; labels are empty until the user has granted access once. */
export async function listMicrophones(
  mediaDevices: MediaDevices | undefined = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices,
): Promise<{ deviceId: string; label: string; groupId: string }[]> {
  if (!mediaDevices?.enumerateDevices) return [];
  const devices = await mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'audioinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}`, groupId: d.groupId }));
}

/**
 * Maps an RMS level to a 0..1 meter position on a dB scale: `floorDb` (default -60 dBFS)
 * and below is 0, full scale is 1. A linear meter would sit near zero for normal speech.
 */
export function meterLevel(rms: number, floorDb = -60): number {
  if (!(rms > 0)) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, 1 - db / floorDb));
}
