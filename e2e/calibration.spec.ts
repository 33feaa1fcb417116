// "Calibrate to my voice" (issue 16 section 1) in Chromium with a fake microphone: two
// prompts recorded through the live capture path (the level meter moves), a file imported
// with a label picked for it (its samples are the project's decoder's, bit for bit), all
// three there after a reload, one deleted (and still gone after another reload), the set
// exported as downloads (WAVs + manifest.csv) where the browser has no folder picker; and, in
// a second browser whose microphone hears only a quiet room, a clip refused for holding no
// speech (and a file of it too). Screenshots of the view at desktop and phone width, light and dark.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '../src/audio/decode-wav.ts';
import { toMono } from '../src/dsp/mono.ts';
import { fakeMicLaunch, SPEECH_WAV } from './support.ts';

const SILENCE_WAV = fileURLToPath(new URL('./fixtures/silence.wav', import.meta.url));
const IMPORT_WAV = fileURLToPath(new URL('./fixtures/speech.wav', import.meta.url));

test.use(fakeMicLaunch(SPEECH_WAV));

const view = (page: Page) => page.locator('vm-calibration');
const prompt = (page: Page, id: string) => page.locator(`vm-clip-row[data-prompt="${id}"]`);
const status = (page: Page) => view(page).locator('p[role="status"][data-clips]');

/** Opens the app and the calibration view, once the stored clips are read. */
async function openCalibration(page: Page): Promise<void> {
  await page.goto('/?backend=wasm');
  await view(page).locator('summary').click();
  await expect(status(page)).not.toHaveText('Reading the stored clips…');
}

/** Records prompt `id` for at least `seconds` (by the view's own count), then stops. */
async function record(page: Page, id: string, seconds: number): Promise<void> {
  const row = prompt(page, id);
  await row.getByRole('button', { name: /^(Record|Redo) / }).click();
  await expect(row).toHaveAttribute('data-state', 'recording', { timeout: 20_000 });
  await expect.poll(async () => Number((await row.locator('.length').textContent())?.replace(' s', '')), { timeout: 20_000 }).toBeGreaterThanOrEqual(seconds);
  await row.getByRole('button', { name: /^Stop / }).click();
}

