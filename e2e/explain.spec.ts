// What the screen says the reading means (issue 11 item 1): the line under the gauge names
// the bundled model's training data from its card, the Models list says how far to trust
// each model in words, choosing a model trained for start-aligned clips (the seed preset,
// models/ravdess-seed-db) warns, and the About section explains valence, arousal, limits
// and privacy.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { activeModel, BUNDLED, importModel, openReady, REPO_ROOT } from './support.ts';

const SEED_DIR = join(REPO_ROOT, 'models/ravdess-seed-db');

test('the reading is explained, models say how far to trust them, and a start-aligned model warns', async ({ page }) => {
  await openReady(page);
  const card = JSON.parse(readFileSync(join(REPO_ROOT, 'models', BUNDLED, 'card.json'), 'utf8')) as { data: { corpora?: { layout: string }[]; source?: string } };
  const layouts = card.data.corpora?.map((c) => c.layout) ?? ['ravdess'];
  const explain = page.locator('vm-app .explain');
  await expect(explain).toContainText('How positive or negative the voice sounds over the last ~8 s');
  if (layouts.includes('ravdess')) await expect(explain).toContainText('acted English sentences (RAVDESS)');

  const active = page.locator('vm-model-manager li[aria-current="true"]');
  await expect(active.locator('.trust')).toContainText(/On new speakers of its training data: .*(good|fair|weak|near chance) \(CCC -?\d\.\d\d\)/);
  await expect(active.locator('.warning')).toHaveCount(0);

  await importModel(page, SEED_DIR);
  await expect(activeModel(page)).toContainText('ravdess-seed-db', { timeout: 30_000 });
  await expect(active.locator('.warning')).toContainText('not on live windows');

  await page.getByText('About the readings').click();
  const about = page.locator('vm-about');
  await expect(about.getByText('No audio and no reading leaves the device', { exact: false })).toBeVisible();
  await expect(about.getByText('How activated the voice sounds', { exact: false })).toBeVisible();
});
