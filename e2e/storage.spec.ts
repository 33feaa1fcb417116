// The app's storage and offline use (issue 6) in Chromium with a fake microphone playing
// e2e/fixtures/speech-44k.wav: the model comes from IndexedDB on the second load (no
// weights request), a model folder is imported and a corrupt one refused, sessions are
// saved as they run and exported, a file is analysed in the page with the numbers of
// `npm run analyze -- --timeline` and the one figure of `npm run analyze`, and listening
// works offline after one online visit.
import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileReadingsEventDetail } from '../src/ui/vm-app.ts';
import { formatValence } from '../src/ui/valence-scale.ts';
import { activeModel, analyzeFigures, analyzeTimeline, BUNDLED, fakeMicLaunch, importModel, inUse, namesModel, openReady, OTHER_MODEL as IMPORTED, recordReadings, REPO_ROOT, SPEECH_WAV, waitForValence, waitReady } from './support.ts';

const IMPORT_DIR = join(REPO_ROOT, 'models', IMPORTED);
/** A 4.6 s, 16 kHz clip: short enough for the report's one window. */
const SHORT_WAV = fileURLToPath(new URL('./fixtures/speech.wav', import.meta.url));

test.use(fakeMicLaunch());

/** The next file analysis's readings and figure (the app's vm-file-readings event). */
const nextFileReadings = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<FileReadingsEventDetail>((resolve) =>
        document.addEventListener('vm-file-readings', (e) => resolve((e as CustomEvent<FileReadingsEventDetail>).detail), { once: true }),
      ),
  );

// One page for both: the import starts from the second load's state (the bundled model
// stored, nothing imported), which a fresh page would reach only by loading it again.
test('the second load takes the model from IndexedDB (no request for weights.bin); a model folder is imported and used, a corrupt copy refused', async ({ page }) => {
  await test.step('the second load takes the model from IndexedDB: no request for weights.bin', async () => {
    const firstLoad: string[] = [];
    page.on('request', (r) => firstLoad.push(r.url()));
    await openReady(page);
    // First run: the page itself fetched the bundled model into the store.
    expect(firstLoad.some((u) => u.endsWith('/weights.bin'))).toBe(true);
    await expect(activeModel(page)).toHaveText(inUse(BUNDLED));

    const secondLoad: string[] = [];
    page.on('request', (r) => secondLoad.push(r.url()));
    await page.reload();
    await waitReady(page);
    await expect(page.locator('vm-engine-status')).toContainText(namesModel(BUNDLED));
    expect(secondLoad.filter((u) => u.includes('/models/')).every((u) => !u.endsWith('.bin'))).toBe(true);
    expect(secondLoad.some((u) => u.endsWith('index.json'))).toBe(true); // the cheap "has it changed" check
  });

  await test.step('a model folder is imported and used; a corrupt copy is refused and the model stays', async () => {
    await importModel(page, IMPORT_DIR);
    await expect(activeModel(page)).toHaveText(inUse(IMPORTED), { timeout: 30_000 });
    const status = page.locator('vm-engine-status');
    await waitReady(page);
    await expect(status).toContainText(namesModel(IMPORTED));
    await expect(page.locator('vm-model-manager li')).toHaveCount(2);

    // A copy with flipped bytes in its weights.
    const dir = mkdtempSync(join(tmpdir(), 'vm-corrupt-'));
    for (const f of ['model.json', 'card.json']) copyFileSync(join(IMPORT_DIR, f), join(dir, f));
    const weights = readFileSync(join(IMPORT_DIR, 'weights.bin'));
    for (let i = 1000; i < 1016; i++) weights[i] ^= 0xff;
    writeFileSync(join(dir, 'weights.bin'), weights);
    await importModel(page, dir);
    const error = page.locator('vm-model-manager .error');
    await expect(error).toContainText('Model not imported');
    await expect(error).toContainText('checksum');
    await expect(activeModel(page)).toHaveText(inUse(IMPORTED));
    await expect(status).toHaveAttribute('data-model-state', 'ready');
    await expect(status).toContainText(namesModel(IMPORTED));

    // The choice survives a reload.
    await page.reload();
    await waitReady(page);
    await expect(status).toContainText(namesModel(IMPORTED));
  });
});

