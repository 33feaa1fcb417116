// The live monitor end to end in Chromium with a fake microphone: speech moves the gauge,
// and its readings are the numbers `npm run analyze -- --timeline` gives for the same
// audio; silence shows "no speech"; a model that cannot load says so.
//
// What is compared, and why two ways:
// 1. Exactly: the app keeps the session's captured input and offers it as a float WAV
//    ("Download audio"). analyze --timeline on that file must give the live readings to
//    ~1e-5 (same samples, same LiveWindow, same gate, same model; only the TF.js
//    backend's float rounding differs). This proves "one pipeline, not two".
// 2. Against the fixture WAV: the fake microphone loops speech-44k.wav, and capture starts
//    some unknown time into it, so live t_k and file time differ by an offset. The file
//    starts with 1.5 s of digital silence and is at the AudioContext's rate (44.1 kHz
//    here, so Chromium does not resample it). If capture started inside the silence, the
//    capture is the file minus its first d samples (all zeros; or, when capture started
//    before the fake device played, plus -d zeros), and the live window at t_k is the
//    file's window at t_k + d/rate exactly (zero-filled history = the silence). We find
//    d from the speech onset, run analyze --timeline on the file with those d zeros
//    trimmed (or added), and require agreement within 0.05 while the loop has not wrapped.
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import config from '../playwright.config.ts';
import { decodeWav } from '../src/audio/decode-wav.ts';
import { floatWav } from '../src/ui/wav-file.ts';
import type { ReadingEventDetail } from '../src/ui/vm-app.ts';

/** Opens the app's Diagnostics section (backend, timings, the WAV download). */
const openDiagnostics = (page: Page) => page.locator('vm-app details.diagnostics').evaluate((d) => ((d as HTMLDetailsElement).open = true));

const SPEECH_WAV = fileURLToPath(new URL('./fixtures/speech-44k.wav', import.meta.url));
const SILENCE_WAV = fileURLToPath(new URL('./fixtures/silence.wav', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASE_ARGS = config.use?.launchOptions?.args ?? [];
const EXECUTABLE = config.use?.launchOptions?.executablePath;

const fakeMic = (wav: string) => [
  ...BASE_ARGS,
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-audio-capture=${wav}`,
];

interface AnalyzeRow {
  time: number;
  valence: number;
  speech: 'yes' | 'no';
}

function analyzeTimeline(wav: string): AnalyzeRow[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/analyze.ts', '--timeline', '--json', wav], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`analyze failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as AnalyzeRow[];
}

type ReadingLog = { readings: ReadingEventDetail[] };

/** Collects the app's vm-reading events in the page, from before Start. */
async function recordReadings(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: ReadingLog = { readings: [] };
    (globalThis as unknown as { vmTestLog: ReadingLog }).vmTestLog = log;
    document.addEventListener('vm-reading', (e) => log.readings.push((e as CustomEvent<ReadingEventDetail>).detail));
  });
}

const readingsOf = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { vmTestLog: ReadingLog }).vmTestLog.readings);

/** Index of the first sample louder than `threshold`. */
function onset(x: Float32Array, threshold = 1e-3): number {
  return x.findIndex((v) => Math.abs(v) > threshold);
}

// Launch options are per file: this file's browser has a fake microphone playing speech.
test.use({ launchOptions: { executablePath: EXECUTABLE, args: fakeMic(SPEECH_WAV) } });

