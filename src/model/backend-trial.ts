// The backend trial itself, apart from TF.js: each candidate backend is started, runs the
// model once to warm up (shader compilation, wasm setup) and then a few timed passes; the
// fastest wins, whatever its name. What touches TF.js (starting and releasing a backend,
// loading the model, naming the backend) comes in as a TrialEnv, so the logic is tested in
// Node with fakes (backend-trial.test.ts) and browser-backend.ts wires the real one.
import type { BackendName, BackendPreference, BackendTrial } from './backend-name.ts';

/** A model ready to run on one backend. */
export interface Runner {
  /** One forward pass, its result read back (so GPU work is done when it resolves). */
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

/** What the trial needs from TF.js. */
export interface TrialEnv<R extends Runner> {
  /**
   * Makes `backend` the active one: null when it is, else why it cannot (recorded as the
   * trial's note: "WebGPU: no adapter"). May also throw; that is recorded the same way.
   */
  activate(backend: BackendName): Promise<string | null>;
  /** Frees what `backend` holds on the GPU after it failed or lost; never throws. */
  release(backend: BackendName): void;
  /** The note of a backend that ran: its renderer or adapter, its wasm build. */
  describe(backend: BackendName): Promise<string>;
  /** Builds the model on the active backend. */
  load(): Promise<R>;
}

/** Backends whose memory is the GPU's: released when they fail or lose, so they hold none. */
const GPU_BACKENDS: ReadonlySet<BackendName> = new Set<BackendName>(['webgl', 'webgpu']);

/**
 * The backends to try, in order. wasm first: it almost always works, and its time bounds
 * how long the GPU backends are given. A forced backend comes first, the rest after it as
 * fallbacks; cpu only forced or as the last resort.
 */
export function trialOrder(preference: BackendPreference): BackendName[] {
  if (preference === 'auto') return ['wasm', 'webgl', 'webgpu'];
  return [preference, ...(['wasm', 'webgl', 'webgpu', 'cpu'] as const).filter((b) => b !== preference)];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (ms: number) => (ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);
const message = (e: unknown) => (e as Error)?.message || String(e);

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

/**
 * Times `env.load()`'s model on each candidate backend and leaves the fastest active.
 * `preference` other than 'auto' tries only that backend (then falls back to the rest).
 * Every other model is disposed, and every GPU backend but the winner is released. Throws
 * only if no backend, cpu included, can run the model.
 */
export async function runTrials<R extends Runner>(preference: BackendPreference, env: TrialEnv<R>, opts: MeasureOptions = {}): Promise<BackendChoice<R>> {
  const now = opts.now ?? (() => performance.now());
  const passes = opts.passes ?? 3;
  const budget = opts.budgetMs ?? 1500;
  const hopeless = opts.hopelessFactor ?? 4;
  const trials: BackendTrial[] = [];
  const runners = new Map<BackendName, R>();
  const input = new Float32Array(64 * 121).fill(-40); // any input costs the same
  const released = new Set<BackendName>();
  const release = (backend: BackendName) => {
    if (!GPU_BACKENDS.has(backend)) return;
    env.release(backend);
    released.add(backend);
  };

  for (const backend of trialOrder(preference)) {
    // A forced backend that works ends the search; cpu is tried only when nothing else ran.
    if (preference !== 'auto' && runners.size > 0) break;
    if (backend === 'cpu' && runners.size > 0) break;
    let runner: R | null = null;
    try {
      const unavailable = await env.activate(backend);
      if (unavailable !== null) {
        trials.push({ backend, forwardMs: null, warmupMs: null, note: unavailable });
        release(backend);
        continue;
      }
      runner = await env.load();
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
      trials.push({ backend, forwardMs: median(times), warmupMs, note: await env.describe(backend) });
      runners.set(backend, runner);
    } catch (e) {
      runner?.dispose();
      release(backend);
      trials.push({ backend, forwardMs: null, warmupMs: null, note: message(e) });
    }
  }
  if (runners.size === 0) return lastResort(env, trials);
  const pick = pickFastest(trials)!;
  for (const [name, r] of runners) if (name !== pick.backend) r.dispose();
  // Every other GPU backend goes, the ones not tried this time too (a previous load in this
  // worker may have left one holding its pool), except those already released above.
  for (const name of GPU_BACKENDS) if (name !== pick.backend && !released.has(name)) env.release(name);
  const runner = runners.get(pick.backend)!;
  const unavailable = await env.activate(pick.backend);
  if (unavailable !== null) {
    runner.dispose();
    throw new Error(`${pick.backend} could not be made active again: ${unavailable}`);
  }
  const note = trials.find((t) => t.backend === pick.backend)?.note;
  return { backend: pick.backend, runner, reason: `${pick.reason} (${note})`, trials };
}

/** Plain JS, not timed (it only has to work), when no other backend could run the model. */
async function lastResort<R extends Runner>(env: TrialEnv<R>, trials: BackendTrial[]): Promise<BackendChoice<R>> {
  try {
    const unavailable = await env.activate('cpu');
    if (unavailable !== null) throw new Error(unavailable);
    const runner = await env.load();
    trials.push({ backend: 'cpu', forwardMs: null, warmupMs: null, note: 'last resort, not timed' });
    return { backend: 'cpu', runner, reason: 'cpu: no other backend could run the model', trials };
  } catch (e) {
    const why = trials.map((t) => `${t.backend}: ${t.note}`).join('; ');
    throw new Error(`no TF.js backend could run the model (${why}; cpu: ${message(e)})`);
  }
}
