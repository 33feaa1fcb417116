// Worker thread of the data-parallel trainer (parallel.ts): its own TF.js wasm instance
// computes the loss share and gradients of one shard of each batch. Protocol: see
// WorkerRequest / WorkerReply in parallel.ts; 'close' ends the thread.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { CnnConfig } from '../config.ts';
import { useWasmBackend } from './backend.ts';
import type { WorkerReply, WorkerRequest } from './parallel.ts';
import { lossAndGradients, paramShapes, uploadParams } from './train-step.ts';

const port = parentPort;
if (!port) throw new Error('grad-worker.ts must run in a worker thread');
const config = (workerData as { config: CnnConfig }).config;
const shapes = paramShapes(config);

function reply(msg: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

/** A Float32Array that owns its whole buffer, so the buffer can be transferred. */
function owned(a: Float32Array): Float32Array {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

async function main(): Promise<void> {
  await useWasmBackend();
  port!.on('message', (msg: WorkerRequest) => {
    if (msg.type === 'close') {
      port!.close(); // nothing else keeps the thread alive: it exits
      return;
    }
    try {
      const grads = tf.tidy(() => {
        const { params, flipped } = uploadParams(shapes, msg.params);
        const x = tf.tensor4d(msg.x, msg.xShape); // lossAndGradients checks it against the config
        const r = lossAndGradients(config, params, x, tf.tensor1d(msg.y), msg.batchTotal, flipped);
        return [r.loss, ...r.grads];
      });
      const values = grads.map((g) => owned(g.dataSync() as Float32Array));
      tf.dispose(grads);
      const [loss, ...gs] = values;
      reply({ type: 'grads', id: msg.id, loss: loss[0], grads: gs }, gs.map((g) => g.buffer as ArrayBuffer));
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply({ type: 'error', id: msg.id, message: err.message, stack: err.stack ?? '' });
    }
  });
  reply({ type: 'ready' });
}

main().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  reply({ type: 'error', id: -1, message: `worker start failed: ${err.message}`, stack: err.stack ?? '' });
  port.close();
});
