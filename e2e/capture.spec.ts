// The capture side in real Chromium: a fake microphone plays e2e/fixtures/speech.wav, the
// worklet loads from the production build, and the page shows the level and the state.
// Also: the message fallback when the page is not cross-origin isolated, and a clear
// message when the microphone permission is refused.
import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import config from '../playwright.config.ts';
import { BASE_ARGS, EXECUTABLE, fakeMicLaunch } from './support.ts';

/** This file's fake microphone: the 4.6 s, 16 kHz speech.wav, not the shared speech-44k.wav. */
const CAPTURE_WAV = fileURLToPath(new URL('./fixtures/speech.wav', import.meta.url));

/** Seconds of audio the demo page reports having received. */
async function receivedSeconds(page: Page): Promise<number> {
  return (await receivedAt(page)).seconds;
}

/** The received seconds and the page's clock (ms) at the moment they were read. */
async function receivedAt(page: Page): Promise<{ seconds: number; at: number }> {
  const { text, at } = await page.locator('vm-app .info').evaluate((el) => ({ text: el.textContent ?? '', at: performance.now() }));
  const match = /([\d.]+) s received/.exec(text);
  return { seconds: match ? Number(match[1]) : 0, at };
}

/**
 * Starts recording every data-state the gauge takes (a MutationObserver in the page);
 * returns a reader of them, in order. A state that lasts less than one poll of
 * toHaveAttribute (under load, "listening" before the first reading) is still seen.
 */
async function recordGaugeStates(page: Page): Promise<() => Promise<string[]>> {
  await page.locator('vm-valence-gauge').evaluate((el) => {
    const g = globalThis as unknown as { vmGaugeStates: () => string[] };
    const before: string[] = []; // each record's old value: every state but the current one
    new MutationObserver((records) => records.forEach((r) => before.push(r.oldValue ?? ''))).observe(el, {
      attributes: true,
      attributeFilter: ['data-state'],
      attributeOldValue: true,
    });
    g.vmGaugeStates = () => [...before, el.getAttribute('data-state') ?? ''];
  });
  return () => page.evaluate(() => (globalThis as unknown as { vmGaugeStates: () => string[] }).vmGaugeStates());
}

const levelOf = (page: Page) =>
  page.locator('vm-level-meter').evaluate((el) => Number(el.getAttribute('data-level')));

// Launch options are per file: this file's browser has a fake microphone playing speech.
test.use(fakeMicLaunch(CAPTURE_WAV));

test.describe('with a fake microphone playing speech', () => {
  test('start moves the level meter and fills the shared ring; stop resets', async ({ page }, testInfo) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/?backend=wasm');
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);

    const gauge = page.locator('vm-valence-gauge');
    await expect(gauge).toHaveAttribute('data-state', 'idle');
    await expect(gauge).toHaveAttribute('data-valence', '');
    expect(await levelOf(page)).toBe(0);

    const states = await recordGaugeStates(page);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('vm-app')).toHaveAttribute('data-capture-mode', 'ring');
    await expect.poll(states).toContain('listening');
    await expect.poll(() => levelOf(page), { timeout: 10_000 }).toBeGreaterThan(0.2);

    // Samples keep arriving through the ring at the context's rate: seconds received per
    // second of the page's own clock between the two reads (on a loaded machine the 1 s
    // wait itself runs long, and the old check against a nominal 1 s then failed at 1.6).
    await expect.poll(() => receivedSeconds(page), { timeout: 10_000 }).toBeGreaterThan(0.5);
    const before = await receivedAt(page);
    await page.waitForTimeout(1000);
    const after = await receivedAt(page);
    const perSecond = (after.seconds - before.seconds) / ((after.at - before.at) / 1000);
    expect(perSecond).toBeGreaterThan(0.7);
    expect(perSecond).toBeLessThan(1.6);
    await expect(page.locator('vm-app .info')).toContainText(/\d{5} Hz · shared ring buffer/);

    await page.screenshot({ path: testInfo.outputPath('capture-running.png'), fullPage: true });

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.locator('vm-app')).not.toHaveAttribute('data-capture-mode', /.+/);
    await expect(gauge).toHaveAttribute('data-state', 'idle');
    expect(await levelOf(page)).toBe(0);
    await expect(page.getByRole('button', { name: 'Start listening' })).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('without cross-origin isolation it falls back to posted chunks', async ({ page }) => {
    // Strip COOP/COEP from every response: SharedArrayBuffer is then unavailable.
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    await page.goto('/?backend=wasm');
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);

    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('vm-app')).toHaveAttribute('data-capture-mode', 'message');
    await expect.poll(() => levelOf(page), { timeout: 10_000 }).toBeGreaterThan(0.2);
    await expect.poll(() => receivedSeconds(page), { timeout: 10_000 }).toBeGreaterThan(0.5);
    await expect(page.locator('vm-app .info')).toContainText('message fallback');
    await page.getByRole('button', { name: 'Stop' }).click();
  });
});

test.describe('when the microphone permission is refused', () => {
  test('shows a clear message and stays ready to retry', async ({ playwright }, testInfo) => {
    // A browser of its own: a fake device exists, but no fake UI accepts the prompt and
    // Chromium denies permission prompts.
    const browser = await playwright.chromium.launch({
      executablePath: EXECUTABLE,
      args: [...BASE_ARGS, '--use-fake-device-for-media-stream', '--deny-permission-prompts'],
    });
    try {
      const page = await browser.newPage({ baseURL: config.use?.baseURL });
      await page.goto('/?backend=wasm');
      await page.getByRole('button', { name: 'Start listening' }).click();
      const gauge = page.locator('vm-valence-gauge');
      await expect(gauge).toHaveAttribute('data-state', 'error');
      await expect(gauge.locator('.status')).toContainText('Microphone access was denied');
      await expect(page.getByRole('button', { name: 'Start listening' })).toBeEnabled();
      await expect(page.locator('vm-app')).not.toHaveAttribute('data-capture-mode', /.+/);
      await page.screenshot({ path: testInfo.outputPath('permission-denied.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
