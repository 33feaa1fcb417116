// How many calibration workers run at once: every core used, none oversubscribed by the
// wasm threads each worker starts where the page is isolated (wasm-threads.ts's plan).
import { describe, expect, it } from 'vitest';
import { wasmThreadPlan } from '../model/wasm-threads.ts';
import { calibrationWorkers } from './calibration-client.ts';

describe('calibrationWorkers', () => {
  it('takes one worker per core without threads, one per thread plan with them, at most one per run', () => {
    expect(calibrationWorkers(2, false, 5)).toBe(2);
    expect(calibrationWorkers(8, false, 5)).toBe(5);
    expect(calibrationWorkers(8, false, 3)).toBe(3);
    // isolated: each worker's wasm takes the analysis worker's threads
    expect(wasmThreadPlan(2).threads).toBe(1);
    expect(calibrationWorkers(2, true, 5)).toBe(2);
    expect(wasmThreadPlan(8).threads).toBe(4);
    expect(calibrationWorkers(8, true, 5)).toBe(2);
    expect(calibrationWorkers(1, true, 5)).toBe(1);
    expect(calibrationWorkers(undefined, false, 5)).toBe(1);
    expect(calibrationWorkers(Number.NaN, false, 5)).toBe(1);
  });
});
