// For the CLI tests: runs one of the project's scripts as `npm run` does (node + tsx, from the
// repository root), and where the shared RAVDESS data lies.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './repo-root.ts';

export const RAVDESS_DATA = resolve(REPO_ROOT, '..', 'shared', 'data', 'ravdess-16k');

/** Runs scripts/NAME.ts (path relative to the repository root) to completion. */
export function runScript(script: string, args: readonly string[], timeoutMs = 300_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}
