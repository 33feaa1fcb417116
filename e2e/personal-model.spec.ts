// A personal model made in the browser (issue 16 section 2), in Debian's Chromium: eight
// labelled clips imported from WAV files (cut from the speech fixtures here), "Make my
// personal model" with progress, the result's before/after score, the personal model in
// use and on the Models list with its card, still there after a reload, the gauge reading
// with it (made the model in use when it scores better than its base, else chosen); the clips and the model exported, and `npm run calibrate` on the exported clips
// with the same recipe giving the worker's weights and scores; a cancelled run changing
// nothing; switching back and deleting. The recipe is shortened with ?personal-recipe=
// (3 steps, a pool of 2 windows per clip), the same text given to the CLI: the test is of the path, not of the recipe.
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrationWorkers } from '../src/worker/calibration-client.ts';
import { DEFAULT_FOLDS } from '../src/training/personalize/folds.ts';
import { cutClips, importAs } from './calibration-support.ts';
import { activeModel, BUNDLED, fakeMicLaunch, inUse, recordReadings, REPO_ROOT, SPEECH_WAV, TSX_ARGS, waitForValence } from './support.ts';

const RECIPE = 'steps=3,batch=2,pool=2';

test.use(fakeMicLaunch(SPEECH_WAV));

const view = (page: Page) => page.locator('vm-calibration');
const personal = (page: Page) => page.locator('vm-personal-calibration');
const models = (page: Page) => page.locator('vm-model-manager');

/** Downloads while `act` runs, saved into `dir` under their suggested names. */
async function downloadsOf(page: Page, dir: string, count: number, act: () => Promise<void>): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  const saving: Promise<void>[] = [];
  const onDownload = (d: import('@playwright/test').Download) => {
    names.push(d.suggestedFilename());
    saving.push(d.saveAs(join(dir, d.suggestedFilename())));
  };
  page.on('download', onDownload);
  await act();
  await expect.poll(() => names.length, { timeout: 20_000, message: `downloads: ${names.join(', ')}` }).toBe(count);
  await Promise.all(saving);
  page.off('download', onDownload);
  return names;
}

const floats = (path: string) => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

