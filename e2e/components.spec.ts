// The display components in real Chromium, driven through their properties on the built
// page: the gauge's number, label, colour and host attributes, the timeline's gaps, the
// level meter's clamping, the arousal meter (a two-output model's) and the timeline's
// arousal line; plus screenshots in light and dark at 320 px and desktop width.
import { expect, test, type Page } from '@playwright/test';
import type { Reading } from '../src/ui/timeline-geometry.ts';
import { openReady, waitReady } from './support.ts';

async function setGauge(page: Page, valence: number | null, state: string, message?: string): Promise<void> {
  await page.locator('vm-valence-gauge').evaluate(
    async (el, [v, s, m]) => {
      const gauge = el as HTMLElementTagNameMap['vm-valence-gauge'];
      gauge.valence = v as number | null;
      gauge.state = s as HTMLElementTagNameMap['vm-valence-gauge']['state'];
      gauge.message = (m as string | null) ?? undefined;
      await gauge.updateComplete;
    },
    [valence, state, message ?? null] as const,
  );
}

/** A minute of readings with a stretch of "no speech" in the middle and a lone reading. */
function sampleReadings(): Reading[] {
  const readings: Reading[] = [];
  for (let i = 0; i <= 120; i++) {
    const t = i * 0.5;
    const silent = (t > 20 && t < 26) || (t > 40 && t < 44 && t !== 42);
    readings.push({ t, valence: silent ? null : 0.8 * Math.sin(t / 6) });
  }
  return readings;
}

/** Appends a component of its own to the built page, in one box (the app cannot re-render over it). */
async function standalone(page: Page, tag: 'vm-arousal-meter' | 'vm-valence-timeline', id: string): Promise<void> {
  await page.evaluate(
    ([t, i]) => {
      let box = document.getElementById('test-box');
      if (!box) {
        box = document.createElement('div');
        box.id = 'test-box';
        box.style.cssText = 'max-width: 40rem; margin: 0 auto; padding: 1rem';
        document.body.append(box);
      }
      const el = document.createElement(t);
      el.id = i;
      box.append(el);
    },
    [tag, id] as const,
  );
}

/**
 * Where the arousal marker is drawn, as a fraction of its scale's width (0 = calm end),
 * once its 0.25 s transition has settled: what the user sees, not how it was styled.
 */
async function markerPosition(page: Page): Promise<number> {
  return page.locator('#test-arousal').evaluate((el) => {
    const marker = el.shadowRoot!.querySelector<HTMLElement>('.marker')!;
    return parseFloat(getComputedStyle(marker).left) / marker.offsetParent!.clientWidth;
  });
}

async function setArousal(page: Page, arousal: number | null, state: string): Promise<void> {
  await page.locator('#test-arousal').evaluate(
    async (el, [a, s]) => {
      const meter = el as HTMLElementTagNameMap['vm-arousal-meter'];
      meter.arousal = a as number | null;
      meter.state = s as HTMLElementTagNameMap['vm-arousal-meter']['state'];
      await meter.updateComplete;
    },
    [arousal, state] as const,
  );
}

