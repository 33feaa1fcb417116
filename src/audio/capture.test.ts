// startCapture() against fake browser APIs: constraints, ring or message mode, error
// mapping, cleanup on failure, and what the session forwards from the worklet (levels from
// the ring's header, polled on a timer: the tests run on fake timers).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureProcessorMessage, CaptureProcessorOptions, StopCommand } from './capture-protocol.ts';
import { CAPTURE_PROCESSOR_NAME } from './capture-protocol.ts';
import {
  CaptureError,
  type CaptureEnvironment,
  type CaptureOptions,
  listMicrophones,
  meterLevel,
  startCapture,
  toCaptureError,
} from './capture.ts';
import { Float32RingBuffer, createRingBufferStorage } from './ring-buffer.ts';

class FakeTrack extends EventTarget {
  stopped = false;
  readonly label = 'Fake mic';
  stop(): void {
    this.stopped = true;
  }
  getSettings(): MediaTrackSettings {
    return { sampleRate: 48000, echoCancellation: false };
  }
}

class FakePort {
  sent: StopCommand[] = [];
  onmessage: ((event: { data: CaptureProcessorMessage }) => void) | null = null;
  postMessage(message: StopCommand): void {
    this.sent.push(message);
  }
  emit(data: CaptureProcessorMessage): void {
    this.onmessage?.({ data });
  }
}

interface Fakes {
  env: CaptureEnvironment;
  track: FakeTrack;
  context: { closed: number; modules: string[]; state: string; sampleRate: number };
  port: FakePort;
  constraints: MediaStreamConstraints[];
  nodeOptions: AudioWorkletNodeOptions[];
}

function fakes(
  options: { isolated?: boolean; getUserMediaError?: unknown; addModuleError?: unknown; sampleRate?: number } = {},
): Fakes {
  const track = new FakeTrack();
  const stream = { getTracks: () => [track], getAudioTracks: () => [track] };
  const port = new FakePort();
  const constraints: MediaStreamConstraints[] = [];
  const nodeOptions: AudioWorkletNodeOptions[] = [];
  const context = {
    closed: 0,
    modules: [] as string[],
    state: 'suspended',
    sampleRate: options.sampleRate ?? 44100,
    audioWorklet: {
      addModule: async (url: string) => {
        if (options.addModuleError) throw options.addModuleError;
        context.modules.push(url);
      },
    },
    createMediaStreamSource: () => ({ connect: () => undefined, disconnect: () => undefined }),
    resume: async () => {
      context.state = 'running';
    },
    close: async () => {
      context.closed++;
      context.state = 'closed';
    },
  };
  const env: CaptureEnvironment = {
    mediaDevices: {
      getUserMedia: async (c: MediaStreamConstraints) => {
        constraints.push(c);
        if (options.getUserMediaError) throw options.getUserMediaError;
        return stream;
      },
    } as unknown as MediaDevices,
    crossOriginIsolated: options.isolated ?? true,
    processorUrl: '/capture-processor.js',
    createContext: () => context as unknown as AudioContext,
    createWorkletNode: (_context, name, opts) => {
      expect(name).toBe(CAPTURE_PROCESSOR_NAME);
      nodeOptions.push(opts);
      return { port } as unknown as AudioWorkletNode;
    },
  };
  return { env, track, context, port, constraints, nodeOptions };
}

const processorOptions = (f: Fakes) => f.nodeOptions[0].processorOptions as CaptureProcessorOptions;