test.describe('with a fake microphone playing speech', () => {

  test('speech moves the gauge, and live readings equal analyze --timeline', async ({ page }, testInfo) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 900, height: 1100 });
    await page.goto('/');
    await recordReadings(page);
    const status = page.locator('vm-engine-status');
    await expect(status).toHaveAttribute('data-model-state', 'ready', { timeout: 60_000 });
    await expect(status).toContainText(/Backend (webgl|wasm|cpu)/);
    await expect(status).toContainText(/fastest|only backend/);

    await page.getByRole('button', { name: 'Start listening' }).click();
    const gauge = page.locator('vm-valence-gauge');
    await expect(gauge).toHaveAttribute('data-state', 'reading', { timeout: 20_000 });
    expect(Number.isFinite(Number(await gauge.getAttribute('data-valence')))).toBe(true);
    expect(await gauge.getAttribute('data-valence')).not.toBe('');

    // A screenshot during the second sentence, then listen to one pass of the 12.2 s file.
    const timeOfLast = async () => (await readingsOf(page)).at(-1)?.reading.time ?? 0;
    await expect.poll(timeOfLast, { timeout: 40_000 }).toBeGreaterThanOrEqual(10);
    await expect(gauge).toHaveAttribute('data-state', 'reading');
    await page.screenshot({ path: testInfo.outputPath('live-monitor.png'), fullPage: true });
    await expect.poll(timeOfLast, { timeout: 40_000 }).toBeGreaterThanOrEqual(13);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(gauge).toHaveAttribute('data-state', 'idle');
    const live = await readingsOf(page);

    // The captured audio, as the user would download it.
    const downloading = page.waitForEvent('download');
    await openDiagnostics(page); // the download sits in the collapsed Diagnostics section
    await page.getByRole('button', { name: 'Download audio (WAV)' }).click();
    const captured = testInfo.outputPath('session.wav');
    await (await downloading).saveAs(captured);

    // 1. Same audio, same pipeline: equal up to backend rounding, gate decisions identical.
    const exact = new Map(analyzeTimeline(captured).map((r) => [r.time.toFixed(3), r]));
    let maxExact = 0;
    let compared = 0;
    for (const { reading } of live) {
      const row = exact.get(reading.time.toFixed(3));
      expect(row, `analyze has a reading at ${reading.time}`).toBeDefined();
      expect(reading.speech, `gate at ${reading.time}`).toBe(row!.speech === 'yes');
      if (reading.valence === null) continue;
      maxExact = Math.max(maxExact, Math.abs(reading.valence - row!.valence));
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
    expect(maxExact).toBeLessThan(1e-3);

    // 2. Against the fixture WAV, aligned by the speech onset (see the top of this file).
    const cap = decodeWav(new Uint8Array(readFileSync(captured)));
    const file = decodeWav(new Uint8Array(readFileSync(SPEECH_WAV)));
    const x = cap.channels[0];
    const f = file.channels[0];
    const onsetX = onset(x);
    const onsetF = onset(f);
    const d = onsetF - onsetX;
    const note = `capture rate ${cap.sampleRate} Hz, capture started ${(d / file.sampleRate).toFixed(3)} s into the file`;
    let maxFile = 0;
    let comparedFile = 0;
    if (cap.sampleRate === file.sampleRate && onsetX > 0 && onsetF > d) {
      // Capture fidelity first: after the onset the captured samples are the file's.
      let fidelity = 0;
      for (let i = 0; i < file.sampleRate && onsetX + i < x.length; i++) fidelity = Math.max(fidelity, Math.abs(x[onsetX + i] - f[onsetF + i]));
      expect(fidelity).toBeLessThan(1e-3);
      // Only digital silence is cut or added: the speech is the file's, sample for sample.
      const aligned = d >= 0 ? f.subarray(d) : Float32Array.from([...new Float32Array(-d), ...f]);
      const alignedPath = testInfo.outputPath('fixture-aligned.wav');
      writeFileSync(alignedPath, floatWav(aligned, file.sampleRate));
      const rows = new Map(analyzeTimeline(alignedPath).map((r) => [r.time.toFixed(3), r]));
      const wrapsAt = aligned.length / file.sampleRate; // after this the fake mic loops the file
      for (const { reading } of live) {
        const row = rows.get(reading.time.toFixed(3));
        if (reading.valence === null || !row || reading.time > wrapsAt) continue;
        maxFile = Math.max(maxFile, Math.abs(reading.valence - row.valence));
        comparedFile++;
      }
      expect(comparedFile).toBeGreaterThan(5);
      expect(maxFile).toBeLessThan(0.05);
    } else {
      testInfo.annotations.push({ type: 'skipped-alignment', description: `no alignment possible: ${note}` });
    }
    const summary =
      `${live.length} readings; vs analyze on captured audio: max |diff| ${maxExact.toExponential(2)} over ${compared}; ` +
      `vs analyze on the fixture: max |diff| ${maxFile.toExponential(2)} over ${comparedFile} (${note})`;
    testInfo.annotations.push({ type: 'live-vs-analyze', description: summary });
    console.log(summary);
    expect(errors).toEqual([]);
  });
});

