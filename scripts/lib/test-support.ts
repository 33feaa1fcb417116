// For the CLI tests: runs one of the project's scripts as `npm run` does (node + tsx, from the
// repository root), and where the shared RAVDESS data lies.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './repo-root.ts';

export const RAVDESS_DATA = resolve(REPO_ROOT, '..', 'shared', 'data', 'ravdess-16k');

/** For --import: the hook that makes TF.js and the parallel trainer fail to load (scripts/lib/no-tf/). */
export const NO_TF_HOOK = pathToFileURL(join(REPO_ROOT, 'scripts', 'lib', 'no-tf', 'register.mjs')).href;

/** Node's arguments that run TypeScript as `npm run` does (tsx), less source maps (no-source-maps.mjs says why). */
export const TSX_ARGS = ['--import', 'tsx', '--import', pathToFileURL(join(REPO_ROOT, 'scripts', 'lib', 'no-source-maps.mjs')).href] as const;

/** Runs scripts/NAME.ts (path relative to the repository root) to completion. */
export function runScript(script: string, args: readonly string[], timeoutMs = 300_000): SpawnSyncReturns<string> {
  return spawnNode([...TSX_ARGS, join(REPO_ROOT, script), ...args], timeoutMs);
}

/**
 * Runs a script as runScript does, but where loading TF.js or the parallel trainer fails with
 * "FORBIDDEN <url>" on stderr: for paths (option errors, missing files) that must exit before
 * paying their start-up.
 */
export function runScriptWithoutTf(script: string, args: readonly string[], timeoutMs = 60_000): SpawnSyncReturns<string> {
  return spawnNode([...TSX_ARGS, '--import', NO_TF_HOOK, join(REPO_ROOT, script), ...args], timeoutMs);
}

/**
 * Whether Debian's python3 has these modules installed (python3-torch, python3-torchaudio):
 * found by importlib.util.find_spec, without importing them (an `import torch` only to
 * decide whether to skip cost about 2 s of CPU in each test file that asked).
 */
export function hasPythonModules(...modules: string[]): boolean {
  const code = `import importlib.util as u, sys; sys.exit(0 if all(u.find_spec(m) for m in ${JSON.stringify(modules)}) else 1)`;
  return spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' }).status === 0;
}

/** Node with these arguments, from the repository root, to completion. */
export function spawnNode(args: readonly string[], timeoutMs: number): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: timeoutMs });
}
