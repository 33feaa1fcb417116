// `npm run import-torch` refuses a malformed flag before it reads anything or loads TF.js
// (the interchange with PyTorch itself is tested in torch-interchange.test.ts, where torch
// is installed).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScriptWithoutTf } from './lib/test-support.ts';

describe('npm run import-torch options', () => {
  it('--padding takes a whole decimal number: "0x1" (Number() reads 1) and "1.5" are refused, naming the value', () => {
    for (const bad of ['0x1', '1.5']) {
      const r = runScriptWithoutTf('scripts/import-torch.ts', [join('no', 'such.safetensors'), '--out', join('no', 'out'), '--padding', bad]);
      expect(r.stderr).not.toMatch(/FORBIDDEN/);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--padding must be a whole number >= 0, got "${bad}"`);
    }
  });
});
