// Listening in Chromium with a fake microphone, beyond the fixture comparison of
// e2e/live.spec.ts: on WebGL (forced) the readings are analyze --timeline's on the same
// audio; silence shows "no speech"; a model that cannot load says so. These run with the
// other specs; only live.spec.ts's comparison needs the machine to itself.
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import config from '../playwright.config.ts';
import { analyzeTimeline, fakeMicLaunch, openDiagnostics, recordReadings, SPEECH_WAV, waitForValence } from './support.ts';

const SILENCE_WAV = fileURLToPath(new URL('./fixtures/silence.wav', import.meta.url));

// Launch options are per file: this file's browser has a fake microphone playing speech.
test.use(fakeMicLaunch(SPEECH_WAV));

// WebGL is timed at start-up but wasm wins here (software GPU), so the WebGL path's numbers
// would go unchecked: force it, and hold its readings to analyze's on the captured audio.
test('on WebGL (forced) the readings equal analyze --timeline on the same audio', async ({ page }, testInfo) => {
  await page.goto('/?backend=webgl');
  const readingsOf = await recordReadings(page);
  const status = page.locator('vm-engine-status');
  await expect(status).toHaveAttribute('data-model-state', 'ready', { timeout: 90_000 });
  await expect(status).toContainText(/Backend webgl/);
  await page.getByRole('button', { name: 'Start listening' }).click();
  await waitForValence(readingsOf, 3, 90_000);
  await page.getByRole('button', { name: 'Stop' }).click();
  const live = await readingsOf();
  const downloading = page.waitForEvent('download');
  await openDiagnostics(page); // the download sits in the collapsed Diagnostics section
  await page.getByRole('button', { name: 'Download audio (WAV)' }).click();
  const captured = testInfo.outputPath('session-webgl.wav');
  await (await downloading).saveAs(captured);
  const rows = new Map(analyzeTimeline(captured).map((r) => [r.time.toFixed(3), r]));
  let maxDiff = 0;
  let compared = 0;
  for (const { reading } of live) {
    const row = rows.get(reading.time.toFixed(3));
    if (reading.valence === null || !row) continue;
    maxDiff = Math.max(maxDiff, Math.abs(reading.valence - row.valence));
    compared++;
  }
  testInfo.annotations.push({ type: 'webgl-vs-analyze', description: `max |diff| ${maxDiff.toExponential(2)} over ${compared}` });
  console.log(`webgl vs analyze: max |diff| ${maxDiff.toExponential(2)} over ${compared} readings`);
  expect(compared).toBeGreaterThanOrEqual(3);
  expect(maxDiff).toBeLessThan(1e-3);
});

test('silence shows "no speech", not a number', async ({ playwright }) => {
  const browser = await playwright.chromium.launch({ ...fakeMicLaunch(SILENCE_WAV).launchOptions, args: fakeMicLaunch(SILENCE_WAV).launchOptions.args });
  try {
    const page = await browser.newPage({ baseURL: config.use?.baseURL });
    await page.goto('/?backend=wasm');
    await page.getByRole('button', { name: 'Start listening' }).click();
    const gauge = page.locator('vm-valence-gauge');
    await expect(gauge).toHaveAttribute('data-state', 'no-speech', { timeout: 60_000 });
    await expect(gauge).toHaveAttribute('data-valence', '');
    await expect(gauge.locator('.status')).toHaveText('No speech detected');
    await page.waitForTimeout(1500); // stays so over further readings
    await expect(gauge).toHaveAttribute('data-state', 'no-speech');
  } finally {
    await browser.close();
  }
});

test('a model that cannot load is reported clearly', async ({ page }) => {
  await page.route('**/models/index.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  const status = page.locator('vm-engine-status');
  await expect(status).toHaveAttribute('data-model-state', 'failed', { timeout: 30_000 });
  await expect(status).toContainText('The model could not be loaded');
  await expect(status).toContainText('HTTP 404');
  await expect(page.locator('vm-valence-gauge')).toHaveAttribute('data-state', 'error');
});
