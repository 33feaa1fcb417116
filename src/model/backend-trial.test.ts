// The backend trial with WebGPU beside wasm and WebGL, on fake backends with a fake clock:
// an absent WebGPU is a note and the trial moves on; a present one is timed like the others
// and wins only by measurement (a software adapter too); every model but the winner's is
// disposed and every GPU backend but the winner is released, a failed one at once.
import { describe, expect, it } from 'vitest';
import type { BackendName, BackendPreference } from './backend-name.ts';
import { runTrials, trialOrder, type Runner, type TrialEnv } from './backend-trial.ts';
import { NO_ADAPTER, NO_WEBGPU } from './webgpu-probe.ts';

/** How a fake backend behaves: absent (activate says why), its pass times, or where it fails. */
interface FakeBackend {
  unavailable?: string;
  warmupMs?: number;
  ms?: number;
  note?: string;
  failOnPredict?: string;
}

class FakeRunner implements Runner {
  disposed = false;
  passes = 0;
  constructor(
    readonly backend: BackendName,
    private readonly spec: FakeBackend,
    private readonly clock: { t: number },
  ) {}

  async predict(): Promise<number> {
    // The pass's cost lands only after an await, as a GPU read-back does: the trial counts
    // it only if it waits for the result.
    await Promise.resolve();
    if (this.spec.failOnPredict) throw new Error(this.spec.failOnPredict);
    this.clock.t += this.passes++ === 0 ? (this.spec.warmupMs ?? 10) : (this.spec.ms ?? 10);
    return 0;
  }

  dispose(): void {
    this.disposed = true;
  }
}

function fakeWorld(backends: Partial<Record<BackendName, FakeBackend>>) {
  const clock = { t: 0 };
  const log: string[] = [];
  const runners: FakeRunner[] = [];
  let active: BackendName | null = null;
  const env: TrialEnv<FakeRunner> = {
    async activate(backend) {
      log.push(`activate ${backend}`);
      const spec = backends[backend];
      if (!spec) return 'failed to start';
      if (spec.unavailable) return spec.unavailable;
      active = backend;
      return null;
    },
    release(backend) {
      log.push(`release ${backend}`);
    },
    async describe(backend) {
      return backends[backend]?.note ?? backend;
    },
    async load() {
      const runner = new FakeRunner(active!, backends[active!]!, clock);
      runners.push(runner);
      return runner;
    },
  };
  const run = (preference: BackendPreference = 'auto') => runTrials(preference, env, { now: () => clock.t });
  const runner = (backend: BackendName) => runners.find((r) => r.backend === backend);
  const released = () => log.filter((l) => l.startsWith('release ')).map((l) => l.slice(8));
  return { run, log, runner, released, active: () => active };
}

const WASM: FakeBackend = { warmupMs: 60, ms: 24, note: 'SIMD, threaded build, 2 threads, 1 helper worker' };
const SOFT_WEBGL: FakeBackend = { warmupMs: 5800, ms: 900, note: 'renderer SwiftShader (software)' };

describe('the order of the trial', () => {
  it('tries wasm, WebGL and WebGPU when measuring; a forced backend first, then the rest as fallbacks', () => {
    expect(trialOrder('auto')).toEqual(['wasm', 'webgl', 'webgpu']);
    expect(trialOrder('webgpu')).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
    expect(trialOrder('wasm')).toEqual(['wasm', 'webgl', 'webgpu', 'cpu']);
  });
});

describe('the backend trial without WebGPU', () => {
  it('records "not available in this browser", moves on and picks by measurement', async () => {
    const w = fakeWorld({ wasm: WASM, webgl: SOFT_WEBGL, webgpu: { unavailable: NO_WEBGPU } });
    const choice = await w.run();
    expect(choice.backend).toBe('wasm');
    expect(choice.trials).toEqual([
      { backend: 'wasm', forwardMs: 24, warmupMs: 60, note: WASM.note },
      { backend: 'webgl', forwardMs: 900, warmupMs: 5800, note: SOFT_WEBGL.note },
      { backend: 'webgpu', forwardMs: null, warmupMs: null, note: 'WebGPU: not available in this browser' },
    ]);
    expect(choice.reason).toBe(`wasm is fastest: 24.0 ms per reading vs webgl 900 ms, webgpu unavailable (${WASM.note})`);
    expect(choice.runner).toBe(w.runner('wasm'));
    expect(w.runner('wasm')!.disposed).toBe(false);
    expect(w.runner('webgl')!.disposed).toBe(true);
    expect(w.runner('webgpu')).toBeUndefined(); // no model was built on it
    expect(w.released().sort()).toEqual(['webgl', 'webgpu']);
    expect(w.log.at(-1)).toBe('activate wasm'); // the winner is left active
  });

  it('records "no adapter" the same way where navigator.gpu finds none', async () => {
    const w = fakeWorld({ wasm: WASM, webgl: SOFT_WEBGL, webgpu: { unavailable: NO_ADAPTER } });
    const choice = await w.run();
    expect(choice.backend).toBe('wasm');
    expect(choice.trials[2]).toEqual({ backend: 'webgpu', forwardMs: null, warmupMs: null, note: 'WebGPU: no adapter' });
  });

  it('falls back from a forced WebGPU to wasm, and tries nothing after it', async () => {
    const w = fakeWorld({ wasm: WASM, webgl: SOFT_WEBGL, webgpu: { unavailable: NO_ADAPTER } });
    const choice = await w.run('webgpu');
    expect(choice.backend).toBe('wasm');
    expect(choice.trials.map((t) => t.backend)).toEqual(['webgpu', 'wasm']);
    expect(w.log).not.toContain('activate webgl');
    expect(w.runner('webgl')).toBeUndefined();
    expect(choice.reason).toMatch(/^wasm is fastest: 24\.0 ms per reading vs webgpu unavailable/);
  });
});