test('makes a personal model from labelled clips, the same as npm run calibrate, and keeps it', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const clips = cutClips(testInfo.outputPath('clips'), 8);
  await page.goto(`/?backend=wasm&personal-recipe=${encodeURIComponent(RECIPE)}`);
  await expect(activeModel(page)).toHaveText(inUse(BUNDLED), { timeout: 60_000 });
  await view(page).locator('summary').click();
  await expect(personal(page).getByRole('button', { name: 'Make my personal model' })).toBeDisabled();
  await importAs(page, 'neutral', clips.slice(0, 2));
  await importAs(page, 'happy', clips.slice(2, 4));
  await importAs(page, 'sad', clips.slice(4, 6));
  await importAs(page, 'angry', clips.slice(6, 8));
  await expect(view(page).getByRole('alert')).toHaveCount(0);

  // Cancelled: nothing changes.
  await page.goto(`/?backend=wasm&personal-recipe=${encodeURIComponent('steps=400')}`);
  await view(page).locator('summary').click();
  await personal(page).getByRole('button', { name: 'Make my personal model' }).click();
  await expect(personal(page).locator('[data-phase="running"]')).toContainText(new RegExp(`Fine-tuning: \\d of ${DEFAULT_FOLDS + 1} models done`), { timeout: 60_000 });
  await personal(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(personal(page).getByRole('status')).toHaveText('Calibration cancelled: nothing was changed.', { timeout: 30_000 });
  await expect(models(page).locator('li')).toHaveCount(1);

  await page.goto(`/?backend=wasm&personal-recipe=${encodeURIComponent(RECIPE)}`);
  await expect(activeModel(page)).toHaveText(inUse(BUNDLED), { timeout: 60_000 });
  await view(page).locator('summary').click();
  await personal(page).getByRole('button', { name: 'Make my personal model' }).click();
  const result = personal(page).locator('.result');
  await expect(result).toBeVisible({ timeout: 120_000 });
  const name = `${BUNDLED} (personal)`;
  // The 5 fine-tunes ran in as many workers as the page's cores allow (2 on a 2-core machine).
  const machine = await page.evaluate(() => ({ cores: navigator.hardwareConcurrency, isolated: globalThis.crossOriginIsolated === true }));
  const workers = calibrationWorkers(machine.cores, machine.isolated, 5);
  await expect(result).toContainText(`${workers} worker${workers === 1 ? '' : 's'})`);
  const personalId = await result.getAttribute('data-model');
  expect(personalId).toMatch(/^personal\/[0-9a-f]{16}$/);
  // The personal model is used only if its honest score beats the base's (checked against
  // the exported card's exact scores below).
  const adopted = (await result.getAttribute('data-adopted')) === 'true';
  await expect(result).toContainText(adopted ? `“${name}” is ready and now in use. On your 8 clips` : `“${name}” read your clips no better than “${BUNDLED}”, which stays in use;`);
  await expect(activeModel(page)).toHaveText(inUse(adopted ? name : BUNDLED), { timeout: 60_000 });
  const card = models(page).locator('li', { hasText: '(personal)' });
  await expect(card).toContainText(`Fine-tuned from ${BUNDLED} on 8 of your clips on `);
  await expect(card).toContainText(`before, `);
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await personal(page).screenshot({ path: testInfo.outputPath(`personal-${width}-${colorScheme}.png`) });
      await card.screenshot({ path: testInfo.outputPath(`personal-card-${width}-${colorScheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Exports: the clips (WAVs + manifest) and the personal model's folder, as downloads.
  await page.evaluate(() => delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker);
  const modelDir = testInfo.outputPath('personal');
  const files = await downloadsOf(page, modelDir, 4, () => card.getByRole('button', { name: `Export ${name}` }).click());
  // Chromium lets a page start only so many downloads without asking (10 here): a reload
  // starts the count again.
  await page.reload();
  await page.evaluate(() => delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker);
  await view(page).locator('summary').click();
  const clipsDir = testInfo.outputPath('export');
  await downloadsOf(page, clipsDir, 9, () => view(page).getByRole('button', { name: 'Export clips' }).click());
  expect(files.sort()).toEqual(['card.json', 'model.json', 'model.safetensors', 'weights.bin']);

  // The CLI on the exported clips, with the same base and recipe: the worker's weights and scores.
  const cliDir = testInfo.outputPath('cli');
  const r = spawnSync(
    process.execPath,
    [...TSX_ARGS, 'scripts/calibrate.ts', '--manifest', join(clipsDir, 'manifest.csv'), '--out', cliDir, '--recipe', RECIPE, '--no-cache', '--json'],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 180_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as { before: unknown; after: unknown };
  const exported = JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8')) as { personal: { before: unknown; after: unknown; baseName: string } };
  expect(exported.personal.before).toEqual(report.before);
  expect(exported.personal.after).toEqual(report.after);
  const scores = exported.personal as unknown as { before: { valence: { ccc: number } }; after: { valence: { ccc: number } } };
  expect(adopted).toBe(scores.after.valence.ccc > scores.before.valence.ccc);
  const browser = floats(join(modelDir, 'weights.bin'));
  const node = floats(join(cliDir, 'weights.bin'));
  expect(browser.length).toBe(node.length);
  let worst = 0;
  for (let i = 0; i < node.length; i++) worst = Math.max(worst, Math.abs(browser[i] - node[i]));
  expect(worst).toBe(0);

  // Chosen (or kept), the gauge reads with the personal model; it is still the one in use after a reload.
  if (!adopted) {
    await card.getByRole('button', { name: 'Use' }).click();
    await expect(activeModel(page)).toHaveText(inUse(name));
  }
  await page.reload();
  await expect(activeModel(page)).toHaveText(inUse(name), { timeout: 60_000 });
  const readings = await recordReadings(page);
  await page.getByRole('button', { name: 'Start listening' }).click();
  await waitForValence(readings, 1);
  await page.getByRole('button', { name: 'Stop' }).click();
  // The session was read, and saved, with the personal model.
  const sessionModels = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('valence-monitor');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = await new Promise<{ modelId: string }[]>((resolve) => {
      const r = db.transaction('sessions').objectStore('sessions').getAll();
      r.onsuccess = () => resolve(r.result as { modelId: string }[]);
    });
    db.close();
    return all.map((x) => x.modelId);
  });
  expect(sessionModels).toEqual([personalId]);

  // Back to the base model, then delete the personal one.
  page.on('dialog', (d) => void d.accept());
  await models(page).locator('li', { hasText: BUNDLED }).filter({ hasNotText: '(personal)' }).getByRole('button', { name: 'Use' }).click();
  await expect(activeModel(page)).toHaveText(inUse(BUNDLED));
  await models(page).getByRole('button', { name: `Delete ${name}` }).click();
  await expect(models(page).locator('li')).toHaveCount(1);
  await page.reload();
  await expect(activeModel(page)).toHaveText(inUse(BUNDLED), { timeout: 60_000 });
  await expect(models(page).locator('li')).toHaveCount(1);
  expect(errors).toEqual([]);
});