test('a listening session is saved as it runs, is in the history after a reload, and exports as CSV', async ({ page }, testInfo) => {
  await openReady(page);
  const readings = await recordReadings(page);
  await page.getByRole('button', { name: 'Start listening' }).click();
  await waitForValence(readings, 3);
  const history = page.locator('vm-session-history');
  // The running session is listed, its count following the stored readings.
  await expect(history.locator('.item').first()).toContainText(/[1-9]\d* readings · recording/, { timeout: 10_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  const live = (await readings()).map((d) => d.reading);
  await expect(history.locator('.item')).toHaveCount(1);
  await expect(history.locator('.item').first()).toContainText(`${live.length} readings`);
  await expect(history.locator('.item').first()).not.toContainText('recording');

  await page.reload();
  await expect(history.locator('.item')).toHaveCount(1, { timeout: 30_000 });
  await expect(history.locator('.item').first()).toContainText(`${live.length} readings`);
  await history.locator('.item').first().click();
  await expect(history.locator('.detail')).toContainText(`${live.length} readings`);
  await expect(history.locator('.detail vm-valence-timeline')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('session-history.png'), fullPage: true });

  const downloading = page.waitForEvent('download');
  await history.getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^valence-session-.*\.csv$/);
  const path = testInfo.outputPath('session.csv');
  await download.saveAs(path);
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  expect(header).toBe('t_seconds,time,valence,smoothed,state,arousal,smoothed_arousal,hop_seconds,smoothing_seconds,model,microphone');
  expect(rows).toHaveLength(live.length);
  rows.forEach((row, i) => {
    const [t, , valence, , state, arousal, smoothedArousal] = row.split(',');
    const r = live[i];
    expect(Number(t)).toBeCloseTo(r.time, 3);
    expect(valence).toBe(r.valence === null ? '' : r.valence.toFixed(4));
    expect(state).toBe(r.held ? 'held' : r.speech ? (r.valence === null ? 'no-model' : 'speech') : 'no-speech');
    // The arousal columns (appended after the others): the reading's, empty where it has none
    // (silence, or a one-output model).
    expect(arousal).toBe(r.arousal === null ? '' : r.arousal.toFixed(4));
    expect(smoothedArousal).toBe(r.smoothedArousal === null ? '' : r.smoothedArousal.toFixed(4));
  });
  // The summary's figures are the CSV's: mean, lowest and highest of its valence column.
  const values = rows.map((row) => row.split(',')[2]).filter((v) => v !== '').map(Number);
  expect(values.length).toBeGreaterThan(0);
  const signed = (v: number) => (Math.abs(v).toFixed(2) === '0.00' ? '0.00' : `${v < 0 ? '-' : '+'}${Math.abs(v).toFixed(2)}`);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  await expect(history.locator('.detail .summary')).toContainText(
    `mean ${signed(mean)}, from ${signed(Math.min(...values))} to ${signed(Math.max(...values))}`,
  );
});

// One page for both: each file analysis is a new pick in the same file input.
test('a file analysed in the page gives the readings and the figure of analyze; a WAV cut short is analysed with a warning', async ({ page }) => {
  // Three files through the analysis worker and the CLI for each: 66 s of the default 120 in a
  // CI rehearsal, too close under a busier machine.
  test.setTimeout(240_000);
  await openReady(page);
  await test.step('a file analysed in the page gives the readings of analyze --timeline and the figure of analyze, with its rule', async () => {
    const result = nextFileReadings(page);
    await page.locator('vm-file-analysis #audio').setInputFiles(SPEECH_WAV);
    const got = await result;
    expect(got.decoder).toBe('wav'); // the project's WAV decoder: the file's own 44.1 kHz, no browser resampling
    expect(got.sampleRate).toBe(44_100);
    await expect(page.locator('vm-file-analysis .summary')).toContainText('speech-44k.wav');
    await expect(page.locator('vm-file-analysis vm-valence-timeline')).toBeVisible();

    const rows = analyzeTimeline(SPEECH_WAV, ['--gate']);
    expect(got.readings.map((r) => r.time.toFixed(3))).toEqual(rows.map((r) => r.time.toFixed(3)));
    let max = 0;
    let compared = 0;
    got.readings.forEach((r, i) => {
      expect(r.speech, `gate at ${r.time}`).toBe(rows[i].speech === 'yes');
      if (r.valence === null) return;
      max = Math.max(max, Math.abs(r.valence - rows[i].valence));
      compared++;
    });
    expect(compared).toBeGreaterThan(5);
    expect(max).toBeLessThan(1e-3);
    console.log(`file analysis: ${got.readings.length} readings, ${compared} with speech, max |diff| vs analyze ${max.toExponential(2)}`);

    // One figure per file, by the rule analyze names (issue 11 item 6): a 12.2 s file gets the
    // mean of its speech readings, a 4.6 s clip the report's one window; the page says which.
    const [long, short] = analyzeFigures([SPEECH_WAV, SHORT_WAV]);
    expect(got.headline.rule).toBe(long.rule);
    expect(long.rule).toBe('speech-mean');
    expect(got.headline.speechReadings).toBe(long.speech_readings);
    expect(Math.abs(got.headline.valence! - long.valence!)).toBeLessThan(1e-3);
    await expect(page.locator('vm-file-analysis .summary')).toContainText(`(mean of ${long.speech_readings} speech readings, 7.7 s windows every 0.5 s)`);
    const second = nextFileReadings(page);
    await page.locator('vm-file-analysis #audio').setInputFiles(SHORT_WAV);
    const clip = await second;
    expect(short.rule).toBe('report-window');
    expect(clip.headline.rule).toBe('report-window');
    expect(Math.abs(clip.headline.valence! - short.valence!)).toBeLessThan(1e-3);
    await expect(page.locator('vm-file-analysis .summary')).toContainText(`valence ${formatValence(short.valence!)}`);
    await expect(page.locator('vm-file-analysis .summary')).toContainText('(whole clip in one 7.7 s window, the rule for clips up to 7.7 s)');
  });

  await test.step('a WAV cut short is analysed in the page, with a warning that names the file and the missing bytes', async () => {
    const whole = readFileSync(SPEECH_WAV);
    const at = whole.indexOf('data') + 8; // the data chunk's first byte
    const declared = whole.readUInt32LE(at - 4);
    const [rate, block] = [whole.readUInt32LE(24), whole.readUInt16LE(32)];
    expect(whole.length).toBe(at + declared);
    const cut = join(mkdtempSync(join(tmpdir(), 'vm-cut-')), 'speech-cut.wav');
    writeFileSync(cut, whole.subarray(0, whole.length - 1000));
    const seconds = Math.floor((declared - 1000) / block) / rate;
    await page.locator('vm-file-analysis #audio').setInputFiles(cut);
    await expect(page.locator('vm-file-analysis .warning')).toHaveText(
      `speech-cut.wav: the WAV file is cut short: its data chunk declares ${declared} bytes but holds ${declared - 1000} ` +
        `(1000 bytes missing); only the ${seconds.toFixed(3)} s present are analysed`,
    );
    await expect(page.locator('vm-file-analysis .summary')).toContainText('speech-cut.wav');
    await expect(page.locator('vm-file-analysis vm-valence-timeline')).toBeVisible();
  });
});