describe('the backend trial with WebGPU', () => {
  const GPU: FakeBackend = { warmupMs: 800, ms: 3, note: 'adapter nvidia ampere (NVIDIA GeForce RTX 3060)' };

  it('times it like the others and keeps it when it is fastest; the losers are disposed and WebGL released', async () => {
    const w = fakeWorld({ wasm: WASM, webgl: { warmupMs: 900, ms: 6, note: 'renderer NVIDIA' }, webgpu: GPU });
    const choice = await w.run();
    expect(choice.backend).toBe('webgpu');
    expect(choice.trials[2]).toEqual({ backend: 'webgpu', forwardMs: 3, warmupMs: 800, note: GPU.note });
    expect(choice.reason).toBe(`webgpu is fastest: 3.0 ms per reading vs wasm 24.0 ms, webgl 6.0 ms (${GPU.note})`);
    expect(choice.runner).toBe(w.runner('webgpu'));
    expect(w.runner('webgpu')!.disposed).toBe(false);
    expect(w.runner('wasm')!.disposed).toBe(true);
    expect(w.runner('webgl')!.disposed).toBe(true);
    expect(w.released()).toEqual(['webgl']);
    expect(w.active()).toBe('webgpu');
  });

  it('reports a software adapter but lets the measurement decide, both ways', async () => {
    const soft: FakeBackend = { warmupMs: 4000, ms: 400, note: 'adapter google swiftshader (software)' };
    const slow = await fakeWorld({ wasm: WASM, webgl: SOFT_WEBGL, webgpu: soft }).run();
    expect(slow.backend).toBe('wasm');
    expect(slow.trials[2]).toEqual({ backend: 'webgpu', forwardMs: 400, warmupMs: 4000, note: soft.note });
    // A software adapter that measures fastest still wins: the name is never trusted either way.
    const fast = await fakeWorld({ wasm: { ...WASM, ms: 500 }, webgpu: { ...soft, ms: 20 } }).run();
    expect(fast.backend).toBe('webgpu');
    expect(fast.reason).toBe(`webgpu is fastest: 20.0 ms per reading vs wasm 500 ms, webgl unavailable (${soft.note})`);
  });

  it('stops timing it once it is hopelessly slower than wasm', async () => {
    const w = fakeWorld({ wasm: WASM, webgpu: { warmupMs: 4000, ms: 400 } });
    const choice = await w.run();
    expect(choice.trials.find((t) => t.backend === 'webgpu')?.forwardMs).toBe(400);
    expect(w.runner('webgpu')!.passes).toBe(2); // the warm-up and one timed pass: 400 > 4 x 24
  });

  it('a WebGPU that fails is recorded with its error, its model disposed and the backend released; never thrown', async () => {
    const w = fakeWorld({ wasm: WASM, webgl: SOFT_WEBGL, webgpu: { ...GPU, failOnPredict: 'GPU device was lost' } });
    const choice = await w.run();
    expect(choice.backend).toBe('wasm');
    expect(choice.trials[2]).toEqual({ backend: 'webgpu', forwardMs: null, warmupMs: null, note: 'GPU device was lost' });
    expect(w.runner('webgpu')!.disposed).toBe(true);
    // Released when it failed, before anything else ran, and not a second time at the end.
    expect(w.log.slice(w.log.indexOf('activate webgpu'))).toEqual(['activate webgpu', 'release webgpu', 'release webgl', 'activate wasm']);
  });

  it('a forced WebGPU that works is the only backend tried', async () => {
    const w = fakeWorld({ wasm: WASM, webgl: SOFT_WEBGL, webgpu: GPU });
    const choice = await w.run('webgpu');
    expect(choice.backend).toBe('webgpu');
    expect(choice.trials.map((t) => t.backend)).toEqual(['webgpu']);
    expect(choice.reason).toBe(`webgpu: 3.0 ms per reading (the only backend tried) (${GPU.note})`);
    expect(w.released()).toEqual(['webgl']);
  });
});

describe('when no backend runs the model', () => {
  it('falls back to cpu, untimed, and says why', async () => {
    const w = fakeWorld({ cpu: {}, webgpu: { unavailable: NO_WEBGPU } });
    const choice = await w.run();
    expect(choice.backend).toBe('cpu');
    expect(choice.reason).toBe('cpu: no other backend could run the model');
    expect(choice.trials.map((t) => `${t.backend}: ${t.note}`)).toEqual([
      'wasm: failed to start',
      'webgl: failed to start',
      'webgpu: WebGPU: not available in this browser',
      'cpu: last resort, not timed',
    ]);
  });

  it('throws, naming every backend, when cpu cannot either', async () => {
    await expect(fakeWorld({ webgpu: { unavailable: NO_ADAPTER } }).run()).rejects.toThrow(
      'no TF.js backend could run the model (wasm: failed to start; webgl: failed to start; webgpu: WebGPU: no adapter; cpu: failed to start)',
    );
  });
});