describe('startCapture', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for the raw voice: echo cancellation, noise suppression and gain control off', async () => {
    const f = fakes();
    await startCapture({}, f.env);
    expect(f.constraints[0]).toEqual({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      video: false,
    });
    const g = fakes();
    await startCapture({ deviceId: 'mic-2', autoGainControl: true }, g.env);
    expect(g.constraints[0].audio).toMatchObject({ deviceId: { exact: 'mic-2' }, autoGainControl: true });
  });

  it('fills a shared ring sized in seconds at the actual rate when the page is isolated', async () => {
    const f = fakes({ sampleRate: 48000 });
    const session = await startCapture({ ringSeconds: 2 }, f.env);
    expect(session.mode).toBe('ring');
    expect(session.sampleRate).toBe(48000);
    expect(session.ring?.capacity).toBe(96000);
    expect(processorOptions(f).ring).toBe(session.ring?.storage);
    expect(f.nodeOptions[0]).toMatchObject({ numberOfInputs: 1, numberOfOutputs: 0 });
    expect(f.context.modules).toEqual(['/capture-processor.js']);
    expect(f.context.state).toBe('running');
    expect(session.deviceLabel).toBe('Fake mic');
  });

  it('uses a ring storage it is given', async () => {
    const f = fakes();
    const storage = createRingBufferStorage(1000);
    const session = await startCapture({ ring: storage }, f.env);
    expect(session.ring?.storage).toBe(storage);
    expect(processorOptions(f).ring).toBe(storage);
  });

  it('falls back to chunk messages without isolation, or when asked', async () => {
    for (const [isolated, ring] of [
      [false, undefined],
      [true, 'message'],
    ] as const) {
      const f = fakes({ isolated });
      const chunks: Float32Array[] = [];
      const session = await startCapture({ ring, onChunk: (c) => chunks.push(c) }, f.env);
      expect(session.mode).toBe('message');
      expect(session.ring).toBeNull();
      expect(processorOptions(f).ring).toBeUndefined();
      f.port.emit({ type: 'chunk', samples: new Float32Array(2048) });
      expect(chunks.map((c) => c.length)).toEqual([2048]);
    }
  });

  it('forwards levels from the ring header, and overruns only when the count grows', async () => {
    const f = fakes();
    const onLevel = vi.fn();
    const onOverrun = vi.fn();
    const session = await startCapture({ onLevel, onOverrun }, f.env);
    const ring = session.ring!;
    let previous = 0;
    // What the worklet does every 50 ms: count what it dropped, publish the level.
    for (const overruns of [0, 0, 128, 128, 384]) {
      ring.recordOverrun(overruns - previous);
      previous = overruns;
      ring.publishLevel(Float32Array.of(0.1, 0.5));
      vi.advanceTimersByTime(50);
    }
    expect(onLevel).toHaveBeenCalledTimes(5);
    expect(onLevel).toHaveBeenLastCalledWith({ rms: Math.fround(0.1), peak: 0.5 }); // the header holds float32
    expect(onOverrun.mock.calls).toEqual([
      [128, 128],
      [384, 256],
    ]);
    // No new level, no call; and after stop() no polling at all.
    vi.advanceTimersByTime(200);
    expect(onLevel).toHaveBeenCalledTimes(5);
    await session.stop();
    ring.publishLevel(Float32Array.of(0.2, 0.5));
    vi.advanceTimersByTime(200);
    expect(onLevel).toHaveBeenCalledTimes(5);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not report a level a given ring held from before the session', async () => {
    const storage = createRingBufferStorage(1000);
    new Float32RingBuffer(storage).publishLevel(Float32Array.of(0.3, 0.6));
    const onLevel = vi.fn();
    await startCapture({ ring: storage, onLevel }, fakes().env);
    vi.advanceTimersByTime(200);
    expect(onLevel).not.toHaveBeenCalled();
  });

  it('forwards level messages without a ring', async () => {
    const f = fakes({ isolated: false });
    const onLevel = vi.fn();
    await startCapture({ onLevel }, f.env);
    for (let i = 0; i < 5; i++) f.port.emit({ type: 'level', rms: 0.1, peak: 0.5, frame: 0 });
    expect(onLevel).toHaveBeenCalledTimes(5);
    expect(onLevel).toHaveBeenLastCalledWith({ rms: 0.1, peak: 0.5 });
  });

  it('stop() stops the tracks, tells the worklet and closes the context, once', async () => {
    const f = fakes();
    const session = await startCapture({}, f.env);
    expect(session.stopped).toBe(false);
    await Promise.all([session.stop(), session.stop()]);
    await session.stop();
    expect(session.stopped).toBe(true);
    expect(f.track.stopped).toBe(true);
    expect(f.context.closed).toBe(1);
    expect(f.port.sent).toEqual([{ type: 'stop' }]);
  });

  it('stops and calls onEnded when the microphone goes away', async () => {
    const f = fakes();
    const onEnded = vi.fn();
    const session = await startCapture({ onEnded }, f.env);
    f.track.dispatchEvent(new Event('ended'));
    expect(onEnded).toHaveBeenCalledOnce();
    expect(session.stopped).toBe(true);
    expect(f.context.closed).toBe(1);
  });

  it.each([
    ['NotAllowedError', 'permission-denied'],
    ['SecurityError', 'permission-denied'],
    ['NotFoundError', 'no-microphone'],
    ['OverconstrainedError', 'no-microphone'],
    ['NotReadableError', 'device-busy'],
    ['TypeError', 'failed'],
  ])('maps a getUserMedia %s to %s and closes the context', async (name, kind) => {
    const f = fakes({ getUserMediaError: new DOMException('nope', name) });
    const error = await startCapture({}, f.env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as CaptureError).kind).toBe(kind);
    expect((error as CaptureError).cause).toBeInstanceOf(DOMException);
    expect(f.context.closed).toBe(1);
  });

  it('stops the tracks again when the worklet fails to load', async () => {
    const f = fakes({ addModuleError: new DOMException('bad module', 'AbortError') });
    await expect(startCapture({}, f.env)).rejects.toBeInstanceOf(CaptureError);
    expect(f.track.stopped).toBe(true);
    expect(f.context.closed).toBe(1);
  });

  it('says "not supported" without mediaDevices (insecure page, old browser)', async () => {
    const f = fakes();
    const error = await startCapture({}, { ...f.env, mediaDevices: undefined }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CaptureError', kind: 'not-supported' });
  });

  it('rejects a non-positive ringSeconds', async () => {
    await expect(startCapture({ ringSeconds: 0 } as CaptureOptions, fakes().env)).rejects.toThrow(RangeError);
  });
});

