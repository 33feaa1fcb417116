// The kept backend choice: only a well-formed record counts, it is used only on the browser
// and GPU it was timed on, and its note says which case the user is in.
import { describe, expect, it } from 'vitest';
import { backendNoteText, choiceFor, readStoredChoice, type StoredBackendChoice } from './backend-cache.ts';

const CHOICE: StoredBackendChoice = {
  backend: 'wasm',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0',
  renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
  reason: 'wasm is fastest: 41.0 ms per reading vs webgl 2210 ms',
  trials: [
    { backend: 'wasm', forwardMs: 41, warmupMs: 160, note: 'SIMD, threaded build, 2 threads, 1 helper worker' },
    { backend: 'webgl', forwardMs: 2210, warmupMs: 5800, note: 'renderer SwiftShader (software)' },
  ],
  measuredAt: Date.UTC(2026, 11, 2, 2, 40),
};

describe('reading a stored backend choice', () => {
  it('takes a well-formed record, through a structured clone as IndexedDB gives it', () => {
    expect(readStoredChoice(structuredClone(CHOICE))).toEqual(CHOICE);
    expect(readStoredChoice({ ...CHOICE, renderer: null })).toEqual({ ...CHOICE, renderer: null });
  });

  it('takes a WebGPU choice, with a WebGPU trial that was unavailable beside it', () => {
    const webgpu: StoredBackendChoice = {
      ...CHOICE,
      backend: 'webgpu',
      reason: 'webgpu is fastest: 3.0 ms per reading vs wasm 41.0 ms, webgl 6.0 ms',
      trials: [...CHOICE.trials, { backend: 'webgpu', forwardMs: 3, warmupMs: 800, note: 'adapter nvidia ampere (NVIDIA GeForce RTX 3060)' }],
    };
    expect(readStoredChoice(structuredClone(webgpu))).toEqual(webgpu);
    const none = { ...CHOICE, trials: [...CHOICE.trials, { backend: 'webgpu' as const, forwardMs: null, warmupMs: null, note: 'WebGPU: no adapter' }] };
    expect(readStoredChoice(structuredClone(none))).toEqual(none);
  });

  it('refuses what is not one: another backend, missing fields, a bad trial, a bad date', () => {
    expect(readStoredChoice(undefined)).toBeNull();
    expect(readStoredChoice('wasm')).toBeNull();
    expect(readStoredChoice({ ...CHOICE, backend: 'webnn' })).toBeNull();
    expect(readStoredChoice({ ...CHOICE, trials: [{ backend: 'webnn', forwardMs: 1, warmupMs: 1, note: '' }] })).toBeNull();
    expect(readStoredChoice({ ...CHOICE, userAgent: undefined })).toBeNull();
    expect(readStoredChoice({ ...CHOICE, renderer: 3 })).toBeNull();
    expect(readStoredChoice({ ...CHOICE, measuredAt: Number.NaN })).toBeNull();
    expect(readStoredChoice({ ...CHOICE, trials: [{ backend: 'wasm', forwardMs: 'fast', warmupMs: null, note: '' }] })).toBeNull();
  });
});

describe('choosing from the stored choice', () => {
  const key = { userAgent: CHOICE.userAgent, renderer: CHOICE.renderer };
  it('is used on the same browser and GPU', () => {
    expect(choiceFor(CHOICE, key)).toBe(CHOICE);
  });
  it('is not used after a browser update, on another GPU, or where WebGL went away', () => {
    expect(choiceFor(CHOICE, { ...key, userAgent: key.userAgent.replace('156', '157') })).toBeNull();
    expect(choiceFor(CHOICE, { ...key, renderer: 'ANGLE (NVIDIA GeForce RTX 4070)' })).toBeNull();
    expect(choiceFor(CHOICE, { ...key, renderer: null })).toBeNull();
    expect(choiceFor(null, key)).toBeNull();
  });
});

describe('the note beside the backend', () => {
  it('names the timing kept, a timing under way, its outcome and a failure', () => {
    expect(backendNoteText({ kind: 'kept', choice: CHOICE })).toMatch(/^Chosen when the backends were timed on .*2026.* \(wasm is fastest: 41\.0 ms per reading vs webgl 2210 ms\); kept for this browser and GPU\.$/);
    expect(backendNoteText({ kind: 'timing' })).toMatch(/timed in the background while you are not listening/);
    expect(backendNoteText({ kind: 'timed', choice: { ...CHOICE, backend: 'webgl' }, switching: true })).toMatch(/webgl is used from the next start\.$/);
    expect(backendNoteText({ kind: 'timed', choice: CHOICE, switching: false })).toMatch(/Kept for this browser and GPU\.$/);
    expect(backendNoteText({ kind: 'timing-failed', message: 'the model could not run' })).toMatch(/failed \(the model could not run\); wasm stays in use/);
  });
});
