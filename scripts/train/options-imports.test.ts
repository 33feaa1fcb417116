// Parsing train's options must not load TF.js or the parallel trainer (slow to load, and
// nothing about flags needs them). A child Node process imports the module with a resolve
// hook that refuses any module under node_modules/@tensorflow or the trainer; the hook is
// shown to work by importing the training loop, which does load them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/repo-root.ts';

const dir = mkdtempSync(join(tmpdir(), 'vm-imports-'));
writeFileSync(
  join(dir, 'hooks.mjs'),
  `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/node_modules/@tensorflow/') || r.url.endsWith('/src/model/train/parallel.ts')) {
    throw new Error('FORBIDDEN ' + r.url + ' imported by ' + context.parentURL);
  }
  return r;
}
`,
);
writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
writeFileSync(join(dir, 'entry.mjs'), `await import(process.argv[2]);\nconsole.log('LOADED');\n`);

/** Imports a repository module (path from the root) in a child Node under the hook. */
function importUnderHook(module: string) {
  const target = pathToFileURL(join(REPO_ROOT, module)).href;
  return spawnSync(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(join(dir, 'register.mjs')).href, join(dir, 'entry.mjs'), target], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
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
