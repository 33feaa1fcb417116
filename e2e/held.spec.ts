// Steady readings through pauses (issue 11 item 2), with a fake microphone playing speech
// with a short pause (2.5 s: the gate's 1.5 s recent part falls silent, but for less than
// the hold) and then a long one (6 s). Through the short pause the gauge keeps the last
// reading, marked held, and says "no speech" not once; in the long pause it does, after the
// hold. Checked on the app's own reading events and on the gauge's state.
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav } from '../src/audio/decode-wav.ts';
import { floatWav } from '../src/ui/wav-file.ts';
import { DEFAULT_HOLD_SECONDS } from '../src/worker/analysis-loop.ts';
import { fakeMicLaunch, recordReadings, SPEECH_WAV } from './support.ts';

const SHORT_PAUSE = 2.5;
const LONG_PAUSE = 6;

/** speech 4 s, SHORT_PAUSE of digital silence, speech 3 s, LONG_PAUSE of silence (from the fixture's speech). */
function pausedSpeechWav(): string {
  const { channels, sampleRate } = decodeWav(new Uint8Array(readFileSync(SPEECH_WAV)));
  const x = channels[0];
  const onset = x.findIndex((v) => Math.abs(v) > 1e-3);
  const s = (seconds: number) => Math.round(seconds * sampleRate);
  const parts = [x.subarray(onset, onset + s(4)), new Float32Array(s(SHORT_PAUSE)), x.subarray(onset + s(4), onset + s(7)), new Float32Array(s(LONG_PAUSE))];
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  const path = join(mkdtempSync(join(tmpdir(), 'vm-held-')), 'paused-speech.wav');
  writeFileSync(path, floatWav(out, sampleRate));
  return path;
}

test('a short pause holds the last reading, marked held; a long one shows no speech after the hold', async ({ playwright, baseURL }) => {
  test.setTimeout(120_000);
  const browser = await playwright.chromium.launch(fakeMicLaunch(pausedSpeechWav()).launchOptions);
  try {
    const page = await browser.newPage({ baseURL });
    await page.goto('/?backend=wasm');
    await expect(page.locator('vm-engine-status')).toHaveAttribute('data-model-state', 'ready', { timeout: 60_000 });
    const readings = await recordReadings(page);
    await page.getByRole('button', { name: 'Start listening' }).click();
    const gauge = page.locator('vm-valence-gauge');
    await expect(gauge).toHaveAttribute('data-state', 'held', { timeout: 40_000 });
    await expect(gauge).toHaveAttribute('data-state', 'no-speech', { timeout: 40_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    const log = (await readings()).map((d) => d.reading);

    // The stretches of the first pass through the file: speech, pause, speech, long pause.
    const firstSpeech = log.findIndex((r) => r.speech);
    const pauseStart = log.findIndex((r, i) => i > firstSpeech && !r.speech);
    const secondSpeech = log.findIndex((r, i) => i > pauseStart && r.speech);
    const longStart = log.findIndex((r, i) => i > secondSpeech && !r.speech);
    expect(Math.min(firstSpeech, pauseStart, secondSpeech, longStart)).toBeGreaterThanOrEqual(0);

    // The short pause: every reading held, holding the last speech reading's smoothed value.
    const lastBefore = log[pauseStart - 1];
    for (const r of log.slice(pauseStart, secondSpeech)) {
      expect(r.held, `held at ${r.time} s`).toBe(true);
      expect(r.valence).toBeNull();
      expect(r.smoothed).toBe(lastBefore.smoothed);
    }
    // The long pause: held for DEFAULT_HOLD_SECONDS after the last speech reading, then no speech.
    const lastSpeech = log[longStart - 1];
    const longPause = log.slice(longStart).filter((r) => !r.speech && r.time <= lastSpeech.time + LONG_PAUSE - 1);
    for (const r of longPause) expect(r.held, `held at ${r.time} s`).toBe(r.time - lastSpeech.time <= DEFAULT_HOLD_SECONDS + 1e-9);
    expect(longPause.some((r) => !r.held)).toBe(true);
  } finally {
    await browser.close();
  }
});
