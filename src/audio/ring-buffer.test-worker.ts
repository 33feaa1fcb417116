// Test helper, run in a Node worker thread by ring-buffer.test.ts: one side (producer or
// consumer) of a ring shared with another worker. The sample values and chunk sizes come
// from seeded generators, so both sides know the expected sequence and a failure replays.
import { parentPort, workerData } from 'node:worker_threads';
import { Float32RingBuffer } from './ring-buffer.ts';
import { createRng } from '../training/random.ts';

export interface RingWorkerTask {
  role: 'producer' | 'consumer';
  /** lossless: the producer retries until every sample fits; lossy: it drops and counts. */
  mode: 'lossless' | 'lossy';
  storage: SharedArrayBuffer;
  /** Int32 cell 0: set to 1 by the producer once it has pushed its last sample. */
  control: SharedArrayBuffer;
  total: number;
  seed: number;
  /** Largest chunk one push or pop asks for. */
  maxChunk: number;
}

export interface RingWorkerResult {
  moved: number;
  /** lossless consumer: first index whose value differed, or -1. */
  firstMismatch: number;
  /** lossy consumer: indices skipped between received samples. */
  gaps: number;
  /** lossy consumer: received indices were not strictly increasing. */
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

function run(task: RingWorkerTask): RingWorkerResult {
  const ring = new Float32RingBuffer(task.storage);
  const control = new Int32Array(task.control);
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
