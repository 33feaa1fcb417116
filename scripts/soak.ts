// npm run soak -- --minutes N: the live monitor listening for N minutes in Debian's Chromium
// (Playwright, the e2e tests' launch flags) to a fake microphone that loops
// e2e/fixtures/speech-44k.wav, against the production build served like `npm start`.
// Each minute it prints the readings, skipped reading points, ring overruns, latency
// percentiles, the page's and the analysis worker's heap, and the worker's tensor count;
// at the end a PASS / FAIL line per goal (src/worker/soak-verdict.ts decides), exit 1 on a
// FAIL. Not part of npm test: it listens in real time.
import { chromium, type Browser, type Page } from '@playwright/test';
import { join } from 'node:path';
import config from '../playwright.config.ts';
import type { ReadingEventDetail } from '../src/ui/vm-app.ts';
import { DEFAULT_WARMUP_MINUTES, percentile, soakVerdict, type SoakMinute } from '../src/worker/soak-verdict.ts';
import { runCli } from './lib/cli.ts';
import { buildIfStale, startPreview } from './lib/preview-server.ts';
import { REPO_ROOT } from './lib/repo-root.ts';
import { BACKEND_NAMES, type BackendName } from '../src/model/backend-name.ts';

const USAGE = `usage: npm run soak -- [--minutes N] [--warmup M] [--backend wasm|webgl|webgpu|cpu]
  --minutes N   how long to listen, whole minutes (default 60)
  --warmup M    minutes left out of the flat-heap fits (default ${DEFAULT_WARMUP_MINUTES}: the page keeps
                the first 5 minutes of audio for download, by design)
  --backend B   force the app's backend (default: the app's own choice)`;

const SPEECH_WAV = join(REPO_ROOT, 'e2e', 'fixtures', 'speech-44k.wav');
const MINUTE_MS = 60_000;

interface SoakOptions {
  minutes: number;
  warmup: number;
  backend: BackendName | null;
}

function wholeNumber(flag: string, text: string | undefined, min: number): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min) {
    throw new Error(`${flag} needs a whole number of at least ${min}, got ${text === undefined ? 'nothing' : `"${text}"`}`);
  }
  return Number(text);
}

function parse(argv: string[]): SoakOptions | null {
  const opts: SoakOptions = { minutes: 60, warmup: DEFAULT_WARMUP_MINUTES, backend: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return null;
    else if (a === '--minutes') opts.minutes = wholeNumber(a, argv[++i], 1);
    else if (a === '--warmup') opts.warmup = wholeNumber(a, argv[++i], 0);
    else if (a === '--backend') {
      const b = argv[++i];
      if (!BACKEND_NAMES.includes(b as BackendName)) throw new Error(`--backend is wasm, webgl, webgpu or cpu, got ${b === undefined ? 'nothing' : `"${b}"`}`);
      opts.backend = b as BackendName;
    } else throw new Error(`unknown option "${a}"`);
  }
  return opts;
}

/** The readings the page painted since the last drain (kept in the page between drains). */
interface Tally {
  readings: number;
  skipped: number;
  latencies: number[];
  /** The session's hop, from a reading's time / index. */
  hop: number | null;
}

const installTally = (page: Page) =>
  page.evaluate(() => {
    const t: Tally = { readings: 0, skipped: 0, latencies: [], hop: null };
    (globalThis as unknown as { vmSoak: Tally }).vmSoak = t;
    document.addEventListener('vm-reading', (e) => {
      const { reading, latencyMs } = (e as CustomEvent<ReadingEventDetail>).detail;
      t.readings++;
      t.skipped += reading.skipped;
      t.latencies.push(latencyMs);
      if (reading.index > 0) t.hop = reading.time / reading.index;
    });
  });

const drainTally = (page: Page) =>
  page.evaluate(() => {
    const t = (globalThis as unknown as { vmSoak: Tally }).vmSoak;
    const out = { ...t };
    Object.assign(t, { readings: 0, skipped: 0, latencies: [] });
    return out;
  });

interface MemoryEntry {
  bytes: number;
  attribution: { scope: string }[];
}

/**
 * JavaScript heap of the page and of its dedicated workers (the analysis worker and TF.js's
 * wasm threads), from performance.measureUserAgentSpecificMemory(): Chromium measures at a
 * garbage collection, so the figures are what is retained, not the sawtooth between them.
 */
async function heaps(page: Page): Promise<{ page: number; worker: number }> {
  const entries = await page.evaluate(async () => {
    const p = performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ breakdown: MemoryEntry[] }> };
    if (!crossOriginIsolated || !p.measureUserAgentSpecificMemory) return null;
    return (await p.measureUserAgentSpecificMemory()).breakdown;
  });
  if (!entries) throw new Error('the page cannot measure its memory (measureUserAgentSpecificMemory needs cross-origin isolation)');
  const sum = (scope: string) =>
    entries.filter((e) => e.attribution.length > 0 && e.attribution.every((a) => a.scope === scope)).reduce((n, e) => n + e.bytes, 0);
  return { page: sum('Window'), worker: sum('DedicatedWorkerGlobalScope') };
}

/** Samples the ring dropped, as the page shows them (no line: none). */
async function overruns(page: Page): Promise<number> {
  const shown = page.locator('vm-app .dropped');
  if ((await shown.count()) === 0) return 0;
  const text = (await shown.first().textContent()) ?? '';
  const n = /^\s*(\d+) samples dropped/.exec(text);
  if (!n) throw new Error(`cannot read the dropped-sample count from "${text.trim()}"`);
  return Number(n[1]);
}

