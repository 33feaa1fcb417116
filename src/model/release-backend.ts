// Frees what a TF.js backend holds without losing the way to start it again. A GPU backend
// keeps its buffers (WebGPU) or textures (WebGL) in a pool after their tensors are disposed,
// so disposing the model is not enough: only disposing the backend itself gives the memory
// back. TF.js does that in removeBackend, which also forgets the factory; registering the
// same factory again lets a later load that forces the backend start it afresh.
import * as tf from '@tensorflow/tfjs';

/** Disposes `name`'s backend instance, if one was started, and keeps it registered. Never throws. */
export function releaseBackend(name: string): void {
  const entry = tf.engine().registryFactory[name];
  if (!entry) return; // never registered (WebGPU where its code was not loaded): nothing to free
  try {
    tf.removeBackend(name);
  } catch {
    // a dispose that throws leaves nothing better to do than to register the factory again
  }
  tf.registerBackend(name, entry.factory, entry.priority);
}
