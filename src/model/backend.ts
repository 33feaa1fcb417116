// Picks the TF.js backend for Node (CLI scripts, tests): WebAssembly when it starts, the
// plain-JS cpu backend otherwise. Node only; the browser's choice lives elsewhere.
// In Node the wasm backend loads its .wasm binaries from its own dist/ folder in
// node_modules (Emscripten's script-relative lookup), so no setWasmPaths is needed.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export type NodeBackend = 'wasm' | 'cpu';

/**
 * Activates `preferred` (default wasm); falls back to cpu with a warning if it cannot start.
 * Returns the active backend's name.
 */
export async function initNodeBackend(
  preferred: NodeBackend = 'wasm',
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<NodeBackend> {
  if (tf.getBackend() === preferred) return preferred;
  let ok = false;
  let reason = '';
  try {
    ok = await tf.setBackend(preferred);
  } catch (e) {
    reason = (e as Error).message;
  }
  if (ok) {
    await tf.ready();
    return preferred;
  }
  if (preferred === 'cpu') throw new Error(`TF.js cpu backend failed to start${reason ? `: ${reason}` : ''}`);
  warn(`TF.js ${preferred} backend failed to start${reason ? ` (${reason})` : ''}; using the slower cpu backend`);
  if (!(await tf.setBackend('cpu'))) throw new Error('TF.js cpu backend failed to start');
  await tf.ready();
  return 'cpu';
}
