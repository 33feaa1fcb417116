// Per-reading cost of each stage (resample, gate, Mel, CNN) on WebGL and wasm, the time
// from a quantum entering the ring to its reading painted on screen, and the page's main
// thread long tasks while listening (PerformanceObserver 'longtask', > 50 ms).
// BENCH_SECONDS (default 60) is how long the chosen backend listens; WebGL listens
// BENCH_WEBGL_SECONDS (default 20): software WebGL here is slow and the point is its cost.
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import config from '../../playwright.config.ts';
import type { ReadingEventDetail } from '../../src/ui/vm-app.ts';

const SPEECH_WAV = fileURLToPath(new URL('../fixtures/speech-44k.wav', import.meta.url));
const BASE_ARGS = config.use?.launchOptions?.args ?? [];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WEBGL_SECONDS = Number(process.env.BENCH_WEBGL_SECONDS ?? 20);

test.use({
  launchOptions: {
    executablePath: config.use?.launchOptions?.executablePath,
    args: [
      ...BASE_ARGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${SPEECH_WAV}`,
    ],
  },
});

interface BenchLog {
  readings: ReadingEventDetail[];
  longTasks: number[];
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const cell = (xs: number[]) => `${quantile(xs, 0.5).toFixed(1)} / ${quantile(xs, 0.95).toFixed(1)}`;

const rows: string[] = [];

for (const backend of ['wasm', 'webgl'] as const) {
  test(`live monitor on ${backend}`, async ({ page }) => {
    const seconds = backend === 'webgl' ? WEBGL_SECONDS : SECONDS;
    await page.goto(`/?backend=${backend}`);
    await expect(page.locator('vm-engine-status')).toHaveAttribute('data-model-state', 'ready', { timeout: 120_000 });
    const used = await page.locator('vm-engine-status').getAttribute('data-backend');
    await page.evaluate(() => {
      const log: BenchLog = { readings: [], longTasks: [] };
      (globalThis as unknown as { vmBench: BenchLog }).vmBench = log;
      document.addEventListener('vm-reading', (e) => log.readings.push((e as CustomEvent<ReadingEventDetail>).detail));
      new PerformanceObserver((list) => list.getEntries().forEach((t) => log.longTasks.push(t.duration))).observe({ type: 'longtask' });
    });
    await page.getByRole('button', { name: 'Start listening' }).click();
    await page.waitForTimeout(seconds * 1000);
    const log = await page.evaluate(() => (globalThis as unknown as { vmBench: BenchLog }).vmBench);
    const info = await page.locator('vm-app .info').textContent();
    await page.getByRole('button', { name: 'Stop' }).click();

    const speech = log.readings.filter((r) => r.reading.speech && r.reading.valence !== null);
    const t = (k: keyof ReadingEventDetail['reading']['timings']) => speech.map((r) => r.reading.timings[k]);
    const total = speech.map((r) => r.reading.timings.resampleMs + r.reading.timings.gateMs + r.reading.timings.melMs + r.reading.timings.cnnMs);
    const skipped = log.readings.reduce((n, r) => n + r.reading.skipped, 0);
    rows.push(
      [
        `${backend} (in use: ${used})`,
        `${seconds} s`,
        `${log.readings.length} (${speech.length} speech, ${skipped} skipped)`,
        cell(t('resampleMs')),
        cell(t('gateMs')),
        cell(t('melMs')),
        cell(t('cnnMs')),
        cell(total),
        cell(log.readings.map((r) => r.latencyMs)),
        `${log.longTasks.length} (max ${log.longTasks.length ? Math.max(...log.longTasks).toFixed(0) : 0} ms)`,
      ].join(' | '),
    );
    console.log(`${backend}: ${info}`);
  });
}

test.afterAll(() => {
  console.log(
    '\nper reading, median / p95 in ms (speech readings; latency: quantum in the ring -> reading painted)\n' +
      'backend | listened | readings | resample | gate | Mel | CNN | total | latency | main-thread long tasks\n' +
      rows.join('\n'),
  );
});
