// The backend choice is by measurement: the fastest working trial wins, whatever its name.
import { describe, expect, it } from 'vitest';
import { pickFastest } from './backend-trial.ts';

describe('pickFastest', () => {
  it('picks wasm over a software-rendered WebGL, and WebGL over wasm on a GPU', () => {
    const soft = pickFastest([
      { backend: 'wasm', forwardMs: 24, warmupMs: 50, note: 'SIMD' },
      { backend: 'webgl', forwardMs: 900, warmupMs: 2000, note: 'renderer SwiftShader (software)' },
    ]);
    expect(soft?.backend).toBe('wasm');
    expect(soft?.reason).toMatch(/wasm is fastest: 24\.0 ms per reading vs webgl 900 ms/);
    expect(pickFastest([
      { backend: 'wasm', forwardMs: 24, warmupMs: 50, note: '' },
      { backend: 'webgl', forwardMs: 6, warmupMs: 800, note: 'renderer NVIDIA' },
    ])?.backend).toBe('webgl');
  });

  it('skips failed backends and returns null when none worked', () => {
    const r = pickFastest([
      { backend: 'webgl', forwardMs: null, warmupMs: null, note: 'no context' },
      { backend: 'wasm', forwardMs: 30, warmupMs: 60, note: '' },
    ]);
    expect(r?.backend).toBe('wasm');
    expect(r?.reason).toMatch(/webgl unavailable/);
    expect(pickFastest([{ backend: 'wasm', forwardMs: null, warmupMs: null, note: 'x' }])).toBeNull();
  });
});
