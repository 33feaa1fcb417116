// The capture processor in Node, with a stand-in for the AudioWorkletGlobalScope: the
// test installs the globals it uses, then imports the module, which registers the class.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CAPTURE_PROCESSOR_NAME,
  type CaptureProcessorMessage,
  type CaptureProcessorOptions,
  type ChunkMessage,
  type LevelMessage,
} from './capture-protocol.ts';
import { Float32RingBuffer, createRingBufferStorage, type RingLevel } from './ring-buffer.ts';
import { heapBytesPerCall } from './test-support.ts';

const RATE = 48000;

/** Records what the processor posts; `deliver` plays the main thread sending a message. */
class FakePort {
  posted: { message: CaptureProcessorMessage; transfer: Transferable[] }[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  postMessage(message: CaptureProcessorMessage, transfer: Transferable[] = []): void {
    this.posted.push({ message, transfer });
  }
  deliver(data: unknown): void {
    this.onmessage?.({ data });
  }
  levels(): LevelMessage[] {
    return this.posted.map((p) => p.message).filter((m): m is LevelMessage => m.type === 'level');
  }
  chunks(): ChunkMessage[] {
    return this.posted.map((p) => p.message).filter((m): m is ChunkMessage => m.type === 'chunk');
  }
}

type Processor = AudioWorkletProcessorImpl & { port: FakePort };
type ProcessorCtor = new (options: AudioWorkletNodeOptions) => Processor;
let Registered: ProcessorCtor | null = null;
let registeredName = '';
const scope = globalThis as Record<string, unknown>;

beforeAll(async () => {
  class FakeAudioWorkletProcessor {
    readonly port = new FakePort();
  }
  scope.AudioWorkletProcessor = FakeAudioWorkletProcessor;
  scope.sampleRate = RATE;
  scope.currentFrame = 0;
  scope.registerProcessor = (name: string, ctor: ProcessorCtor) => {
    registeredName = name;
    Registered = ctor;
  };
  await import('./capture-processor.ts');
});

beforeEach(() => {
  scope.currentFrame = 0;
});

function create(options: CaptureProcessorOptions = {}): Processor {
  if (!Registered) throw new Error('processor not registered');
  return new Registered({ processorOptions: options });
}

/** Runs quanta through the processor; `channelsFor(q)` gives quantum q's input channels. */
function run(p: Processor, quanta: number, channelsFor: (q: number) => Float32Array[]): void {
  for (let q = 0; q < quanta; q++) {
    expect(p.process([channelsFor(q)], [], {})).toBe(true);
    scope.currentFrame = (scope.currentFrame as number) + 128;
  }
}

/**
 * A level as the page sees it: from the ring's header, with the overrun count of that
 * moment and the frame at the end of the quantum that published it.
 */
type HeaderLevel = RingLevel & { overruns: number; frame: number };

/** run(), reading the ring's header after each quantum, as the page's poller does; returns each new level. */
function runReadingLevels(p: Processor, storage: SharedArrayBuffer, quanta: number, channelsFor: (q: number) => Float32Array[]): HeaderLevel[] {
  const page = new Float32RingBuffer(storage);
  const levels: HeaderLevel[] = [];
  for (let q = 0; q < quanta; q++) {
    run(p, 1, () => channelsFor(q));
    const level = page.readLevel();
    if (level && level.sequence !== levels.at(-1)?.sequence) {
      levels.push({ ...level, overruns: page.overruns, frame: scope.currentFrame as number });
    }
  }
  return levels;
}

/** A ramp that continues across quanta, so order and continuity are checkable. */
const ramp = (q: number, scale = 1e-4) => Float32Array.from({ length: 128 }, (_, i) => (q * 128 + i) * scale);

describe('capture processor', () => {
  it('registers under the shared name', () => {
    expect(registeredName).toBe(CAPTURE_PROCESSOR_NAME);
  });

  it('writes each quantum into the ring in order, averaging stereo to mono', () => {
    const storage = createRingBufferStorage(4096);
    const p = create({ ring: storage });
    run(p, 10, (q) => [ramp(q), ramp(q).map((v) => -v + 0.5)]);
    const consumer = new Float32RingBuffer(storage);
    expect(consumer.availableRead()).toBe(1280);
    const out = new Float32Array(1280);
    consumer.pop(out);
    // (x + (0.5 - x)) / 2, rounded to float32 as the batch path's toMono() does.
    for (const v of out) expect(v).toBe(Math.fround(0.25));
    expect(p.port.chunks()).toHaveLength(0);
  });

  it('passes a mono input through unchanged and treats no input as silence', () => {
    const storage = createRingBufferStorage(512);
    const p = create({ ring: storage });
    run(p, 2, (q) => [ramp(q)]);
    run(p, 1, () => []);
    const out = new Float32Array(384);
    expect(new Float32RingBuffer(storage).pop(out)).toBe(384);
    expect(Array.from(out.subarray(0, 256))).toEqual(Array.from(Float32Array.from({ length: 256 }, (_, i) => i * 1e-4)));
    expect(out.subarray(256).every((v) => v === 0)).toBe(true);
  });

  it('drops what does not fit in a full ring and counts it', () => {
    const storage = createRingBufferStorage(300);
    const p = create({ ring: storage, levelIntervalMs: 1000 / RATE * 128 }); // a level every quantum
    const levels = runReadingLevels(p, storage, 4, (q) => [ramp(q)]);
    const consumer = new Float32RingBuffer(storage);
    expect(consumer.availableRead()).toBe(300);
    expect(consumer.overruns).toBe(4 * 128 - 300);
    expect(levels.map((l) => l.overruns)).toEqual([0, 0, 84, 212]);
    // The samples kept are the oldest ones: the producer cannot discard unread samples.
    const out = new Float32Array(300);
    consumer.pop(out);
    expect(out[299]).toBe(Math.fround(299 * 1e-4));
  });

  it('without a ring, posts transferable batches of whole quanta that add up to the input', () => {
    const p = create({ quantaPerChunk: 4 });
    run(p, 10, (q) => [ramp(q)]);
    const chunks = p.port.chunks();
    expect(chunks.map((c) => c.samples.length)).toEqual([512, 512]);
    const transfers = p.port.posted.filter((m) => m.message.type === 'chunk').map((m) => m.transfer);
    expect(transfers.every((t, i) => t.length === 1 && t[0] === chunks[i].samples.buffer)).toBe(true);
    // Stop sends the rest (2 quanta), and the processor asks to be released.
    p.port.deliver({ type: 'stop' });
    expect(p.process([[ramp(10)]], [], {})).toBe(false);
    const all = p.port.chunks();
    expect(all.map((c) => c.samples.length)).toEqual([512, 512, 256]);
    const joined = new Float32Array(1280);
    let at = 0;
    for (const c of all) {
      joined.set(c.samples, at);
      at += c.samples.length;
    }
    expect(Array.from(joined)).toEqual(Array.from(Float32Array.from({ length: 1280 }, (_, i) => i * 1e-4)));
  });

  /** The levels of `quanta` quanta, from the ring's header or, without a ring, the port's messages. */
  function levelsOf(transport: 'ring' | 'message', quanta: number, channelsFor: (q: number) => Float32Array[]) {
    if (transport === 'message') {
      const p = create();
      run(p, quanta, channelsFor);
      return p.port.levels().map((l) => ({ ...l, overruns: 0 }));
    }
    const storage = createRingBufferStorage(RATE);
    const p = create({ ring: storage });
    const levels = runReadingLevels(p, storage, quanta, channelsFor);
    expect(p.port.levels()).toHaveLength(0); // with a ring, the level is in its header only
    return levels;
  }

  for (const transport of ['ring', 'message'] as const) {
    it(`publishes RMS and peak of the mono mix about every 50 ms (${transport})`, () => {
      // A full-scale square wave: RMS = peak = 0.5 after averaging with a silent channel.
      const square = Float32Array.from({ length: 128 }, (_, i) => (i % 2 ? 1 : -1));
      const levels = levelsOf(transport, Math.ceil(RATE / 128), () => [square, new Float32Array(128)]); // one second
      expect(levels.length).toBeGreaterThanOrEqual(19);
      expect(levels.length).toBeLessThanOrEqual(20);
      for (const l of levels) {
        expect(l.rms).toBeCloseTo(0.5, 6);
        expect(l.peak).toBe(0.5);
        expect(l.overruns).toBe(0);
      }
      // Each level covers at least 50 ms of audio.
      const gaps = levels.slice(1).map((l, i) => l.frame - levels[i].frame);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0.05 * RATE);
    });

    it(`reports silence as zero level (${transport})`, () => {
      expect(levelsOf(transport, 40, () => [new Float32Array(128)])[0]).toMatchObject({ rms: 0, peak: 0 });
    });
  }

  it('with a ring, process() posts nothing and allocates nothing, once warm', () => {
    const storage = createRingBufferStorage(4096);
    const p = create({ ring: storage });
    const consumer = new Float32RingBuffer(storage);
    const inputs = [[ramp(0), ramp(1)]];
    const outputs: Float32Array[][] = [];
    const parameters = {};
    const out = new Float32Array(128);
    let ok = true;
    // The page's side pops each quantum, so the ring never fills; a level goes out every 19 quanta.
    const quantum = () => {
      ok = p.process(inputs, outputs, parameters) && ok;
      consumer.pop(out);
    };
    // Under 1 byte per quantum: one object per quantum would be 16 bytes or more.
    expect(heapBytesPerCall(quantum)).toBeLessThan(1);
    expect(ok).toBe(true);
    expect(p.port.posted).toHaveLength(0);
    expect(consumer.readLevel()?.sequence).toBeGreaterThan(0);
  });
});