// WebGL is timed at start-up but wasm wins here (software GPU), so the WebGL path's numbers
// would go unchecked: force it, and hold its readings to analyze's on the captured audio.
test('on WebGL (forced) the readings equal analyze --timeline on the same audio', async ({ page }, testInfo) => {
  await page.goto('/?backend=webgl');
  await recordReadings(page);
  const status = page.locator('vm-engine-status');
  await expect(status).toHaveAttribute('data-model-state', 'ready', { timeout: 90_000 });
  await expect(status).toContainText(/Backend webgl/);
  await page.getByRole('button', { name: 'Start listening' }).click();
  const withValence = async () => (await readingsOf(page)).filter((r) => r.reading.valence !== null).length;
  await expect.poll(withValence, { timeout: 90_000 }).toBeGreaterThanOrEqual(3);
  await page.getByRole('button', { name: 'Stop' }).click();
  const live = await readingsOf(page);
  const downloading = page.waitForEvent('download');
  await openDiagnostics(page); // the download sits in the collapsed Diagnostics section
  await page.getByRole('button', { name: 'Download audio (WAV)' }).click();
  const captured = testInfo.outputPath('session-webgl.wav');
  await (await downloading).saveAs(captured);
  const rows = new Map(analyzeTimeline(captured).map((r) => [r.time.toFixed(3), r]));
  let maxDiff = 0;
  let compared = 0;
  for (const { reading } of live) {
    const row = rows.get(reading.time.toFixed(3));
    if (reading.valence === null || !row) continue;
    maxDiff = Math.max(maxDiff, Math.abs(reading.valence - row.valence));
    compared++;
  }
  testInfo.annotations.push({ type: 'webgl-vs-analyze', description: `max |diff| ${maxDiff.toExponential(2)} over ${compared}` });
  console.log(`webgl vs analyze: max |diff| ${maxDiff.toExponential(2)} over ${compared} readings`);
  expect(compared).toBeGreaterThanOrEqual(3);
  expect(maxDiff).toBeLessThan(1e-3);
});

test('silence shows "no speech", not a number', async ({ playwright }) => {
  const browser = await playwright.chromium.launch({ executablePath: EXECUTABLE, args: fakeMic(SILENCE_WAV) });
  try {
    const page = await browser.newPage({ baseURL: config.use?.baseURL });
    await page.goto('/?backend=wasm');
    await page.getByRole('button', { name: 'Start listening' }).click();
    const gauge = page.locator('vm-valence-gauge');
    await expect(gauge).toHaveAttribute('data-state', 'no-speech', { timeout: 60_000 });
    await expect(gauge).toHaveAttribute('data-valence', '');
    await expect(gauge.locator('.status')).toHaveText('No speech detected');
    await page.waitForTimeout(1500); // stays so over further readings
    await expect(gauge).toHaveAttribute('data-state', 'no-speech');
  } finally {
    await browser.close();
  }
});

test('a model that cannot load is reported clearly', async ({ page }) => {
  await page.route('**/models/index.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  const status = page.locator('vm-engine-status');
  await expect(status).toHaveAttribute('data-model-state', 'failed', { timeout: 30_000 });
  await expect(status).toContainText('The model could not be loaded');
  await expect(status).toContainText('HTTP 404');
  await expect(page.locator('vm-valence-gauge')).toHaveAttribute('data-state', 'error');
});
