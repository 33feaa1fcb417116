// The production build served as `npm start` serves it, for tools that drive the app in a
// browser (npm run soak): rebuilds dist/ when a source is newer than it, then starts
// `vite preview` (which sends the isolation and CSP headers of vite.config.ts) on a free
// port of 127.0.0.1, and stops it again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.ts';

/** What the build is made from: anything here newer than dist/index.html makes dist/ stale. */
const BUILD_INPUTS = ['src', 'public', 'models', 'index.html', 'vite.config.ts', 'scripts/build-sw.ts', 'package.json', 'package-lock.json'];
const BUILT = join(REPO_ROOT, 'dist', 'index.html');
const VITE = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

/** Newest modification time (ms) of a file or of any file under a folder; 0 if absent. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((t, name) => Math.max(t, newest(join(path, name))), st.mtimeMs);
}

/** Builds the app (`npm run build`) unless dist/ is newer than everything it is built from. Returns whether it built. */
export function buildIfStale(log: (line: string) => void): boolean {
  const builtAt = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
  const stale = BUILD_INPUTS.some((p) => newest(join(REPO_ROOT, p)) > builtAt);
  if (!stale) return false;
  log(builtAt === 0 ? 'dist/ is missing: building' : 'dist/ is older than the sources: building');
  const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status ?? r.signal})`);
  return true;
}

/** A port that nothing listens on now (the OS's choice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port was given'))));
    });
  });
}

export interface PreviewServer {
  url: string;
  /** Stops the server (again is harmless). */
  stop(): void;
}

/** Starts `vite preview` on a free port and waits until it answers (at most `timeoutMs`). */
export async function startPreview(timeoutMs = 60_000): Promise<PreviewServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = spawn(process.execPath, [VITE, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}): ${stderr.trim()}`);
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`vite preview did not answer on ${url} within ${timeoutMs / 1000} s`);
}
