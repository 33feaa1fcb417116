// Selects TF.js's wasm backend (XNNPACK, SIMD) in Node for training. Node's wasm build runs
// on one thread; parallel.ts adds threads by running one wasm instance per worker.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Makes wasm the active backend (idempotent); throws if it cannot start. */
export async function useWasmBackend(): Promise<void> {
  if (tf.getBackend() === 'wasm') return;
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('TF.js wasm backend failed to initialise');
  await tf.ready();
}
