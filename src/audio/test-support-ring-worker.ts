// Test helper, run in a Node worker thread by ring-buffer.test.ts: one side (producer or
// consumer) of a ring shared with another worker. The sample values and chunk sizes come
// from seeded generators, so both sides know the expected sequence and a failure replays.
import { parentPort, workerData } from 'node:worker_threads';
import { Float32RingBuffer } from './ring-buffer.ts';
import { createRng } from '../training/random.ts';

export interface RingWorkerTask {
  role: 'producer' | 'consumer';
  /**
   * lossless: the producer retries until every sample fits; lossy: it drops and counts;
   * levels: the producer publishes `total` level records as fast as it can, the consumer
   * reads them (readLevel) and checks that no read mixes two records.
   */
  mode: 'lossless' | 'lossy' | 'levels';
  storage: SharedArrayBuffer;
  /**
   * Int32 cell 0: set to 1 by the producer once it has pushed its last sample; cell 1:
   * pauses wait on it; cell 2: levels mode's start barrier (each side adds 1, then waits for 2).
   */
  control: SharedArrayBuffer;
  total: number;
  seed: number;
  /** Largest chunk one push or pop asks for. */
  maxChunk: number;
}

export interface RingWorkerResult {
  /** Samples moved; levels mode: records published, or level reads that returned one. */
  moved: number;
  /** lossless consumer: first index whose value differed; levels: first torn read; or -1. */
  firstMismatch: number;
  /** lossy consumer: indices skipped between received samples. */
  gaps: number;
  /** lossy consumer: received indices were not strictly increasing; levels: a sequence went back. */
  outOfOrder: boolean;
  overruns: number;
}

/** Seeded test data, reproducible across the two threads. */
export const mulberry32 = createRng;

/** The lossless test's sample values: float32 noise in [-1, 1). */
export function valueStream(seed: number): () => number {
  const next = mulberry32(seed);
  return () => Math.fround(next() * 2 - 1);
}

function pause(cell: Int32Array, ms: number): void {
  Atomics.wait(cell, 1, 0, ms);
}

/**
 * levels mode. Record k (1-based) is rms k, peak k + 0.5 (exact in float32 for k < 2^23),
 * so a read is whole exactly when its fields and its sequence number agree.
 */
function runLevels(task: RingWorkerTask, ring: Float32RingBuffer, control: Int32Array): RingWorkerResult {
  const result: RingWorkerResult = { moved: 0, firstMismatch: -1, gaps: 0, outOfOrder: false, overruns: 0 };
  // Start together, so the reads overlap the writes (the threads start at different times).
  Atomics.add(control, 2, 1);
  while (Atomics.load(control, 2) < 2);
  if (task.role === 'producer') {
    const level = new Float32Array(2);
    for (let k = 1; k <= task.total; k++) {
      level[0] = k;
      level[1] = k + 0.5;
      ring.publishLevel(level);
    }
    result.moved = task.total;
    Atomics.store(control, 0, 1);
    return result;
  }
  let last = 0;
  for (;;) {
    const finished = Atomics.load(control, 0) === 1; // read first: the record after it is the last
    const level = ring.readLevel();
    if (level) {
      const k = level.sequence;
      if ((level.rms !== k || level.peak !== k + 0.5) && result.firstMismatch < 0) result.firstMismatch = result.moved;
      if (k < last) result.outOfOrder = true;
      last = k;
      result.moved++;
    }
    if (finished && last === task.total) break;
  }
  return result;
}

function run(task: RingWorkerTask): RingWorkerResult {
  const ring = new Float32RingBuffer(task.storage);
  const control = new Int32Array(task.control);
  if (task.mode === 'levels') return runLevels(task, ring, control);
  const chunkSize = mulberry32(task.seed ^ (task.role === 'producer' ? 0x1234 : 0x5678));
  const buffer = new Float32Array(task.maxChunk);
  const result: RingWorkerResult = { moved: 0, firstMismatch: -1, gaps: 0, outOfOrder: false, overruns: 0 };

  if (task.role === 'producer') {
    const values = valueStream(task.seed);
    let index = 0;
    while (index < task.total) {
      const n = Math.min(task.total - index, 1 + Math.floor(chunkSize() * task.maxChunk));
      // Lossy mode sends each sample's index so the consumer can see exactly what was dropped.
      for (let i = 0; i < n; i++) buffer[i] = task.mode === 'lossless' ? values() : index + i;
      if (task.mode === 'lossless') {
        let done = 0;
        while (done < n) done += ring.push(buffer, n - done, done);
      } else {
        const pushed = ring.push(buffer, n);
        ring.recordOverrun(n - pushed);
        result.moved += pushed;
      }
      index += n;
    }
    if (task.mode === 'lossless') result.moved = index;
    Atomics.store(control, 0, 1);
  } else {
    const values = valueStream(task.seed);
    let last = -1;
    for (;;) {
      const finished = Atomics.load(control, 0) === 1; // read before popping: nothing can follow it
      const want = 1 + Math.floor(chunkSize() * task.maxChunk);
      const n = ring.pop(buffer, want);
      for (let i = 0; i < n; i++) {
        if (task.mode === 'lossless') {
          if (buffer[i] !== values() && result.firstMismatch < 0) result.firstMismatch = result.moved + i;
        } else {
          const index = buffer[i];
          if (index <= last) result.outOfOrder = true;
          result.gaps += index - last - 1;
          last = index;
        }
      }
      result.moved += n;
      if (task.mode === 'lossless' && result.moved >= task.total) break;
      if (task.mode === 'lossy') {
        if (finished && n === 0 && ring.availableRead() === 0) {
          result.gaps += task.total - 1 - last; // dropped after the last received sample
          break;
        }
        if (chunkSize() < 0.05) pause(control, 1); // a slow consumer now and then, so the ring overflows
      }
    }
  }
  result.overruns = ring.overruns;
  return result;
}

if (parentPort) parentPort.postMessage(run(workerData as RingWorkerTask));
