// The live settings are remembered across a reload (issue 11 item 4), in the app's IndexedDB.
import { expect, test } from '@playwright/test';
import { openReady, waitReady } from './support.ts';

test('reading interval, smoothing and voice processing come back after a reload', async ({ page }) => {
  await openReady(page);
  const settings = page.locator('vm-live-settings');
  await settings.getByLabel('Reading every').selectOption('0.25');
  await settings.getByLabel('Smoothing').selectOption('3');
  await settings.getByLabel('Browser voice processing').check();
  await page.waitForTimeout(500); // the save is one small IndexedDB write
  await page.reload();
  await waitReady(page);
  await expect(settings.getByLabel('Reading every')).toHaveValue('0.25');
  await expect(settings.getByLabel('Smoothing')).toHaveValue('3');
  await expect(settings.getByLabel('Browser voice processing')).toBeChecked();
});