test('after one online visit, listening works offline', async ({ page, context }, testInfo) => {
  await openReady(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  await context.setOffline(true);
  await page.reload();
  await waitReady(page);
  await page.getByRole('button', { name: 'Start listening' }).click();
  const gauge = page.locator('vm-valence-gauge');
  await expect(gauge).toHaveAttribute('data-state', /^(reading|held|no-speech)$/, { timeout: 30_000 });
  await expect(gauge).toHaveAttribute('data-state', 'reading', { timeout: 30_000 });
  expect(Number.isFinite(Number(await gauge.getAttribute('data-valence')))).toBe(true);
  expect(await gauge.getAttribute('data-valence')).not.toBe('');
  await page.screenshot({ path: testInfo.outputPath('offline-listening.png'), fullPage: true });
  await page.getByRole('button', { name: 'Stop' }).click();
  await context.setOffline(false);
});

test('an update waits for the end of the listening session', async ({ page }) => {
  await openReady(page);
  // What src/main.ts does when register-sw reports a waiting version, with a recording `apply`.
  await page.evaluate(() => {
    (globalThis as unknown as { vmApplied: number }).vmApplied = 0;
    document.querySelector('vm-app')!.offerUpdate(() => (globalThis as unknown as { vmApplied: number }).vmApplied++);
  });
  const applied = () => page.evaluate(() => (globalThis as unknown as { vmApplied: number }).vmApplied);
  const banner = page.locator('vm-update-banner');
  await expect(banner).toContainText('Update available');
  await page.getByRole('button', { name: 'Start listening' }).click();
  await expect(page.locator('vm-valence-gauge')).toHaveAttribute('data-state', /listening|no-speech|held|reading/);
  await banner.getByRole('button', { name: 'Reload to update' }).click();
  await expect(banner).toContainText('when you stop listening');
  await page.waitForTimeout(500);
  expect(await applied()).toBe(0);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect.poll(applied).toBe(1);
});

test('a model imported while listening is used from the next session, and the screen says so', async ({ page }) => {
  await openReady(page);
  const status = page.locator('vm-engine-status');
  await page.getByRole('button', { name: 'Start listening' }).click();
  await expect(page.locator('vm-valence-gauge')).toHaveAttribute('data-state', /no-speech|held|reading/, { timeout: 20_000 });
  await importModel(page, IMPORT_DIR);
  await expect(activeModel(page)).toHaveText(inUse(IMPORTED), { timeout: 30_000 });
  await expect(page.locator('vm-app .notice')).toContainText('next session');
  // The running session keeps its model.
  await expect(status).toContainText(namesModel(BUNDLED));
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.locator('vm-app .notice')).toHaveCount(0);
  await waitReady(page);
  await expect(status).toContainText(namesModel(IMPORTED));
});
