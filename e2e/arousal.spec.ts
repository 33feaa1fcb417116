// Arousal on screen and in saved sessions (issue 15), in Chromium with a fake microphone
// playing e2e/fixtures/speech-44k.wav. With a one-output model (models/ravdess-live2-db,
// imported) there is no arousal scale at all; with an imported two-output model (valence, arousal: built in the
// setup by e2e/two-output-model.ts, seeded random weights) the scale shows a number while
// speech plays, the timeline draws a second line, and the saved session's CSV carries each
// reading's arousal. Screenshots at desktop and phone widths, light and dark.
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeModel, fakeMicLaunch, importModel, inUse, openReady, recordReadings, REPO_ROOT, TSX_ARGS, waitReady } from './support.ts';

const TWO_OUTPUT_NAME = 'two-output-e2e';

test.use(fakeMicLaunch());

/** A fresh two-output model folder (model.json, weights.bin, card.json). */
function twoOutputModelDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'vm-two-output-')), 'model');
  const r = spawnSync(process.execPath, [...TSX_ARGS, 'e2e/two-output-model.ts', dir, TWO_OUTPUT_NAME], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`two-output-model failed: ${r.stderr}`);
  return dir;
}

const fixed4 = (v: number | null) => (v === null ? '' : v.toFixed(4));

test('a one-output model shows no arousal scale, not even while speech plays', async ({ page }) => {
  await openReady(page);
  await importModel(page, join(REPO_ROOT, 'models', 'ravdess-live2-db'));
  await expect(activeModel(page)).toContainText('ravdess-live2-db', { timeout: 30_000 });
  await waitReady(page);
  await expect(page.locator('vm-engine-status')).toContainText('model ravdess-live2-db');
  const readings = await recordReadings(page);
  const gauge = page.locator('vm-valence-gauge');
  await expect(page.locator('vm-arousal-meter')).toHaveCount(0);
  await page.getByRole('button', { name: 'Start listening' }).click();
  await expect(gauge).toHaveAttribute('data-state', 'reading', { timeout: 40_000 });
  await expect(page.locator('vm-arousal-meter')).toHaveCount(0);
  await expect(page.getByRole('meter', { name: 'Arousal' })).toHaveCount(0);
  await expect(page.locator('vm-app vm-valence-timeline .legend')).toHaveCount(0);
  await page.getByRole('button', { name: 'Stop' }).click();
  const live = (await readings()).map((d) => d.reading);
  expect(live.some((r) => r.valence !== null)).toBe(true);
  expect(live.every((r) => r.arousal === null && r.smoothedArousal === null)).toBe(true);
});

test('a two-output model: the arousal scale shows a number while speech plays, and the session keeps it', async ({ page }, testInfo) => {
  const dir = twoOutputModelDir();
  await openReady(page);
  await importModel(page, dir);
  const status = page.locator('vm-engine-status');
  await expect(activeModel(page)).toHaveText(inUse(TWO_OUTPUT_NAME), { timeout: 30_000 });
  await waitReady(page);
  await expect(status).toContainText(`model ${TWO_OUTPUT_NAME}`);

  // Ready, not listening: the scale is there, without a number.
  const meter = page.locator('vm-arousal-meter');
  await expect(meter).toBeVisible();
  await expect(meter).toHaveAttribute('data-arousal', '');
  await expect(meter).toHaveAttribute('data-state', 'idle');

  const readings = await recordReadings(page);
  await page.getByRole('button', { name: 'Start listening' }).click();
  const gauge = page.locator('vm-valence-gauge');
  await expect(gauge).toHaveAttribute('data-state', 'reading', { timeout: 40_000 });
  await expect(meter).toHaveAttribute('data-arousal', /^-?\d/, { timeout: 10_000 });
  await expect(meter).toHaveAttribute('data-state', /^(reading|held|no-speech)$/);
  const shown = Number(await meter.getAttribute('data-arousal'));
  expect(Number.isFinite(shown)).toBe(true);
  await expect(page.getByRole('meter', { name: 'Arousal' })).toHaveAttribute('aria-valuetext', /^[+-]?\d\.\d\d, (calm|moderate|excited)$/);
  // The arousal the scale shows is a reading's smoothed arousal (its event follows the paint).
  await expect.poll(async () => (await readings()).map((d) => d.reading.smoothedArousal)).toContain(shown);
  // Valence and arousal agree on when there is a number.
  for (const { reading: r } of await readings()) expect(r.arousal === null).toBe(r.valence === null);

  // The live timeline draws arousal as a second line, with a legend.
  await expect.poll(async () => (await readings()).filter((d) => d.reading.arousal !== null).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  const timeline = page.locator('vm-app vm-valence-timeline').first(); // the live one: no session or file is shown yet
  await expect(timeline.locator('path.arousal-line')).toHaveCount(1);
  await expect(timeline.locator('.legend')).toContainText('arousal');
  await expect(timeline.getByRole('img')).toHaveAttribute('aria-label', /latest -?\d+\.\d\d \(arousal -?\d+\.\d\d\) at/);

  // As a user sees it: desktop and phone widths, light and dark, while speech plays.
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await expect(meter).toHaveAttribute('data-state', 'reading', { timeout: 20_000 });
      await page.waitForTimeout(300); // the marker's and the needle's transitions
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: testInfo.outputPath(`arousal-${colorScheme}-${width}.png`) });
    }
  }

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(meter).toHaveAttribute('data-arousal', '');
  await expect(meter).toHaveAttribute('data-state', 'idle');
  const live = (await readings()).map((d) => d.reading);

  // The saved session: its timeline has the arousal line, its CSV each reading's arousal.
  const history = page.locator('vm-session-history');
  await expect(history.locator('.item').first()).toContainText(`${live.length} readings`, { timeout: 10_000 });
  await history.locator('.item').first().click();
  await expect(history.locator('.detail vm-valence-timeline path.arousal-line')).toHaveCount(1);
  const downloading = page.waitForEvent('download');
  await history.getByRole('button', { name: 'Download CSV' }).click();
  const path = testInfo.outputPath('session.csv');
  await (await downloading).saveAs(path);
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  expect(header).toBe('t_seconds,time,valence,smoothed,state,arousal,smoothed_arousal,hop_seconds,smoothing_seconds,model,microphone');
  expect(rows).toHaveLength(live.length);
  rows.forEach((row, i) => {
    const cells = row.split(',');
    expect(cells).toHaveLength(11);
    // the settings it was made with: the default hop and smoothing, the model in use
    expect(cells.slice(7, 10)).toEqual(['0.5', '0', TWO_OUTPUT_NAME]);
    const r = live[i];
    expect(Number(cells[0])).toBeCloseTo(r.time, 3);
    expect(cells[2]).toBe(fixed4(r.valence));
    expect(cells[5]).toBe(fixed4(r.arousal));
    expect(cells[6]).toBe(fixed4(r.smoothedArousal));
  });
  expect(rows.filter((row) => row.split(',')[5] !== '').length).toBeGreaterThanOrEqual(3);
});
