// Worker thread of the data-parallel trainer (parallel.ts): its own TF.js wasm instance
// computes the loss share and gradients of one shard of each batch (its rows of x and of the
// targets, scaled by the whole batch's known labels) into this worker's shared gradient
// buffer, and runs Adam on its slice of the shared parameters. Protocol: WorkerRequest /
// WorkerReply in parallel.ts.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { adamUpdateRange } from './adam.ts';
import { useWasmBackend } from '../backend.ts';
import type { WorkerInit, WorkerReply, WorkerRequest } from './parallel.ts';
import { outputCount } from '../config.ts';
import { paramShapes, sizeOf, tensorViews } from './params.ts';
import { lossAndGradients, uploadParams } from './train-step.ts';
import { WinogradWorkspace } from './winograd.ts';

const port = parentPort;
if (!port) throw new Error('grad-worker.ts must run in a worker thread');
const init = workerData as WorkerInit;
const { config, grad } = init;
const shapes = paramShapes(config);
const sizes = shapes.map(sizeOf);
const outputs = outputCount(config);
const params = tensorViews(init.params, sizes);
const myGrads = tensorViews(init.grads[init.index], sizes);
const workspace = new WinogradWorkspace();

function reply(msg: WorkerReply): void {
  port!.postMessage(msg);
}

function handle(msg: Exclude<WorkerRequest, { type: 'exit' }>): WorkerReply {
  if (msg.type === 'adam') {
    adamUpdateRange(init.params, init.m, init.v, init.grads.slice(0, msg.workers), msg.from, msg.to, msg.step, msg.options);
    return { type: 'adam', id: msg.id };
  }
  const out = tf.tidy(() => {
    const { params: ps, flipped } = uploadParams(shapes, params, grad);
    const x = tf.tensor4d(msg.x, msg.xShape); // lossAndGradients checks it against the config
    const y = tf.tensor2d(msg.y, [msg.xShape[0], outputs]); // rows of outputs, NaN = unknown
    const r = lossAndGradients(config, ps, x, y, msg.labelTotal, flipped, grad, workspace);
    return [r.loss, ...r.grads];
  });
  try {
    const [loss, ...grads] = out;
    grads.forEach((g, i) => myGrads[i].set(g.dataSync() as Float32Array));
    return { type: 'grads', id: msg.id, loss: loss.dataSync()[0] };
  } finally {
    tf.dispose(out);
  }
}

async function main(): Promise<void> {
  await useWasmBackend();
  port!.on('message', (msg: WorkerRequest) => {
    if (msg.type === 'exit') process.exit(msg.code);
    try {
      reply(handle(msg));
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