test('records, imports, keeps across reloads, deletes and exports calibration clips', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openCalibration(page);
  await expect(status(page)).toHaveText('0 of 14 prompts recorded, 0 clips from files.');

  // Prompt 1 (neutral): the row's level meter moves while the microphone plays speech.
  const first = prompt(page, 'p01');
  await first.getByRole('button', { name: 'Record prompt 1' }).click();
  await expect.poll(async () => Number(await first.locator('vm-level-meter').getAttribute('data-level')), { timeout: 20_000 }).toBeGreaterThan(0);
  await first.screenshot({ path: testInfo.outputPath('calibration-recording.png') });
  await expect.poll(async () => Number((await first.locator('.length').textContent())?.replace(' s', '')), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
  await first.getByRole('button', { name: 'Stop prompt 1' }).click();
  await expect(first).toHaveAttribute('data-state', 'saved');
  await expect(first).toContainText('valence 0.0, arousal 0.0');
  await record(page, 'p02', 3); // happy
  await expect(prompt(page, 'p02')).toHaveAttribute('data-state', 'saved');
  await expect(prompt(page, 'p02')).toContainText('valence +0.8, arousal +0.5');

  // A file, labelled sad before it is picked.
  await view(page).getByLabel('Label for imported files').selectOption('sad');
  await view(page).locator('#import').setInputFiles(IMPORT_WAV);
  const imported = view(page).locator('ul vm-clip-row');
  await expect(imported).toHaveCount(1);
  await expect(imported).toContainText('speech.wav');
  await expect(imported).toContainText('valence -0.6, arousal -0.5');
  await expect(status(page)).toHaveText('2 of 14 prompts recorded, 1 clip from files.');

  await page.reload();
  await openCalibration(page);
  await expect(status(page)).toHaveText('2 of 14 prompts recorded, 1 clip from files.');
  await expect(prompt(page, 'p01')).toHaveAttribute('data-state', 'saved');
  await expect(prompt(page, 'p02')).toHaveAttribute('data-state', 'saved');
  await expect(prompt(page, 'p03')).toHaveAttribute('data-state', 'empty');
  // What IndexedDB holds: the labels, recordings of 3 s or more at the capture's rate, and the
  // imported file's samples exactly as the project's decoder reads the file here.
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('valence-monitor');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = await new Promise<{ promptId: string | null; emotion: string; valence: number; arousal: number; sampleRate: number; samples: Float32Array }[]>((resolve) => {
      const r = db.transaction('clips').objectStore('clips').getAll();
      r.onsuccess = () => resolve(r.result);
    });
    db.close();
    return all.map((c) => ({ ...c, seconds: c.samples.length / c.sampleRate, samples: c.promptId === null ? Array.from(c.samples) : [] }));
  });
  expect(stored.map((c) => [c.promptId, c.emotion, c.valence, c.arousal])).toEqual([
    ['p01', 'neutral', 0, 0],
    ['p02', 'happy', 0.8, 0.5],
    [null, 'sad', -0.6, -0.5],
  ]);
  for (const c of stored.slice(0, 2)) expect(c.seconds).toBeGreaterThanOrEqual(3);
  const file = decodeWav(new Uint8Array(readFileSync(IMPORT_WAV)));
  expect(stored[2].sampleRate).toBe(file.sampleRate);
  expect(stored[2].samples).toEqual(Array.from(toMono(file.channels)));

  for (const [width, height] of [[1280, 900], [390, 844]]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await view(page).screenshot({ path: testInfo.outputPath(`calibration-${width}-${colorScheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Export without a folder picker: one download per clip, then the manifest.
  await page.evaluate(() => delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker);
  const downloads: { name: string; text: string }[] = [];
  page.on('download', async (d) => downloads.push({ name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'latin1') }));
  await view(page).getByRole('textbox', { name: 'Speaker' }).fill('tester');
  await view(page).getByRole('button', { name: 'Export clips' }).click();
  await expect(view(page).locator('p[role="status"]').last()).toHaveText('3 clips and manifest.csv downloaded: keep them in one folder.');
  await expect.poll(() => downloads.length).toBe(4);
  expect(downloads.map((d) => d.name).sort()).toEqual(['clip-01-neutral.wav', 'clip-02-happy.wav', 'clip-03-sad.wav', 'manifest.csv']);
  expect(downloads.find((d) => d.name === 'manifest.csv')?.text).toBe(
    'path,valence,speaker,arousal\nclip-01-neutral.wav,0,tester,0\nclip-02-happy.wav,0.8,tester,0.5\nclip-03-sad.wav,-0.6,tester,-0.5\n',
  );

  await prompt(page, 'p01').getByRole('button', { name: 'Delete prompt 1' }).click();
  await expect(prompt(page, 'p01')).toHaveAttribute('data-state', 'empty');
  await expect(status(page)).toHaveText('1 of 14 prompts recorded, 1 clip from files.');
  await page.reload();
  await openCalibration(page);
  await expect(status(page)).toHaveText('1 of 14 prompts recorded, 1 clip from files.');
  await expect(prompt(page, 'p01')).toHaveAttribute('data-state', 'empty');
  await expect(prompt(page, 'p02')).toHaveAttribute('data-state', 'saved');
  expect(errors).toEqual([]);
});

test('a clip without speech is refused, saying so', async ({ playwright }, testInfo) => {
  const launch = fakeMicLaunch(SILENCE_WAV).launchOptions;
  const browser = await playwright.chromium.launch(launch);
  try {
    const page = await browser.newPage({ baseURL: testInfo.project.use.baseURL });
    await openCalibration(page);
    await record(page, 'p01', 2);
    const row = prompt(page, 'p01');
    await expect(view(page).getByRole('alert')).toHaveText(/^No speech was heard in this clip \(its loudest moment is -\d+ dBFS\): speak closer to the microphone or louder, and record it again\.$/);
    await expect(row).toHaveAttribute('data-state', 'empty');
    await expect(status(page)).toHaveText('0 of 14 prompts recorded, 0 clips from files.');
    await view(page).locator('li', { has: row }).screenshot({ path: testInfo.outputPath('calibration-refused.png') });
    // A file of the same quiet room is refused too, named.
    await view(page).locator('#import').setInputFiles(SILENCE_WAV);
    await expect(view(page).getByRole('alert')).toHaveText(/^silence\.wav: No speech was heard in this clip \(its loudest moment is -\d+ dBFS\): pick a file with speech in it\.$/);
    await expect(view(page).locator('ul vm-clip-row')).toHaveCount(0);
  } finally {
    await browser.close();
  }
});
