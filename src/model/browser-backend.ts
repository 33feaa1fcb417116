// Picks the TF.js backend in the browser (normally inside the analysis worker) by
// measurement: each available backend runs the model once to warm up (shader compilation,
// wasm setup) and then a few timed passes; the fastest wins and the reason is kept for
// the UI. Names mislead: WebGL is fast on a GPU but software-rendered (SwiftShader,
// llvmpipe) it is ~30x slower than wasm with SIMD and threads, so the renderer's name is
// only reported, never trusted. The wasm binaries come from the package via Vite `?url`
// imports, so they are hashed into the build and served with the page's headers. The
// threaded build starts only the helper workers its threads use (wasm-threads.ts: 1 on
// 2 cores), not the package's fixed 8.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as threadedFactory from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import type { BackendName, BackendPreference, BackendTrial } from './backend-name.ts';
import { isSoftwareRenderer, webglRenderer } from './webgl-renderer.ts';
import { POOL_SIZE_GLOBAL, poolSizePatched, wasmThreadPlan, type WasmThreadPlan } from './wasm-threads.ts';

/** A model ready to run on one backend. */
export interface Runner {
  predict(features: Float32Array): Promise<number>;
  dispose(): void;
}

export interface BackendChoice<R extends Runner> {
  backend: BackendName;
  runner: R;
  /** One line for the UI: what was measured and why this backend. */
  reason: string;
  trials: BackendTrial[];
}

export interface MeasureOptions {
  /** Most timed passes per backend after the warm-up (default 3). */
  passes?: number;
  /** Stop timing a backend once its timed passes took this long (ms, default 1500). */
  budgetMs?: number;
  /** Stop timing a backend whose pass is this many times slower than the best so far (default 4). */
  hopelessFactor?: number;
  now?: () => number;
}

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (ms: number) => (ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);

/** The fastest working trial and a sentence saying why; pure, so it is unit-tested. */
export function pickFastest(trials: readonly BackendTrial[]): { backend: BackendName; reason: string } | null {
  const ok = trials.filter((t): t is BackendTrial & { forwardMs: number } => t.forwardMs !== null);
  if (ok.length === 0) return null;
  const best = ok.reduce((a, b) => (b.forwardMs < a.forwardMs ? b : a));
  const others = trials
    .filter((t) => t !== best)
    .map((t) => (t.forwardMs === null ? `${t.backend} unavailable` : `${t.backend} ${fmt(t.forwardMs)}`));
  const reason =
    others.length === 0
      ? `${best.backend}: ${fmt(best.forwardMs)} per reading (the only backend tried)`
      : `${best.backend} is fastest: ${fmt(best.forwardMs)} per reading vs ${others.join(', ')}`;
  return { backend: best.backend, reason };
}

/** What a backend is, for the trial note: renderer name, wasm SIMD/threads. */
async function describe(backend: BackendName, renderer: string | null): Promise<string> {
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

/**
 * Times `load()`'s model on each candidate backend and leaves the fastest active.
 * `preference` other than 'auto' tries only that backend (then falls back to the rest).
 * The losers' models are disposed. Throws if no backend can run the model.
 */
export async function chooseBackend<R extends Runner>(
  preference: BackendPreference,
  load: () => Promise<R>,
  opts: MeasureOptions = {},
): Promise<BackendChoice<R>> {
  configureWasmPaths();
  const now = opts.now ?? (() => performance.now());
  const passes = opts.passes ?? 3;
  const budget = opts.budgetMs ?? 1500;
  const hopeless = opts.hopelessFactor ?? 4;
  const renderer = webglRenderer();
  // wasm first: it almost always works, and its time bounds how long WebGL is given.
  const order: BackendName[] =
    preference === 'auto' ? ['wasm', 'webgl'] : [preference, ...(['wasm', 'webgl', 'cpu'] as const).filter((b) => b !== preference)];
  const trials: BackendTrial[] = [];
  const runners = new Map<BackendName, R>();
  const input = new Float32Array(64 * 121).fill(-40); // any input costs the same

  for (const backend of order) {
    // A forced backend that works ends the search; cpu is tried only when nothing else ran.
    if (preference !== 'auto' && runners.size > 0) break;
    if (backend === 'cpu' && runners.size > 0) break;
    let runner: R | null = null;
    try {
      if (!(await tf.setBackend(backend))) throw new Error('failed to start');
      await tf.ready();
      runner = await load();
      const w0 = now();
      await runner.predict(input);
      const warmupMs = now() - w0;
      const best = Math.min(...trials.map((t) => t.forwardMs ?? Infinity));
      const times: number[] = [];
      let spent = 0;
      while (times.length < passes && spent < budget) {
        const t0 = now();
        await runner.predict(input);
        const dt = now() - t0;
        times.push(dt);
        spent += dt;
        if (dt > hopeless * best) break; // clearly slower than one already measured
      }
      trials.push({ backend, forwardMs: median(times), warmupMs, note: await describe(backend, renderer) });
      runners.set(backend, runner);
    } catch (e) {
      runner?.dispose();
      trials.push({ backend, forwardMs: null, warmupMs: null, note: (e as Error).message || String(e) });
    }
  }
  if (runners.size === 0) {
    // Last resort: plain JS, not timed (it only has to work).
    try {
      if (!(await tf.setBackend('cpu'))) throw new Error('failed to start');
      const runner = await load();
      trials.push({ backend: 'cpu', forwardMs: null, warmupMs: null, note: 'last resort, not timed' });
      return { backend: 'cpu', runner, reason: 'cpu: neither wasm nor WebGL could run the model', trials };
    } catch (e) {
      const why = trials.map((t) => `${t.backend}: ${t.note}`).join('; ');
      throw new Error(`no TF.js backend could run the model (${why}; cpu: ${(e as Error).message})`);
    }
  }
  const pick = pickFastest(trials)!;
  for (const [name, r] of runners) if (name !== pick.backend) r.dispose();
  await tf.setBackend(pick.backend);
  const note = trials.find((t) => t.backend === pick.backend)?.note;
  return { backend: pick.backend, runner: runners.get(pick.backend)!, reason: `${pick.reason} (${note})`, trials };
}
