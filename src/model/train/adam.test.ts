// Adam against PyTorch's formula: an independent float64 loop, and torch.optim.Adam itself
// when Debian's python3-torch is installed.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Adam } from './adam.ts';
import { randomArray } from './test-support.ts';

const sizes = [7, 3];
const steps = 4;
const grads = Array.from({ length: steps }, (_, s) => sizes.map((n, k) => randomArray(n, 100 + 10 * s + k, 0.01 * (k + 1))));
const init = sizes.map((n, k) => randomArray(n, 50 + k));

function run(lr: number): Float32Array[] {
  const p = init.map((a) => a.slice());
  const adam = new Adam(sizes, { lr });
  for (const g of grads) adam.update(p, g);
  return p;
}

// Installed or not, found without importing torch (an import only to decide costs ~2 s of CPU).
const hasTorch = spawnSync('/usr/bin/python3', ['-c', "import importlib.util as u, sys; sys.exit(0 if u.find_spec('torch') else 1)"], { encoding: 'utf8' }).status === 0;

describe('Adam', () => {
  it('matches the bias-corrected formula (eps 1e-8, betas 0.9 / 0.999)', () => {
    const lr = 1e-2;
    const got = run(lr);
    init.forEach((p0, k) => {
      for (let i = 0; i < p0.length; i++) {
        let p = p0[i];
        let m = 0;
        let v = 0;
        for (let t = 1; t <= steps; t++) {
          const g = grads[t - 1][k][i];
          m = 0.9 * m + 0.1 * g;
          v = 0.999 * v + 0.001 * g * g;
          p -= (lr * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
        }
        expect(got[k][i]).toBeCloseTo(p, 6);
      }
    });
  });

  it.skipIf(!hasTorch)('matches torch.optim.Adam', () => {
    const lr = 1e-2;
    const script = `
import json, sys, torch
d = json.load(sys.stdin)
ps = [torch.tensor(p, dtype=torch.float32, requires_grad=True) for p in d["init"]]
opt = torch.optim.Adam(ps, lr=d["lr"])
for gs in d["grads"]:
    for p, g in zip(ps, gs):
        p.grad = torch.tensor(g, dtype=torch.float32)
    opt.step()
print(json.dumps([p.detach().tolist() for p in ps]))
`;
    const input = JSON.stringify({ lr, init: init.map((a) => Array.from(a)), grads: grads.map((gs) => gs.map((g) => Array.from(g))) });
    const r = spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const torchParams = JSON.parse(r.stdout) as number[][];
    const got = run(lr);
    torchParams.forEach((p, k) => p.forEach((v, i) => expect(Math.abs(got[k][i] - v)).toBeLessThan(1e-6)));
  });
});
