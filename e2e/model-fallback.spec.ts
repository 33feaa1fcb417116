// A model that cannot run never leaves the app without one (issue 12, item 2), in Chromium
// with a fake microphone playing e2e/fixtures/speech-44k.wav. The broken model is a copy of
// a repository model whose model.json declares batch_input_shape [null, 32, 121, 1] (its
// weights, checksum and config unchanged: what TF.js failed on with "Shape mismatch").
// Importing it is refused, naming the shape, and the bundled model keeps listening; the
// same model stored as the active one (as an import before these checks could be) falls
// back to the bundled model at start-up with a message, keeping the saved session and the
// broken model itself.
import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadingEventDetail } from '../src/ui/vm-app.ts';
import { activeModel, BUNDLED, fakeMicLaunch, importModel, inUse, namesModel, openReady, OTHER_MODEL, recordReadings, REPO_ROOT, waitForValence, waitReady } from './support.ts';

const SOURCE_DIR = join(REPO_ROOT, 'models', OTHER_MODEL);
const BROKEN = 'input-32-mels';

test.use(fakeMicLaunch());

interface Topology {
  config: { layers: { config: Record<string, unknown> }[] };
}

/** model.json of the source model with its declared input changed to [null, 32, 121, 1], and a name of its own. */
function brokenModelJson(): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(SOURCE_DIR, 'model.json'), 'utf8')) as {
    modelTopology: Topology;
    userDefinedMetadata: { card: Record<string, unknown> };
  };
  const first = json.modelTopology.config.layers[0].config;
  expect(first.batch_input_shape).toEqual([null, 64, 121, 1]);
  first.batch_input_shape = [null, 32, 121, 1];
  json.userDefinedMetadata.card = { ...json.userDefinedMetadata.card, name: BROKEN };
  return json as unknown as Record<string, unknown>;
}

const status = (page: Page) => page.locator('vm-engine-status');

/** Listens until `n` readings carry a valence, then stops; returns them. */
async function listenFor(page: Page, n: number): Promise<ReadingEventDetail[]> {
  const readings = await recordReadings(page);
  await page.getByRole('button', { name: 'Start listening' }).click();
  await waitForValence(readings, n);
  await page.getByRole('button', { name: 'Stop' }).click();
  return readings();
}

test('importing a model that reads 32 x 121 inputs is refused, naming the shape; the bundled model keeps listening', async ({ page }) => {
  await openReady(page);
  await expect(activeModel(page)).toHaveText(inUse(BUNDLED));
  const dir = join(mkdtempSync(join(tmpdir(), 'vm-shape-')), BROKEN);
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(brokenModelJson()));
  copyFileSync(join(SOURCE_DIR, 'weights.bin'), join(dir, 'weights.bin'));
  await importModel(page, dir, ['model.json', 'weights.bin']);

  const error = page.locator('vm-model-manager .error');
  await expect(error).toContainText('Model not imported', { timeout: 30_000 });
  await expect(error).toContainText('[?, 32, 121, 1]');
  await expect(error).toContainText('64 Mel bands x 121 frames');
  await expect(page.locator('vm-model-manager li')).toHaveCount(1);
  await expect(activeModel(page)).toHaveText(inUse(BUNDLED));
  await expect(status(page)).toHaveAttribute('data-model-state', 'ready');
  await expect(status(page)).toContainText(namesModel(BUNDLED));
  const readings = await listenFor(page, 3);
  expect(readings.filter((r) => r.reading.valence !== null).every((r) => Number.isFinite(r.reading.valence))).toBe(true);
});

test('a stored active model that cannot load falls back to the bundled one, says so, and loses nothing', async ({ page }) => {
  await openReady(page);
  await listenFor(page, 2); // a saved session, which must survive
  const history = page.locator('vm-session-history .item');
  await expect(history).toHaveCount(1);

  // Store the broken model as the active one, as the page's import did before it checked shapes.
  const weights = readFileSync(join(SOURCE_DIR, 'weights.bin')).toString('base64');
  const modelJson = brokenModelJson();
  await page.evaluate(
    async ({ modelJson, weights, name }) => {
      const bytes = Uint8Array.from(atob(weights), (c) => c.charCodeAt(0));
      const meta = modelJson.userDefinedMetadata as { config: unknown; card: Record<string, unknown> };
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('valence-monitor');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['models', 'meta'], 'readwrite');
        tx.objectStore('models').put({
          id: 'imported/brokenshape00000',
          name,
          source: 'imported',
          contentHash: 'not-checked',
          manifestHash: 'not-checked',
          card: meta.card,
          config: meta.config,
          modelJson,
          weights: bytes.buffer,
          addedAt: Date.now(),
        });
        tx.objectStore('meta').put('imported/brokenshape00000', 'activeModelId');
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { modelJson, weights, name: BROKEN },
  );

  await page.reload();
  const error = page.locator('vm-model-manager .error');
  await expect(error).toContainText(`The model "${BROKEN}" could not be loaded, so the bundled model`, { timeout: 60_000 });
  await expect(error).toContainText('[?, 32, 121, 1]');
  await expect(error).toContainText(`"${BROKEN}" is still stored`);
  await waitReady(page);
  await expect(status(page)).toContainText(namesModel(BUNDLED));
  await expect(activeModel(page)).toHaveText(inUse(BUNDLED));
  // Nothing lost: the broken model is still listed (to delete or replace), the session is still there.
  await expect(page.locator('vm-model-manager li')).toHaveCount(2);
  await expect(page.locator('vm-model-manager li').filter({ hasText: BROKEN })).toHaveCount(1);
  await expect(history).toHaveCount(1);
  const readings = await listenFor(page, 2);
  expect(readings.some((r) => r.reading.valence !== null)).toBe(true);

  // The choice of the bundled model was saved: the next start does not try the broken one again.
  await page.reload();
  await waitReady(page);
  await expect(status(page)).toContainText(namesModel(BUNDLED));
  await expect(page.locator('vm-model-manager .error')).toHaveCount(0);
});
