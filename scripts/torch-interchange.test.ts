// The safetensors interchange of two-output models, with either head, against PyTorch itself
// (SPEC sections 2-3: fc.weight [K, C*H*W], row 0 valence, row 1 arousal; [K, C*H] after the
// time-mean head, in (C, H) order): TF.js weights exported
// and run by PyTorch, and PyTorch weights imported by `npm run import-torch` and run by TF.js,
// give the same outputs. Runs where Debian's python3-torch is installed (.ci/run installs it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/model/backend.ts';
import { SEED_PRESET, type CnnConfig, type Head } from '../src/model/config.ts';
import { buildCnn } from '../src/model/cnn.ts';
import { predict } from '../src/model/predict.ts';
import { exportTorchWeights } from '../src/model/torch-weights.ts';
import { serializeSafetensors } from '../src/model/safetensors.ts';
import { loadModelDir } from './lib/model-files.ts';
import { REPO_ROOT } from './lib/repo-root.ts';
import { hasPythonModules, runScript } from './lib/test-support.ts';

const PYTHON = '/usr/bin/python3';
const hasTorch = hasPythonModules('torch');
const SCRIPT = join(REPO_ROOT, 'scripts/torch/forward_reference.py');
const TOL = 1e-4; // SPEC section 5's CNN tolerance
const N = 2;
const SIZE = 64 * 121;

const dir = mkdtempSync(join(tmpdir(), 'vm-interchange-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await initNodeBackend('wasm');
});

const readF32 = (path: string) => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const python = (args: string[]) => {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`forward_reference.py failed: ${r.stderr}`);
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** Row-major [N, K] outputs of a prediction. */
const rows = (p: { valence: Float32Array; arousal: Float32Array | null }) =>
  Array.from(p.valence).flatMap((v, i) => (p.arousal ? [v, p.arousal[i]] : [v]));

describe.skipIf(!hasTorch)('safetensors interchange with PyTorch', () => {
  // One output is covered by ../shared/reference's seed_cnn fixtures (check-reference).
  const cases: { outputs: 2; head: Head }[] = [
    { outputs: 2, head: 'flatten' },
    { outputs: 2, head: 'time-mean' },
  ];
  for (const { outputs, head } of cases) {
    const tag = `${outputs}-${head}`;
    it(`exports a ${outputs}-output TF.js model with the ${head} head that PyTorch runs to the same outputs`, () => {
      const config: CnnConfig = { ...SEED_PRESET, features: 'db', outputs, ...(head === 'time-mean' ? { head } : {}) };
      const model = buildCnn(config, { seed: 40 + outputs });
      const inputs = Array.from({ length: N }, (_, b) => Float32Array.from({ length: SIZE }, (_, i) => -40 + 20 * Math.sin(i * 0.37 + b)));
      const ours = rows(predict(model, inputs, config));
      const weights = join(dir, `tf-${tag}.safetensors`);
      writeFileSync(weights, serializeSafetensors(exportTorchWeights(model, config), { features: 'db' }));
      const inPath = join(dir, `tf-${tag}-in.bin`);
      const joined = new Float32Array(N * SIZE);
      inputs.forEach((x, b) => joined.set(x, b * SIZE));
      writeFileSync(inPath, new Uint8Array(joined.buffer));
      python(['forward', weights, inPath, String(N), join(dir, `tf-${tag}-out.bin`)]);
      const theirs = readF32(join(dir, `tf-${tag}-out.bin`));
      expect(theirs.length).toBe(N * outputs);
      expect(maxDiff(ours, theirs)).toBeLessThan(TOL);
      model.dispose();
    });

    it(`imports ${outputs}-output PyTorch weights with the ${head} head (npm run import-torch) that TF.js runs to the same outputs`, async () => {
      const weights = join(dir, `pt-${tag}.safetensors`);
      const inPath = join(dir, `pt-${tag}-in.bin`);
      const outPath = join(dir, `pt-${tag}-out.bin`);
      python(['random', String(outputs), String(7 + outputs), weights, inPath, String(N), outPath, head]);
      const folder = join(dir, `imported-${tag}`);
      const r = runScript('scripts/import-torch.ts', [weights, '--out', folder]);
      expect(r.status, r.stderr).toBe(0);
      const { model, config } = await loadModelDir(folder);
      expect(config.outputs ?? 1).toBe(outputs);
      expect(config.head ?? 'flatten').toBe(head);
      const x = readF32(inPath);
      const inputs = Array.from({ length: N }, (_, b) => x.slice(b * SIZE, (b + 1) * SIZE));
      const ours = rows(predict(model, inputs, config));
      expect(maxDiff(ours, readF32(outPath))).toBeLessThan(TOL);
      model.dispose();
      tf.disposeVariables();
    });
  }
});