describe('toCaptureError', () => {
  it('reads the name of error-like objects that are not Errors', () => {
    expect(toCaptureError({ name: 'OverconstrainedError', constraint: 'deviceId' }).kind).toBe('no-microphone');
    expect(toCaptureError('weird').message).toContain('weird');
    const e = new CaptureError('not-supported', 'x');
    expect(toCaptureError(e)).toBe(e);
  });
});

describe('listMicrophones', () => {
  it('lists audio inputs only and names unlabelled ones', async () => {
    const devices = [
      { kind: 'audioinput', deviceId: 'a', label: '', groupId: 'g' },
      { kind: 'videoinput', deviceId: 'v', label: 'cam', groupId: 'g' },
      { kind: 'audioinput', deviceId: 'b', label: 'USB mic', groupId: 'h' },
    ];
    const mics = await listMicrophones({ enumerateDevices: async () => devices } as unknown as MediaDevices);
    expect(mics).toEqual([
      { deviceId: 'a', label: 'Microphone 1', groupId: 'g' },
      { deviceId: 'b', label: 'USB mic', groupId: 'h' },
    ]);
    expect(await listMicrophones(undefined)).toEqual([]);
  });
});

describe('meterLevel', () => {
  it('maps RMS to 0..1 on a -60 dBFS scale', () => {
    expect(meterLevel(0)).toBe(0);
    expect(meterLevel(1e-4)).toBe(0);
    expect(meterLevel(1)).toBe(1);
    expect(meterLevel(2)).toBe(1);
    expect(meterLevel(0.1)).toBeCloseTo(2 / 3, 10);
    expect(meterLevel(Number.NaN)).toBe(0);
  });
});
