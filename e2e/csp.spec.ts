// The Content-Security-Policy, enforced (issue 12, item 8). The preview server (what
// `npm start` serves) and the dev server send it and nosniff beside COOP/COEP, and the app
// starts the threaded wasm backend, listens to a fake microphone and gives readings with
// not one violation, in the page or in any of its workers.
//
// Violations are collected four ways, because none sees them all: the document's
// securitypolicyviolation events (inline styles and the like), the same event in every
// worker (a blocked pthread worker or importScripts fires there, not in the document;
// hooked as each worker appears), the console (Chromium logs each refusal, page and
// workers), and uncaught errors.
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fakeMicLaunch, openDiagnostics, recordReadings, REPO_ROOT, waitForValence, waitReady } from './support.ts';

const DIST_ASSETS = fileURLToPath(new URL('../dist/assets', import.meta.url));
const DEV_PORT = 4189;

test.use(fakeMicLaunch());

/** A policy as directive name -> its source list. */
function parsePolicy(header: string | undefined): Map<string, string[]> {
  expect(header, 'Content-Security-Policy header').toBeTruthy();
  const policy = new Map<string, string[]>();
  for (const part of header!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) policy.set(name.toLowerCase(), sources);
  }
  return policy;
}

/**
 * The rules the issue sets, checked directive by directive: same origin only, no inline
 * script or style, 'wasm-unsafe-eval' and blob: only for scripts and workers (the wasm
 * backend's pthreads), no third-party origin anywhere.
 */
function expectStrictPolicy(header: string | undefined, where: string): void {
  const policy = parsePolicy(header);
  expect(policy.get('default-src'), `${where}: default-src`).toEqual(["'self'"]);
  expect(new Set(policy.get('script-src')), `${where}: script-src`).toEqual(new Set(["'self'", "'wasm-unsafe-eval'", 'blob:']));
  expect(new Set(policy.get('worker-src')), `${where}: worker-src`).toEqual(new Set(["'self'", 'blob:']));
  expect(policy.get('object-src'), `${where}: object-src`).toEqual(["'none'"]);
  expect(policy.get('frame-ancestors'), `${where}: frame-ancestors`).toEqual(["'none'"]);
  expect(policy.has('base-uri'), `${where}: base-uri`).toBe(true);
  for (const [name, sources] of policy) {
    for (const source of sources) {
      // Only keywords, and blob: where allowed above: no host, scheme-wide http(s): or *.
      expect(/^'(self|none|wasm-unsafe-eval)'$/.test(source) || source === 'blob:', `${where}: ${name} ${source}`).toBe(true);
    }
  }
  // style-src falls back to default-src 'self': no 'unsafe-inline' for styles either.
  expect(policy.get('style-src') ?? policy.get('default-src'), `${where}: style-src`).toEqual(["'self'"]);
}

function expectHeaders(response: APIResponse, where: string): void {
  expect(response.status(), where).toBe(200);
  const h = response.headers();
  expectStrictPolicy(h['content-security-policy'], where);
  expect(h['x-content-type-options'], `${where}: X-Content-Type-Options`).toBe('nosniff');
  expect(h['cross-origin-opener-policy'], `${where}: COOP`).toBe('same-origin');
  expect(h['cross-origin-embedder-policy'], `${where}: COEP`).toBe('require-corp');
}

test('the preview server sends the policy and nosniff on the page, its scripts, the worker, the wasm and the model', async ({ request }) => {
  const assets = readdirSync(DIST_ASSETS);
  const worker = assets.find((f) => /^analysis\.worker-.*\.js$/.test(f));
  const wasm = assets.find((f) => /^tfjs-backend-wasm-threaded-simd-.*\.wasm$/.test(f));
  expect(worker, 'the built analysis worker').toBeDefined();
  expect(wasm, 'the built threaded wasm binary').toBeDefined();
  for (const path of ['/', `/assets/${worker}`, `/assets/${wasm}`, '/sw.js', '/manifest.webmanifest', '/models/index.json']) {
    expectHeaders(await request.get(path), path);
  }
});

