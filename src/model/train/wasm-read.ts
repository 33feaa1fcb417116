// Copies a float32 tensor's values into an array the caller reuses. On TF.js's wasm backend
// straight from the wasm heap: dataSync allocates a new array per call, and those showed
// up as garbage-collector time in the training step. That reads private internals of
// tfjs-backend-wasm 4.x (the version is pinned in package.json), so the module counts which
// path each read took and wasm-read.test.ts checks that the heap path is the one taken.
import * as tf from '@tensorflow/tfjs-core';

/** What readInto uses of the wasm backend (tfjs-backend-wasm 4.x internals). */
interface WasmHeap {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

/** Reads so far by path: `heap` straight from wasm memory, `dataSync` through TF.js. */
export interface ReadCounts {
  heap: number;
  dataSync: number;
}

const counts: ReadCounts = { heap: 0, dataSync: 0 };

/** A copy of the counters (they only grow; compare two readings). */
export function readCounts(): ReadCounts {
  return { ...counts };
}

/** Copies t's values into `out` (t.size values) and returns `out`. */
export function readInto(t: tf.Tensor, out: Float32Array): Float32Array {
  if (tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as Partial<WasmHeap>;
    const entry = backend.dataIdMap?.get(t.dataId);
    if (entry && backend.wasm) {
      out.set(new Float32Array(backend.wasm.HEAPU8.buffer, entry.memoryOffset, t.size));
      counts.heap++;
      return out;
    }
  }
  // Other backends, or a wasm backend whose internals changed.
  out.set(t.dataSync() as Float32Array);
  counts.dataSync++;
  return out;
}
