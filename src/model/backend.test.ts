// Node backend choice: wasm starts from node_modules without setup (the other model tests
// run on it); when it cannot start, cpu takes over with our one warning and no banner.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { expect, it, vi } from 'vitest';
import { initNodeBackend } from './backend.ts';

it('falls back to cpu with a warning when the wasm binary cannot be loaded', async () => {
  // A folder without the .wasm files: the backend's start fails as with a broken install.
  setWasmPaths('/nonexistent-wasm-folder/');
  const warnings: string[] = [];
  // Emscripten and TF.js report the failed start on the console ("Aborted(...)", "Initialization
  // of backend wasm failed"): expected here, so they are caught and checked, not printed.
  const consoleLines: string[] = [];
  const keep = (...args: unknown[]) => void consoleLines.push(args.map(String).join(' '));
  const spies = [vi.spyOn(console, 'warn').mockImplementation(keep), vi.spyOn(console, 'error').mockImplementation(keep), vi.spyOn(console, 'log').mockImplementation(keep)];
  let name: string;
  try {
    name = await initNodeBackend('wasm', (m) => warnings.push(m));
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  expect(consoleLines.every((l) => /wasm/i.test(l))).toBe(true);
  expect(name).toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/wasm backend failed to start.*using the slower cpu backend/);
  // And it computes, without TF.js's "install our node backend" banner (issue 11 item 9).
  const banner = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    expect(tf.tidy(() => tf.tensor1d([1, 2]).square().dataSync()[1])).toBe(4);
    expect(banner).not.toHaveBeenCalled();
  } finally {
    banner.mockRestore();
  }
});
