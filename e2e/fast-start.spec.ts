// Fast start (issue 11 item 3). The first visit starts on wasm without waiting and times
// the backends in a second worker while nobody listens; the result is stored with the
// browser and GPU it was timed on. The second visit uses it at once, times nothing, and
// its first reading comes a few seconds after loading (printed, not asserted: shared
// machines are noisy). A stored choice is really what the worker starts on: changed to
// WebGL in the database, the next visit runs WebGL and says it was kept. No GPU here:
// headless Chromium has navigator.gpu but no adapter, so the timing lists WebGPU's trial
// with that note, and the WebGPU backend's code is never fetched.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav } from '../src/audio/decode-wav.ts';
import { floatWav } from '../src/ui/wav-file.ts';
import { fakeMicLaunch, openDiagnostics, recordReadings, SPEECH_WAV } from './support.ts';

/** The speech fixture without its 1.5 s of leading silence: speech at the mic from the start. */
function speechFromTheStart(): string {
  const { channels, sampleRate } = decodeWav(new Uint8Array(readFileSync(SPEECH_WAV)));
  const onset = channels[0].findIndex((v) => Math.abs(v) > 1e-3);
  const path = join(mkdtempSync(join(tmpdir(), 'vm-fast-start-')), 'speech.wav');
  writeFileSync(path, floatWav(channels[0].subarray(Math.max(0, onset - 800)), sampleRate));
  return path;
}

test.use(fakeMicLaunch(speechFromTheStart()));

const status = (page: Page) => page.locator('vm-engine-status');

/**
 * Loads the app, presses Start as soon as it is there, and gives the ms from loading to the
 * model being ready and to the first reading with a valence.
 */
async function timeToFirstReading(page: Page): Promise<{ readyMs: number; readingMs: number }> {
  const t0 = Date.now();
  await page.goto('/');
  const readings = await recordReadings(page);
  await page.getByRole('button', { name: 'Start listening' }).click();
  await expect(status(page)).toHaveAttribute('data-model-state', 'ready', { timeout: 60_000 });
  const readyMs = Date.now() - t0;
  await expect.poll(async () => (await readings()).some((r) => r.reading.valence !== null), { timeout: 60_000, intervals: [50] }).toBe(true);
  const readingMs = Date.now() - t0;
  await page.getByRole('button', { name: 'Stop' }).click();
  return { readyMs, readingMs };
}

/** The stored backend choice's backend and reason, read from the page's IndexedDB. */
const storedChoice = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ backend: string; reason: string } | undefined>((resolve, reject) => {
        const open = indexedDB.open('valence-monitor');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('meta').objectStore('meta').get('backendChoice');
          get.onsuccess = () => (open.result.close(), resolve(get.result));
          get.onerror = () => reject(get.error);
        };
      }),
  );

/** Edits the stored backend choice in the page's IndexedDB. */
async function editStoredChoice(page: Page, change: { backend: string; reason: string }): Promise<void> {
  await page.evaluate(
    (c) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('valence-monitor');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('meta', 'readwrite');
          const meta = tx.objectStore('meta');
          const get = meta.get('backendChoice');
          get.onsuccess = () => meta.put({ ...get.result, ...c }, 'backendChoice');
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    change,
  );
}

// One test, not two: the stored choice the second visit keeps is the one edited below, so a
// second first visit (the page load and a whole background timing, WebGL in software) is
// not paid for again.
test('the first visit times the backends in the background; the second uses that choice at once; a stored choice is what the worker starts on', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  // Every path the page and its workers fetch (the analysis workers' requests are the page's too).
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const firstMs = Date.now();
  await page.goto('/');
  await expect(status(page)).toHaveAttribute('data-model-state', 'ready', { timeout: 60_000 });
  const readyMs = Date.now() - firstMs;
  await expect(status(page)).toHaveAttribute('data-backend', 'wasm');
  // While nobody listens the timing runs, in its own worker; then it is kept.
  await expect(status(page)).toHaveAttribute('data-backend-note', 'timed', { timeout: 90_000 });
  await expect(status(page)).toContainText(/Timed in the background: \w+ is fastest: .* vs /);
  await expect(status(page)).toContainText(/Timed in the background: wasm is fastest: .* vs webgl .*, webgpu unavailable/);
  await openDiagnostics(page);
  const timings = status(page).locator('details[data-trials="timed"]');
  await timings.locator('summary').click();
  const webgpu = timings.locator('tr[data-trial="webgpu"] td');
  await expect(webgpu).toHaveText(['webgpu', '—', '—', 'WebGPU: no adapter']);
  await expect(timings.locator('tr[data-trial="webgl"] td').nth(3)).toContainText(/^renderer .*\(software\)$/);
  expect(requested.some((p) => /\/assets\/tfjs-backend-wasm[-\w]*\.wasm$/.test(p))).toBe(true); // a worker's fetch is seen
  expect(requested.filter((p) => p.includes('tfjs-webgpu'))).toEqual([]);

  const second = await timeToFirstReading(page);
  await expect(status(page)).toHaveAttribute('data-backend-note', 'kept');
  await expect(status(page)).toContainText(/Chosen when the backends were timed on .*; kept for this browser and GPU\./);
  await expect(status(page)).toContainText('(the only backend tried)'); // nothing was timed again

  const summary =
    `first visit ready after ${readyMs} ms (wasm, timing in the background); ` +
    `second visit: model ready ${second.readyMs} ms, first reading ${second.readingMs} ms after loading`;
  testInfo.annotations.push({ type: 'fast-start', description: summary });
  console.log(summary);

  // A stored choice is what the worker starts on: changed to WebGL, the next visit runs WebGL.
  await editStoredChoice(page, { backend: 'webgl', reason: 'webgl chosen by this test' });
  await page.reload();
  await expect(status(page)).toHaveAttribute('data-model-state', 'ready', { timeout: 90_000 });
  await expect(status(page)).toHaveAttribute('data-backend', 'webgl');
  await expect(status(page)).toHaveAttribute('data-backend-note', 'kept');
  await expect(status(page)).toContainText('(webgl chosen by this test); kept for this browser and GPU.');
  // Asked to time again, it does, in the background, stores what it found and takes it up.
  await openDiagnostics(page);
  await page.getByRole('button', { name: 'Time the backends again' }).click();
  await expect.poll(async () => (await storedChoice(page))?.reason, { timeout: 120_000 }).toMatch(/ is fastest: /);
  const timed = (await storedChoice(page))!;
  await expect(status(page)).toHaveAttribute('data-backend', timed.backend, { timeout: 90_000 });
});
