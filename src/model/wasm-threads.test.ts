// Sizing of the threaded wasm backend's helper workers from navigator.hardwareConcurrency:
// TF.js runs at most half the logical cores as threads, the caller among them, so a
// 2-core machine runs one thread and keeps 1 helper (it had 8, idle); and the build
// patch that makes the package's factory start that many, checked on the installed
// package's own factory source so a TF.js upgrade that moves the line fails here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_POOL_SIZE, patchPthreadPoolSize, POOL_SIZE_GLOBAL, poolSizePatched, wasmThreadPlan } from './wasm-threads.ts';

describe('wasmThreadPlan', () => {
  it('runs half the logical cores as threads, with one helper worker per thread besides the caller', () => {
    expect(wasmThreadPlan(4)).toEqual({ threads: 2, poolSize: 1 });
    expect(wasmThreadPlan(6)).toEqual({ threads: 3, poolSize: 2 });
    expect(wasmThreadPlan(8)).toEqual({ threads: 4, poolSize: 3 });
    expect(wasmThreadPlan(7.9)).toEqual({ threads: 3, poolSize: 2 });
  });

  it('starts 1 helper worker, not 8, on 2 or 3 cores: one thread, and the one worker the factory waits for', () => {
    expect(wasmThreadPlan(2)).toEqual({ threads: 1, poolSize: 1 });
    expect(wasmThreadPlan(3)).toEqual({ threads: 1, poolSize: 1 });
  });

  it('uses one thread on one core, or when the core count is unknown or invalid', () => {
    for (const hc of [1, undefined, 0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(wasmThreadPlan(hc)).toEqual({ threads: 1, poolSize: 1 });
    }
  });

  it('never goes past the 8 threads the package was built for', () => {
    expect(BUILT_IN_POOL_SIZE).toBe(8);
    expect(wasmThreadPlan(16)).toEqual({ threads: 8, poolSize: 7 });
    expect(wasmThreadPlan(64)).toEqual({ threads: 8, poolSize: 7 });
  });
});

describe('patchPthreadPoolSize', () => {
  /** Runs a factory-like snippet with `self` given and returns the pool size it ends with. */
  const poolSizeOf = (source: string, self: Record<string, unknown> | undefined) =>
    new Function('self', `${source}; return pthreadPoolSize;`)(self) as number;
  const snippet = 'var x=1;var pthreadPoolSize=8;while(false){}';

  it('makes the pool size come from the global, and stay 8 without it', () => {
    const patched = patchPthreadPoolSize(snippet)!;
    expect(poolSizePatched(patched)).toBe(true);
    expect(poolSizePatched(snippet)).toBe(false);
    expect(poolSizeOf(snippet, { [POOL_SIZE_GLOBAL]: 1 })).toBe(8);
    expect(poolSizeOf(patched, { [POOL_SIZE_GLOBAL]: 1 })).toBe(1);
    expect(poolSizeOf(patched, { [POOL_SIZE_GLOBAL]: 0 })).toBe(0);
    expect(poolSizeOf(patched, {})).toBe(8);
    expect(poolSizeOf(patched, undefined)).toBe(8);
    expect(patched.startsWith('var x=1;') && patched.endsWith('while(false){}')).toBe(true);
  });

  it('leaves a source without the line, or with it twice, alone', () => {
    expect(patchPthreadPoolSize('var pthreadPoolSize=4;')).toBeNull();
    expect(patchPthreadPoolSize('var pthreadPoolSize=8;var pthreadPoolSize=8;')).toBeNull();
  });

  it("patches the installed tfjs-backend-wasm's threaded factory exactly once", () => {
    const require = createRequire(import.meta.url);
    const path = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
    const source = readFileSync(path, 'utf8');
    const patched = patchPthreadPoolSize(source);
    expect(patched).not.toBeNull();
    expect(patched!.split(POOL_SIZE_GLOBAL).length - 1).toBe(2); // the type test and the read
    expect(patched!).not.toContain('var pthreadPoolSize=8;');
  });
});
