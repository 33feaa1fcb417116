// The TF.js backend set-up for Node (CLI scripts, tests, training and its worker threads):
// WebAssembly when it starts, the plain-JS cpu backend otherwise; training, which needs
// wasm (XNNPACK convolutions), asks for it without a fallback. Node only; the browser's
// choice lives in browser-backend.ts.
// In Node the wasm backend loads its .wasm binaries from its own dist/ folder in
// node_modules (Emscripten's script-relative lookup), so no setWasmPaths is needed. Node's
// wasm build runs on one thread; train/parallel.ts adds threads by running one wasm
// instance per worker.
import * as tf from '@tensorflow/tfjs-core';
// The plain-JS fallback; the full @tensorflow/tfjs would register it too, with layers, the
// converter and WebGL besides, which a gradient worker never uses and pays to load.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export type NodeBackend = 'wasm' | 'cpu';

/** Makes `name` the active backend; false (with the reason, if one was thrown) when it cannot start. */
async function activate(name: NodeBackend): Promise<{ ok: boolean; reason: string }> {
  if (tf.getBackend() === name) return { ok: true, reason: '' };
  let ok = false;
  let reason = '';
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    reason = (e as Error).message;
  }
  if (ok) await tf.ready();
  // The cpu backend greets its first tensor in Node with "install our node backend", which
  // cannot be followed here (tfjs-node needs libtensorflow) and reads as a fault; our own
  // warning already says the slower backend is in use.
  if (ok && name === 'cpu') Object.assign(tf.backend(), { firstUse: false });
  return { ok, reason };
}

/**
 * Activates `preferred` (default wasm); falls back to cpu with a warning if it cannot start.
 * Returns the active backend's name.
 */
export async function initNodeBackend(
  preferred: NodeBackend = 'wasm',
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<NodeBackend> {
  const { ok, reason } = await activate(preferred);
  if (ok) return preferred;
  if (preferred === 'cpu') throw new Error(`TF.js cpu backend failed to start${reason ? `: ${reason}` : ''}`);
  warn(`TF.js ${preferred} backend failed to start${reason ? ` (${reason})` : ''}; using the slower cpu backend`);
  if (!(await activate('cpu')).ok) throw new Error('TF.js cpu backend failed to start');
  return 'cpu';
}

/** Makes wasm the active backend for training (idempotent); throws if it cannot start. */
export async function useWasmBackend(): Promise<void> {
  const { ok, reason } = await activate('wasm');
  if (!ok) throw new Error(`TF.js wasm backend failed to initialise${reason ? `: ${reason}` : ''}`);
}
