// Checkpoint files: what saveCheckpoint writes, loadCheckpoint gives back, with and without
// the averaged epochs' weights (--average), and a damaged state.bin is named.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/training/run-state.ts';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';

const f = (...v: number[]) => Float32Array.from(v);
const base: Checkpoint = {
  recipeKey: 'k',
  epoch: 3,
  history: [],
  best: { epoch: 2, val: { n: 2, mse: 0.5, ccc: 0.1, pearson: 0.2, sign_acc: 0.5 }, weights: [f(7, 8), f(9)] },
  trainer: { step: 12, params: [f(1, 2), f(3)], m: [f(0.1, 0.2), f(0.3)], v: [f(0.01, 0.02), f(0.03)] },
};
const plain = (c: Checkpoint) => JSON.parse(JSON.stringify(c, (_, x: unknown) => (x instanceof Float32Array ? Array.from(x) : x))) as unknown;

describe('checkpoint files', () => {
  const root = mkdtempSync(join(tmpdir(), 'vm-checkpoint-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('round-trip a checkpoint without averaging (no recent field) and one with two averaged epochs', () => {
    const a = join(root, 'a');
    saveCheckpoint(a, base);
    const back = loadCheckpoint(a);
    expect('recent' in back).toBe(false);
    expect(plain(back)).toEqual(plain(base));

    const withRecent: Checkpoint = { ...base, recent: [[f(1, 1), f(2)], [f(3, 5), f(8)]] };
    const b = join(root, 'b');
    saveCheckpoint(b, withRecent);
    expect(plain(loadCheckpoint(b))).toEqual(plain(withRecent));
  });

  it('names a state.bin of the wrong size', () => {
    const c = join(root, 'c');
    saveCheckpoint(c, { ...base, recent: [[f(1, 1), f(2)]] });
    writeFileSync(join(c, 'state.bin'), new Uint8Array(new Float32Array(5).buffer));
    expect(() => loadCheckpoint(c)).toThrow(/is damaged \(state.bin has 5 values, expected 15\)/); // 3 values each: params, m, v, best, one averaged epoch
  });
});
