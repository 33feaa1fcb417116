// Worker thread of the data-parallel trainer (parallel.ts): its own TF.js wasm instance
// computes the loss share and gradients of one shard of each batch (its rows of x and of the
// targets, scaled by the whole batch's known labels) into this worker's shared gradient
// buffer, and runs Adam on its slice of the shared parameters. It also builds its shard's
// augmented rows from the shared signals (train-windows.ts) and runs validation's forward
// pass (the step's own forward). Protocol: protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { adamUpdateRange } from './adam.ts';
import { useWasmBackend } from '../backend.ts';
import type { WindowRows, WorkerInit, WorkerReply, WorkerRequest } from './protocol.ts';
import { buildWindow, signalAt } from '../../training/train-windows.ts';
import { outputCount } from '../config.ts';
import { paramShapes, sizeOf, tensorViews } from './params.ts';
import { forward, lossAndGradients, uploadParams } from './train-step.ts';
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

/** Inputs per forward call when scoring (as the main thread once batched them). */
const FORWARD_BATCH = 16;

function reply(msg: WorkerReply): void {
  port!.postMessage(msg, msg.type === 'forward' ? [msg.y.buffer as ArrayBuffer] : []);
}

/** The shard's rows [rows, H, W], built from the shared signals with their seeds. */
function buildRows(rows: WindowRows, per: number): Float32Array {
  const w = init.windows;
  if (!w) throw new Error('this worker has no signals (ParallelTrainer.create without windows)');
  const x = new Float32Array(rows.signals.length * per);
  rows.signals.forEach((s, j) => {
    const m = rows.mixes?.[j];
    const mix = m ? { source: { signal: signalAt(w.signals, m.signal) }, seed: m.seed, lambda: m.lambda } : undefined;
    buildWindow({ signal: signalAt(w.signals, s) }, w.plan, rows.seeds[j], x.subarray(j * per, (j + 1) * per), mix);
  });
  return x;
}

/** Outputs [rows, K] of the shared parameters on x, FORWARD_BATCH inputs at a time. */
function forwardRows(x: Float32Array, rows: number): Float32Array {
  const [h, w] = config.inputShape;
  const per = h * w;
  const y = new Float32Array(rows * outputs);
  const ps = params.map((p, i) => tf.tensor(p, shapes[i]));
  try {
    for (let i = 0; i < rows; i += FORWARD_BATCH) {
      const b = Math.min(FORWARD_BATCH, rows - i);
      const out = tf.tidy(() => forward(config, ps, tf.tensor4d(x.subarray(i * per, (i + b) * per), [b, h, w, 1]), grad, workspace));
      y.set(out.dataSync() as Float32Array, i * outputs);
      out.dispose();
    }
  } finally {
    tf.dispose(ps);
  }
  return y;
}

function handle(msg: Exclude<WorkerRequest, { type: 'exit' }>): WorkerReply {
  if (msg.type === 'adam') {
    adamUpdateRange(init.params, init.m, init.v, init.grads.slice(0, msg.workers), msg.from, msg.to, msg.step, msg.options);
    return { type: 'adam', id: msg.id };
  }
  if (msg.type === 'forward') return { type: 'forward', id: msg.id, y: forwardRows(msg.x, msg.rows) };
  const xs = msg.x instanceof Float32Array ? msg.x : buildRows(msg.x, msg.xShape[1] * msg.xShape[2] * msg.xShape[3]);
  const out = tf.tidy(() => {
    const { params: ps, flipped } = uploadParams(shapes, params, grad);
    const x = tf.tensor4d(xs, msg.xShape); // lossAndGradients checks it against the config
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
