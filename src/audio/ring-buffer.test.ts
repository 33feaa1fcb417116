import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { Float32RingBuffer, createRingBufferStorage } from './ring-buffer.ts';
import type { RingWorkerResult, RingWorkerTask } from './test-support-ring-worker.ts';
import { heapBytesPerCall } from './test-support.ts';

function ring(capacity: number): Float32RingBuffer {
  return new Float32RingBuffer(createRingBufferStorage(capacity));
}

function seq(from: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => from + i);
}

// Node 20 does not apply `--import tsx` to a worker's entry module, so a tiny JS bootstrap
// registers tsx's loader in the worker and then imports the TypeScript helper ('tsx' is a
// devDependency, resolved from the repository root where the tests run).
const TSX_API = 'tsx/esm/api';
const WORKER_URL = new URL('./test-support-ring-worker.ts', import.meta.url).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); })`;

/** Runs one side of a shared ring in a worker thread. */
function runSide(task: RingWorkerTask): Promise<RingWorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: task });
    worker.once('message', (result: RingWorkerResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`ring worker (${task.role}) exited with code ${code}`));
    });
  });
}

async function runPair(mode: RingWorkerTask['mode'], capacity: number, total: number, seed: number, maxChunk: number) {
  const storage = createRingBufferStorage(capacity);
  const control = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const base = { mode, storage, control, total, seed, maxChunk };
  const [producer, consumer] = await Promise.all([
    runSide({ ...base, role: 'producer' }),
    runSide({ ...base, role: 'consumer' }),
  ]);
  return { producer, consumer, ring: new Float32RingBuffer(storage) };
}

describe('Float32RingBuffer, one thread', () => {
  it('starts empty with the capacity it was created with', () => {
    const r = ring(10);
    expect(r.capacity).toBe(10);
    expect(r.availableRead()).toBe(0);
    expect(r.availableWrite()).toBe(10);
    expect(r.overruns).toBe(0);
    expect(r.pop(new Float32Array(4))).toBe(0);
  });

  it('fills up to its capacity, refuses more, and gives the samples back in order', () => {
    const r = ring(8);
    expect(r.push(seq(0, 5))).toBe(5);
    expect(r.push(seq(5, 5))).toBe(3); // only 3 fit
    expect(r.availableRead()).toBe(8);
    expect(r.availableWrite()).toBe(0);
    expect(r.push(seq(99, 1))).toBe(0);
    const out = new Float32Array(10);
    expect(r.pop(out)).toBe(8);
    expect(Array.from(out.subarray(0, 8))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(r.availableRead()).toBe(0);
    expect(r.availableWrite()).toBe(8);
  });

  it('keeps the order across many wraparounds with uneven chunk sizes', () => {
    const r = ring(7); // prime, so chunk boundaries fall everywhere in the storage
    const out = new Float32Array(16);
    let written = 0;
    let read = 0;
    for (let round = 0; round < 200; round++) {
      const n = 1 + (round % 6);
      written += r.push(seq(written, n));
      const m = r.pop(out, 1 + ((round * 5) % 7));
      for (let i = 0; i < m; i++) expect(out[i]).toBe(read + i);
      read += m;
      expect(r.availableRead()).toBe(written - read);
    }
    expect(read).toBeGreaterThan(500);
  });

  it('honours length and offset on both sides', () => {
    const r = ring(6);
    expect(r.push(seq(10, 8), 3, 2)).toBe(3); // 12, 13, 14
    const out = new Float32Array(6).fill(-1);
    expect(r.pop(out, 2, 4)).toBe(2);
    expect(Array.from(out)).toEqual([-1, -1, -1, -1, 12, 13]);
    expect(r.push(seq(0, 4), 0)).toBe(0);
    expect(r.pop(out, 6, 0)).toBe(1);
    expect(out[0]).toBe(14);
  });

  it('rejects ranges outside the array', () => {
    const r = ring(4);
    expect(() => r.push(new Float32Array(4), 3, 2)).toThrow(RangeError);
    expect(() => r.pop(new Float32Array(4), -1)).toThrow(RangeError);
    expect(() => r.pop(new Float32Array(4), 1.5)).toThrow(RangeError);
  });

  it('shares its state with another instance over the same storage (the worker side)', () => {
    const producer = ring(5);
    const consumer = new Float32RingBuffer(producer.storage);
    expect(consumer.capacity).toBe(5);
    producer.push(seq(1, 4));
    producer.recordOverrun(3);
    expect(consumer.availableRead()).toBe(4);
    expect(consumer.overruns).toBe(3);
    const out = new Float32Array(4);
    consumer.pop(out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    expect(producer.availableWrite()).toBe(5);
  });

  it('counts overruns cumulatively and ignores non-positive counts', () => {
    const r = ring(4);
    const pushed = r.push(seq(0, 10));
    r.recordOverrun(10 - pushed);
    r.recordOverrun(0);
    r.recordOverrun(128);
    expect(r.overruns).toBe(6 + 128);
  });

  it('rejects bad capacities and storage it did not create', () => {
    expect(() => createRingBufferStorage(0)).toThrow(RangeError);
    expect(() => createRingBufferStorage(2.5)).toThrow(RangeError);
    expect(() => createRingBufferStorage(2 ** 31)).toThrow(RangeError);
    expect(() => new Float32RingBuffer(new SharedArrayBuffer(64))).toThrow(/does not match/);
    expect(() => new Float32RingBuffer(new SharedArrayBuffer(4))).toThrow(/too small/);
    expect(() => new Float32RingBuffer(new ArrayBuffer(64) as unknown as SharedArrayBuffer)).toThrow(TypeError);
  });
});

describe('Float32RingBuffer, level record', () => {
  it('has no level until the producer publishes one', () => {
    expect(ring(8).readLevel()).toBeNull();
  });

  it('gives the last published level to any instance over the storage, as float32', () => {
    const producer = ring(8);
    const page = new Float32RingBuffer(producer.storage);
    producer.publishLevel(Float32Array.of(0.5, 0.75));
    expect(page.readLevel()).toEqual({ rms: 0.5, peak: 0.75, sequence: 1 });
    producer.publishLevel(Float32Array.of(0.1, 1));
    expect(page.readLevel()).toEqual({ rms: Math.fround(0.1), peak: 1, sequence: 2 });
    expect(page.readLevel()?.sequence).toBe(2); // reading does not consume it
  });

  it('leaves the samples and the overrun count alone', () => {
    const r = ring(4);
    r.push(seq(1, 3));
    r.recordOverrun(2);
    r.publishLevel(Float32Array.of(0.25, 0.5));
    expect(r.availableRead()).toBe(3);
    expect(r.overruns).toBe(2);
    const out = new Float32Array(3);
    r.pop(out);
    expect(Array.from(out)).toEqual([1, 2, 3]);
  });
});

describe('Float32RingBuffer allocates nothing on the producer and consumer paths', () => {
  it('push, pop, the queries, recordOverrun and publishLevel, once warm', () => {
    const r = ring(1000);
    const consumer = new Float32RingBuffer(r.storage);
    const quantum = seq(0, 128);
    const out = new Float32Array(128);
    const level = new Float32Array(2);
    const cycle = () => {
      const pushed = r.push(quantum);
      r.recordOverrun(128 - pushed);
      level[0] = Math.sqrt(level[0] + 0.001); // values that change, as the processor's do
      level[1] = out[5];
      r.publishLevel(level);
      consumer.availableRead();
      consumer.availableWrite();
      consumer.pop(out, 128);
      void consumer.overruns;
    };
    // Under 1 byte per cycle: one object per cycle would be 16 bytes or more.
    expect(heapBytesPerCall(cycle)).toBeLessThan(1);
    expect(Array.from(out)).toEqual(Array.from(quantum)); // it did move the samples
  });
});

describe('Float32RingBuffer, producer and consumer in two threads', () => {
  for (const [seed, capacity, maxChunk] of [
    [1, 257, 128],
    [2, 31, 200], // chunks larger than the ring: both sides hit full and empty all the time
    [3, 4096, 129],
  ] as const) {
    it(`moves 300k seeded random samples intact (seed ${seed}, capacity ${capacity})`, async () => {
      const total = 300_000;
      const { producer, consumer, ring: r } = await runPair('lossless', capacity, total, seed, maxChunk);
      expect(producer.moved).toBe(total);
      expect(consumer.moved).toBe(total);
      expect(consumer.firstMismatch).toBe(-1);
      expect(r.availableRead()).toBe(0);
      expect(r.overruns).toBe(0);
    });
  }

  it('a reader never sees half of one level record and half of another', async () => {
    const total = 1_000_000;
    const { producer, consumer } = await runPair('levels', 16, total, 5, 1);
    expect(producer.moved).toBe(total);
    expect(consumer.firstMismatch).toBe(-1);
    expect(consumer.outOfOrder).toBe(false);
    expect(consumer.moved).toBeGreaterThan(0);
  });

  it('a lossy producer counts exactly the samples a slow consumer never saw', async () => {
    const total = 200_000;
    const { producer, consumer } = await runPair('lossy', 64, total, 4, 128);
    expect(consumer.outOfOrder).toBe(false);
    expect(consumer.moved).toBe(producer.moved);
    expect(consumer.overruns).toBe(total - producer.moved);
    expect(consumer.gaps).toBe(consumer.overruns);
    expect(consumer.overruns).toBeGreaterThan(0);
    expect(consumer.moved).toBeGreaterThan(0);
  });
});