async function tensors(page: Page): Promise<number> {
  const text = await page.locator('vm-app').getAttribute('data-worker-tensors');
  if (text === null || !/^\d+$/.test(text)) throw new Error(`the page gives no worker tensor count (data-worker-tensors: ${text})`);
  return Number(text);
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
const ms = (x: number | null) => (x === null ? '-' : x.toFixed(0));
const HEADER = 'minute  readings  skipped  overruns  latency p50 / p95 / max ms  page heap MiB  worker heap MiB  tensors';
const row = (m: SoakMinute, lat: number[]) =>
  [
    String(m.minute).padStart(6),
    String(m.readings).padStart(8),
    String(m.skipped).padStart(7),
    String(m.overruns).padStart(8),
    `${ms(percentile(lat, 50))} / ${ms(percentile(lat, 95))} / ${ms(lat.length ? Math.max(...lat) : null)}`.padStart(26),
    mib(m.pageHeapBytes).padStart(13),
    mib(m.workerHeapBytes).padStart(15),
    String(m.tensors).padStart(7),
  ].join('  ');

/** Stops the minute loop early (Ctrl-C): the soak then judges the minutes it has. */
let interrupted = false;
let wake: () => void = () => {};
const sleepUntil = (at: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, at - Date.now()));
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

async function openAndListen(page: Page, url: string, backend: SoakOptions['backend']): Promise<void> {
  await page.goto(backend ? `${url}?backend=${backend}` : url);
  const status = page.locator('vm-engine-status[data-model-state="ready"], vm-engine-status[data-model-state="failed"]');
  await status.waitFor({ state: 'attached', timeout: 180_000 });
  if ((await status.getAttribute('data-model-state')) !== 'ready') {
    throw new Error(`the model failed: ${(await page.locator('vm-app .model-line').textContent())?.trim()}`);
  }
  const engine = page.locator('vm-engine-status');
  console.log(`model ready on ${await engine.getAttribute('data-backend')}; listening to ${SPEECH_WAV} on a loop`);
  await installTally(page);
  await page.getByRole('button', { name: 'Start listening' }).click();
  await page.locator('vm-app[data-capture-mode]').waitFor({ state: 'attached', timeout: 30_000 });
}

async function soak(browser: Browser, url: string, opts: SoakOptions): Promise<number> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('crash', () => console.log('the page crashed'));
  await openAndListen(page, url, opts.backend);
  const start = Date.now();
  const minutes: SoakMinute[] = [];
  const latencies: number[] = [];
  let hop: number | null = null;
  console.log(HEADER);
  for (let minute = 1; minute <= opts.minutes; minute++) {
    if (!interrupted) await sleepUntil(start + minute * MINUTE_MS);
    if (interrupted) break; // also when Ctrl-C came while the last minute was measured
    const tally = await drainTally(page);
    hop = tally.hop ?? hop;
    const heap = await heaps(page);
    const m: SoakMinute = {
      minute,
      readings: tally.readings,
      skipped: tally.skipped,
      overruns: await overruns(page),
      pageHeapBytes: heap.page,
      workerHeapBytes: heap.worker,
      tensors: await tensors(page),
    };
    minutes.push(m);
    latencies.push(...tally.latencies);
    console.log(row(m, tally.latencies));
  }
  if (!page.isClosed()) await page.getByRole('button', { name: 'Stop' }).click();
  if (minutes.length === 0) {
    console.log('no minute was completed: nothing to judge');
    return interrupted ? 130 : 1;
  }
  if (hop === null) throw new Error('no reading told the session hop: no reading came');
  const readings = minutes.reduce((n, m) => n + m.readings, 0);
  const p = (q: number) => ms(percentile(latencies, q));
  console.log(
    `\n${minutes.length} min, hop ${hop} s: ${readings} readings; latency (ring -> painted) p50 ${p(50)} ms, ` +
      `p95 ${p(95)} ms, p99 ${p(99)} ms, max ${p(100)} ms`,
  );
  const goals = soakVerdict(minutes, { hopSeconds: hop, warmupMinutes: opts.warmup });
  for (const g of goals) console.log(`${g.pass === null ? 'N/A ' : g.pass ? 'PASS' : 'FAIL'} ${g.name}: ${g.detail}`);
  const failed = goals.some((g) => g.pass === false);
  console.log(`verdict: ${failed ? 'FAIL' : 'PASS'}${goals.some((g) => g.pass === null) ? ' (some goals not judged: run longer)' : ''}`);
  if (interrupted) return 130;
  return failed ? 1 : 0;
}

async function run(opts: SoakOptions): Promise<number> {
  buildIfStale((line) => console.log(line));
  const server = await startPreview();
  process.once('exit', server.stop);
  let interruptedAt = 0;
  const onSignal = () => {
    // One Ctrl-C often arrives twice (from the terminal and forwarded by npm): only a second
    // one a while later means "leave now" ('exit' stops the server).
    if (interrupted) {
      if (Date.now() - interruptedAt > 2000) process.exit(130);
      return;
    }
    interrupted = true;
    interruptedAt = Date.now();
    console.log('\ninterrupted: judging the minutes so far (Ctrl-C again to leave at once)');
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: config.use?.launchOptions?.executablePath,
      args: [
        ...(config.use?.launchOptions?.args ?? []),
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-audio-capture=${SPEECH_WAV}`,
      ],
      // The soak closes the browser itself, after judging what it has.
      handleSIGINT: false,
      handleSIGTERM: false,
    });
    console.log(`soak: ${opts.minutes} min against ${server.url} (Chromium ${browser.version()})`);
    return await soak(browser, server.url, opts);
  } finally {
    await browser?.close().catch(() => {});
    server.stop();
  }
}

runCli('soak', USAGE, parse, run);