// One page load for the four components driven through their properties (each load starts
// the app and its model; none of these needs a fresh page): one step per component.
test('the gauge, the level meter, the timeline and the arousal meter show what their properties say', async ({ page }, testInfo) => {
  // Ready first: the app binds the gauge's state and message itself, and a model that
  // finished loading in the middle of the steps (seen under load) re-rendered the app and
  // cleared the message a step had just set.
  await openReady(page);

  await test.step('the gauge shows number, label and state, and reflects them on the host', async () => {
    const gauge = page.locator('vm-valence-gauge');

    await setGauge(page, 0.4249, 'reading');
    await expect(gauge).toHaveAttribute('data-valence', '0.4249');
    await expect(gauge).toHaveAttribute('data-state', 'reading');
    await expect(gauge.locator('.value')).toHaveText('+0.42');
    await expect(gauge.locator('.label')).toHaveText('positive');
    await expect(gauge.getByRole('meter', { name: 'Valence' })).toHaveAttribute('aria-valuetext', '+0.42, positive');
    await expect(gauge.locator('[aria-live="polite"]')).toHaveText('Valence positive');

    await setGauge(page, -0.1, 'reading');
    await expect(gauge.locator('.value')).toHaveText('-0.10');
    await expect(gauge.locator('.label')).toHaveText('neutral');

    await setGauge(page, -0.73, 'reading');
    await expect(gauge.locator('.label')).toHaveText('negative');
    await expect(gauge.locator('.needle')).toHaveCount(1);

    await setGauge(page, null, 'no-speech');
    await expect(gauge).toHaveAttribute('data-valence', '');
    await expect(gauge.locator('.needle')).toHaveCount(0);
    await expect(gauge.locator('.status')).toHaveText('No speech detected');
    await expect(gauge.locator('[aria-live="polite"]')).toHaveText('No speech detected');

    await setGauge(page, null, 'error', 'Model failed to load');
    await expect(gauge).toHaveAttribute('data-state', 'error');
    await expect(gauge.locator('.status')).toHaveText('Model failed to load');
  });

  await test.step('the level meter clamps to 0..1', async () => {
    const meter = page.locator('vm-level-meter');
    for (const [level, expected] of [
      [0.5, '0.500'],
      [3, '1.000'],
      [-1, '0.000'],
    ] as const) {
      await meter.evaluate(async (el, l) => {
        const m = el as HTMLElementTagNameMap['vm-level-meter'];
        m.level = l;
        await m.updateComplete;
      }, level);
      await expect(meter).toHaveAttribute('data-level', expected);
    }
  });

  await test.step('the timeline breaks its line where readings are null', async () => {
    // A timeline of its own on the built page: the app cannot re-render over its readings.
    await page.evaluate(() => {
      const el = document.createElement('vm-valence-timeline');
      el.id = 'test-timeline-gaps';
      document.body.append(el);
    });
    const timeline = page.locator('#test-timeline-gaps');
    await timeline.evaluate(async (el, readings) => {
      const t = el as HTMLElementTagNameMap['vm-valence-timeline'];
      t.readings = readings;
      await t.updateComplete;
    }, sampleReadings());
    const d = (await timeline.locator('path.line').getAttribute('d')) ?? '';
    expect(d.match(/M/g)).toHaveLength(3); // three unbroken stretches
    await expect(timeline.locator('circle.dot')).toHaveCount(1); // the lone reading at 42 s
    await expect(timeline.getByRole('img')).toHaveAttribute('aria-label', /121 readings, latest/);
  });

  await test.step('the arousal meter shows number, label and marker, and reflects them on the host', async () => {
    await standalone(page, 'vm-arousal-meter', 'test-arousal');
    const meter = page.locator('#test-arousal');
    const role = meter.getByRole('meter', { name: 'Arousal' });

    await setArousal(page, 0.6251, 'reading');
    await expect(meter).toHaveAttribute('data-arousal', '0.6251');
    await expect(meter).toHaveAttribute('data-state', 'reading');
    await expect(meter.locator('.value')).toHaveText(/^\s*\+0\.63\s*excited\s*$/);
    await expect(role).toHaveAttribute('aria-valuetext', '+0.63, excited');
    await expect.poll(() => markerPosition(page)).toBeCloseTo((0.6251 + 1) / 2, 3);

    await setArousal(page, -0.1, 'reading');
    await expect(role).toHaveAttribute('aria-valuetext', '-0.10, moderate');
    await setArousal(page, -3, 'reading'); // clamped to the scale's calm end
    await expect(meter).toHaveAttribute('data-arousal', '-3');
    await expect(role).toHaveAttribute('aria-valuetext', '-1.00, calm');
    await expect.poll(() => markerPosition(page)).toBeCloseTo(0, 3);

    await setArousal(page, null, 'no-speech');
    await expect(meter).toHaveAttribute('data-arousal', '');
    await expect(meter.locator('.marker')).toHaveCount(0);
    await expect(role).toHaveAttribute('aria-valuetext', 'no reading');

    // With a timeline of readings that carry arousal: a second line and a legend.
    await standalone(page, 'vm-valence-timeline', 'test-timeline');
    const timeline = page.locator('#test-timeline');
    await timeline.evaluate(async (el, readings) => {
      const t = el as HTMLElementTagNameMap['vm-valence-timeline'];
      t.readings = readings;
      await t.updateComplete;
    }, sampleReadings().map((r) => ({ ...r, arousal: r.valence === null ? null : 0.9 * Math.cos(r.t / 9) })));
    const d = (await timeline.locator('path.arousal-line').getAttribute('d')) ?? '';
    expect(d.match(/M/g)).toHaveLength(3); // the valence line's gaps
    await expect(timeline.locator('circle.arousal-dot')).toHaveCount(1);
    await expect(timeline.locator('.legend')).toHaveText(/valence\s*arousal/);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await setArousal(page, 0.6251, 'reading');
      await page.waitForTimeout(300); // the marker's transition
      await page.locator('#test-box').screenshot({ path: testInfo.outputPath(`arousal-components-${colorScheme}.png`) });
    }
  });
});

// One page load for the four screenshots (each load waits for the model; wasm is forced, so
// no backend timing runs beside the test): the scheme and the width change in place, and Lit
// re-renders.
test('screenshots: light and dark, 320 and 1024 px wide', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.goto('/?backend=wasm');
  // Until the app has loaded its model and stored data, each render of the app sets its
  // children's array properties again (Lit re-commits object bindings), which would replace
  // the readings given to the app's own timeline below.
  await waitReady(page);
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [320, 1024]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 800 });
      await setGauge(page, 0.4249, 'reading');
      await page.locator('vm-level-meter').evaluate((el) => ((el as HTMLElementTagNameMap['vm-level-meter']).level = 0.62));
      await page.locator('vm-valence-timeline').evaluate((el, readings) => {
        (el as HTMLElementTagNameMap['vm-valence-timeline']).readings = readings;
      }, sampleReadings());
      await page.waitForTimeout(400); // let the needle's transition and the re-layout finish
      // Nothing may overflow the viewport horizontally at 320 px.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${colorScheme} ${width}`).toBeLessThanOrEqual(width);
      await page.screenshot({ path: testInfo.outputPath(`components-${colorScheme}-${width}.png`), fullPage: true });
    }
  }
});
