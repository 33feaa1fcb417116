// Keyboard use of the live monitor (issue 11 item 8): Space on the focused Start button starts
// listening and the focus stays on the button while the microphone opens (it used to be
// disabled then, which dropped the focus), so Space again stops; the button says its state
// in its label alone (no aria-pressed); S starts and stops from anywhere but a field.
import { expect, test, type Page } from '@playwright/test';
import { fakeMicLaunch, openReady } from './support.ts';

test.use(fakeMicLaunch());

/** The text of the element focused inside vm-app's shadow root ('' when the focus is elsewhere). */
const focused = (page: Page) => page.evaluate(() => document.querySelector('vm-app')?.shadowRoot?.activeElement?.textContent?.trim() ?? '');

test('Space starts and stops with the focus kept on the button; S does it from the page', async ({ page }) => {
  await openReady(page);
  const start = page.getByRole('button', { name: 'Start listening' });
  await expect(start).not.toHaveAttribute('aria-pressed', /.*/);
  await start.focus();
  await page.keyboard.press('Space');
  const stop = page.getByRole('button', { name: 'Stop' });
  await expect(stop).toBeVisible({ timeout: 20_000 });
  expect(await focused(page)).toBe('Stop');
  await expect(page.locator('vm-valence-gauge')).toHaveAttribute('data-state', /listening|reading|held|no-speech/);
  await page.keyboard.press('Space');
  await expect(start).toBeVisible({ timeout: 10_000 });
  expect(await focused(page)).toBe('Start listening');

  // S from the page body toggles too; typed into a field, it does not.
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('s');
  await expect(stop).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press('s');
  await expect(start).toBeVisible({ timeout: 10_000 });
  await page.locator('vm-live-settings select').first().focus();
  await page.keyboard.press('s');
  await page.waitForTimeout(1000);
  await expect(start).toBeVisible();
});