test('the dev server sends the same headers', async ({ request }) => {
  // Our own child: `npx vite` in its own process group, ended by its id.
  const dev = spawn('npx', ['vite', '--port', String(DEV_PORT), '--strictPort', '--host', '127.0.0.1'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: 'ignore',
  });
  try {
    const url = `http://127.0.0.1:${DEV_PORT}/`;
    await expect
      .poll(async () => (await request.get(url).catch(() => null))?.status() ?? 0, { timeout: 60_000 })
      .toBe(200);
    expectHeaders(await request.get(url), 'dev /');
    expectHeaders(await request.get(`${url}src/main.ts`), 'dev /src/main.ts');
    const preview = (await request.get('/')).headers()['content-security-policy'];
    expect((await request.get(url)).headers()['content-security-policy']).toBe(preview);
  } finally {
    if (dev.pid) process.kill(-dev.pid, 'SIGTERM');
  }
});

/** Starts collecting CSP violations from the page and every worker; returns the list. */
async function collectViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  const refusal = /Content Security Policy|Refused to|violates/i;
  page.on('console', (m) => {
    if (refusal.test(m.text())) violations.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  page.on('worker', (worker) => {
    worker
      .evaluate(() =>
        self.addEventListener('securitypolicyviolation', (e) =>
          console.error(`Content Security Policy violation in a worker: ${e.effectiveDirective} ${e.blockedURI}`),
        ),
      )
      .catch(() => undefined); // a worker that ended before the hook landed
  });
  await page.exposeFunction('vmCspViolation', (text: string) => violations.push(`document: ${text}`));
  await page.addInitScript(() => {
    const report = (globalThis as unknown as { vmCspViolation: (t: string) => void }).vmCspViolation;
    document.addEventListener('securitypolicyviolation', (e) => report(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`));
  });
  return violations;
}

test('with the policy enforced the app starts threaded wasm, listens and gives readings: zero violations', async ({ page }, testInfo) => {
  const violations = await collectViolations(page);
  const response = await page.goto('/?backend=wasm');
  expectStrictPolicy(response!.headers()['content-security-policy'], 'page');
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  const readingsOf = await recordReadings(page);
  const status = page.locator('vm-engine-status');
  await waitReady(page);
  // The backend that needs the policy's two exceptions really ran, with its threads.
  await expect(status).toContainText(/Backend wasm/);
  await expect(status).toContainText(/threaded build, \d+ threads?/);

  await page.getByRole('button', { name: 'Start listening' }).click();
  const gauge = page.locator('vm-valence-gauge');
  await expect(gauge).toHaveAttribute('data-state', 'reading', { timeout: 30_000 });
  await waitForValence(readingsOf, 5, 30_000);
  expect(Number.isFinite(Number(await gauge.getAttribute('data-valence')))).toBe(true);
  // Polled: read at one instant, the level is 0 in a pause of the speech (the fixture loops
  // through 1.5 s of silence), which a loaded machine made the moment of the read.
  await expect.poll(async () => Number(await page.locator('vm-level-meter').getAttribute('data-level'))).toBeGreaterThan(0);
  // The arousal meter only shows for a two-output model: draw one here, so its marker runs too.
  await page.evaluate(async () => {
    const meter = document.createElement('vm-arousal-meter');
    document.body.append(meter);
    meter.state = 'reading';
    meter.arousal = 0.3;
    await meter.updateComplete;
  });
  await page.screenshot({ path: testInfo.outputPath('csp-listening.png'), fullPage: true });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(gauge).toHaveAttribute('data-state', 'idle');
  // A download goes through an object URL on a temporary link.
  const downloading = page.waitForEvent('download');
  await openDiagnostics(page); // the download sits in the collapsed Diagnostics section
  await page.getByRole('button', { name: 'Download audio (WAV)' }).click();
  expect((await downloading).suggestedFilename()).toMatch(/\.wav$/);

  expect(violations).toEqual([]);
});
