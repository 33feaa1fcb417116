// The capture AudioWorkletProcessor: mixes each render quantum of the microphone to mono
// (average of the channels, as SPEC section 1 and src/dsp/mono.ts do) and hands it on,
// nothing else: no analysis on the audio thread.
//
// With a ring (cross-origin isolated page) each quantum goes into the shared ring buffer
// and the level (RMS and peak of the mono mix, for the meter) into the ring's header about
// every 50 ms; the processor then allocates nothing per quantum (capture-processor.test.ts
// checks the heap). Samples that do not fit are dropped and counted as overruns. Without a
// ring, quanta are batched and the batch's buffer is transferred over the port, which
// allocates one new batch buffer per message, and the level goes out as a message.
import {
  CAPTURE_PROCESSOR_NAME,
  levelIntervalMs,
  type CaptureProcessorOptions,
  type ChunkMessage,
  type LevelMessage,
  type StopCommand,
} from './capture-protocol.ts';
import { Float32RingBuffer } from './ring-buffer.ts';

const RENDER_QUANTUM = 128; // Web Audio's quantum; an input's actual length wins if it differs
const DEFAULT_QUANTA_PER_CHUNK = 16;

const scope = globalThis as unknown as AudioWorkletScope;

export class CaptureProcessor extends AudioWorkletProcessor {
  private readonly ring: Float32RingBuffer | null;
  private mono = new Float32Array(RENDER_QUANTUM);
  private readonly chunkLength: number;
  private chunk: Float32Array<ArrayBuffer> | null;
  private chunkFill = 0;
  private readonly levelFrames: number;
  private levelCount = 0;
  private levelSumSquares = 0;
  private levelPeak = 0;
  /** [rms, peak] for the ring's header (see Float32RingBuffer.publishLevel). */
  private readonly level = new Float32Array(2);
  private stopped = false;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const opts = (options.processorOptions ?? {}) as CaptureProcessorOptions;
    this.ring = opts.ring ? new Float32RingBuffer(opts.ring) : null;
    const quanta = positiveInteger(opts.quantaPerChunk, DEFAULT_QUANTA_PER_CHUNK);
    this.chunkLength = quanta * RENDER_QUANTUM;
    this.chunk = this.ring ? null : new Float32Array(this.chunkLength);
    this.levelFrames = Math.max(1, Math.round((scope.sampleRate * levelIntervalMs(opts.levelIntervalMs)) / 1000));
    this.port.onmessage = (event: MessageEvent<StopCommand>) => {
      if (event.data?.type === 'stop') this.stop();
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const channels = inputs[0] ?? [];
    // No channels means nothing is connected: that is silence, and keeping it keeps the
    // sample count in step with the clock.
    const length = channels.length > 0 ? channels[0].length : RENDER_QUANTUM;
    if (this.mono.length !== length) this.mono = new Float32Array(length); // only if the quantum size changes
    const mono = this.mono;
    mixToMono(channels, mono);

    if (this.ring) {
      const pushed = this.ring.push(mono, length);
      this.ring.recordOverrun(length - pushed);
    } else {
      this.appendToChunk(mono, length);
    }
    this.measureLevel(mono, length);
    return true;
  }

  private appendToChunk(samples: Float32Array, length: number): void {
    let done = 0;
    while (done < length) {
      const chunk = this.chunk ?? (this.chunk = new Float32Array(this.chunkLength));
      const n = Math.min(length - done, this.chunkLength - this.chunkFill);
      for (let i = 0; i < n; i++) chunk[this.chunkFill + i] = samples[done + i];
      this.chunkFill += n;
      done += n;
      if (this.chunkFill === this.chunkLength) this.sendChunk(chunk);
    }
  }

  private sendChunk(samples: Float32Array<ArrayBuffer>): void {
    const message: ChunkMessage = { type: 'chunk', samples };
    this.port.postMessage(message, [samples.buffer]);
    this.chunk = null;
    this.chunkFill = 0;
  }

  private measureLevel(samples: Float32Array, length: number): void {
    let sum = this.levelSumSquares;
    let peak = this.levelPeak;
    for (let i = 0; i < length; i++) {
      const v = samples[i];
      sum += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    this.levelSumSquares = sum;
    this.levelPeak = peak;
    this.levelCount += length;
    if (this.levelCount >= this.levelFrames) {
      const rms = Math.sqrt(sum / this.levelCount);
      if (this.ring) {
        this.level[0] = rms;
        this.level[1] = peak;
        this.ring.publishLevel(this.level);
      } else {
        const message: LevelMessage = { type: 'level', rms, peak, frame: scope.currentFrame + length };
        this.port.postMessage(message);
      }
      this.levelCount = 0;
      this.levelSumSquares = 0;
      this.levelPeak = 0;
    }
  }

  /** Sends a partly filled batch, then makes process() return false so the node can be collected. */
  private stop(): void {
    if (this.chunk && this.chunkFill > 0) this.sendChunk(this.chunk.slice(0, this.chunkFill));
    this.chunk = null;
    this.stopped = true;
  }
}

/** Averages the channels into `out` (silence when there are none), summing as toMono() does. */
export function mixToMono(channels: readonly Float32Array[], out: Float32Array): void {
  const count = channels.length;
  const length = out.length;
  if (count === 0) {
    out.fill(0);
  } else if (count === 1) {
    out.set(channels[0]);
  } else {
    const scale = 1 / count;
    for (let i = 0; i < length; i++) {
      let s = 0;
      for (let c = 0; c < count; c++) s += channels[c][i];
      out[i] = s * scale;
    }
  }
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

registerProcessor(CAPTURE_PROCESSOR_NAME, CaptureProcessor);
