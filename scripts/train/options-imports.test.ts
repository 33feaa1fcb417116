// Parsing train's options must not load TF.js or the parallel trainer (slow to load, and
// nothing about flags needs them). A child Node process imports the module with a resolve
// hook that refuses any module under node_modules/@tensorflow or the trainer
// (scripts/lib/no-tf/); the hook is shown to work by importing the training loop, which
// does load them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/repo-root.ts';
import { NO_TF_HOOK, spawnNode, TSX_ARGS } from '../lib/test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'vm-imports-'));
writeFileSync(join(dir, 'entry.mjs'), `await import(process.argv[2]);\nconsole.log('LOADED');\n`);

/** Imports a repository module (path from the root) in a child Node under the hook. */
function importUnderHook(module: string) {
  return spawnNode([...TSX_ARGS, '--import', NO_TF_HOOK, join(dir, 'entry.mjs'), pathToFileURL(join(REPO_ROOT, module)).href], 60_000);
}

describe('scripts/train/options.ts imports', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads neither TF.js nor the parallel trainer', () => {
    const r = importUnderHook('scripts/train/options.ts');
    expect(r.stderr).not.toMatch(/FORBIDDEN/);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/LOADED/);
  });

  it('(the hook does catch them: the training loop loads both)', () => {
    const r = importUnderHook('src/training/train-loop.ts');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/FORBIDDEN \S*(node_modules\/@tensorflow\/|src\/model\/train\/parallel\.ts)/);
  });
});
