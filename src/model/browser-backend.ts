// Picks the TF.js backend in the browser (normally inside the analysis worker) by
// measurement (backend-trial.ts: a warm-up pass, then a few timed passes, fastest wins,
// the reason kept for the UI) over wasm, WebGL and WebGPU. Names mislead: WebGL is fast on
// a GPU but software-rendered (SwiftShader, llvmpipe) it is ~30x slower than wasm with
// SIMD and threads, so the WebGL renderer's and the WebGPU adapter's names are only
// reported, never trusted. WebGPU's code is loaded only where an adapter was found
// (webgpu-backend.ts). The wasm binaries come from the package via Vite `?url` imports, so
// they are hashed into the build and served with the page's headers. The threaded build
// starts only the helper workers its threads use (wasm-threads.ts: 1 on 2 cores), not the
// package's fixed 8.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as threadedFactory from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import type { BackendName, BackendPreference } from './backend-name.ts';
import { runTrials, type BackendChoice, type MeasureOptions, type Runner, type TrialEnv } from './backend-trial.ts';
import { releaseBackend } from './release-backend.ts';
import { isSoftwareRenderer, webglRenderer } from './webgl-renderer.ts';
import { prepareWebGpu } from './webgpu-backend.ts';
import type { WebGpuProbe } from './webgpu-probe.ts';
import { POOL_SIZE_GLOBAL, poolSizePatched, wasmThreadPlan, type WasmThreadPlan } from './wasm-threads.ts';

export type { BackendChoice, MeasureOptions, Runner } from './backend-trial.ts';

let wasmPathsSet = false;
let threadPlan: WasmThreadPlan | null = null;
let poolPatched = false;

/** The threaded factory's source text (what its pthread workers are started from). */
function threadedFactorySource(): string {
  const mod = threadedFactory as unknown as { default?: unknown };
  const factory = typeof mod.default === 'function' ? mod.default : threadedFactory;
  return typeof factory === 'function' ? Function.prototype.toString.call(factory) : '';
}

/**
 * The threaded wasm backend sends its factory's source text to its pthread workers; a
 * minifier that rewrites `typeof _scriptDir` in it makes every pthread throw and the
 * backend hang (see vite.config.ts). If the guard is gone, use SIMD without threads.
 */
function threadedFactoryIntact(source: string): boolean {
  return /typeof _scriptDir/.test(source);
}

/**
 * Points the wasm backend at the bundled binaries (plain, SIMD, threaded SIMD) and sizes
 * its threads to the machine's cores; once, before the wasm backend starts.
 */
export function configureWasmPaths(): void {
  if (wasmPathsSet) return;
  const source = threadedFactorySource();
  const plan = wasmThreadPlan(typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency);
  if (!threadedFactoryIntact(source)) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(plan.threads);
  // Read by the factory as vite.config.ts patched it; unpatched, the pool stays at 8.
  (globalThis as unknown as Record<string, number>)[POOL_SIZE_GLOBAL] = plan.poolSize;
  threadPlan = plan;
  poolPatched = poolSizePatched(source);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
  wasmPathsSet = true;
}

/** The TF.js backend in use now (where a trial of a model runs). */
export function activeBackendName(): string {
  return tf.getBackend() ?? 'none';
}

/** Tensors TF.js holds now, on every backend (a leak shows as a count that keeps growing). */
export function tensorsHeld(): number {
  return tf.memory().numTensors;
}

/** What a backend is, for the trial note: renderer or adapter name, wasm SIMD/threads. */
async function describe(backend: BackendName, renderer: string | null, adapter: string | null): Promise<string> {
  if (backend === 'webgpu') return adapter ?? 'WebGPU adapter unknown';
  if (backend === 'webgl') {
    if (!renderer) return 'WebGL renderer unknown';
    return `renderer ${renderer}${isSoftwareRenderer(renderer) ? ' (software)' : ''}`;
  }
  if (backend === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    const count = threads ? getThreadsCount() : 1;
    const helpers = poolPatched && threadPlan ? threadPlan.poolSize : 8;
    const build = `threaded build, ${count} thread${count === 1 ? '' : 's'}, ${helpers} helper worker${helpers === 1 ? '' : 's'}`;
    return `${simd ? 'SIMD' : 'no SIMD'}, ${threads ? build : 'single thread'}`;
  }
  return 'plain JavaScript';
}

/** The TF.js side of the trial: starting, releasing and naming backends, loading the model. */
function tfTrialEnv<R extends Runner>(load: () => Promise<R>): TrialEnv<R> {
  const renderer = webglRenderer();
  let adapter: Promise<WebGpuProbe> | null = null;
  return {
    async activate(backend) {
      if (backend === 'webgpu') {
        const probe = await (adapter ??= prepareWebGpu()); // once: the final activation reuses it
        if (!probe.available) return probe.note;
        if (!tf.engine().registryFactory.webgpu) return 'WebGPU: its backend did not register';
      }
      if (!(await tf.setBackend(backend))) return 'failed to start';
      await tf.ready();
      return null;
    },
    release: releaseBackend,
    async describe(backend) {
      return describe(backend, renderer, backend === 'webgpu' && adapter ? (await adapter).note : null);
    },
    load,
  };
}

/**
 * Times `load()`'s model on each candidate backend (runTrials) and leaves the fastest
 * active. `preference` other than 'auto' tries only that backend (then falls back to the
 * rest). The losers' models are disposed. Throws if no backend can run the model.
 */
export async function chooseBackend<R extends Runner>(
  preference: BackendPreference,
  load: () => Promise<R>,
  opts: MeasureOptions = {},
): Promise<BackendChoice<R>> {
  configureWasmPaths();
  return runTrials(preference, tfTrialEnv(load), opts);
}
