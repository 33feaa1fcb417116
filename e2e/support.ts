// What the end-to-end specs share: the fixture paths, a browser with a fake microphone,
// opening the app until its model is ready, recording its readings and waiting for them,
// the Diagnostics section, importing a model folder and the model manager's names, and
// `npm run analyze -- --timeline` to compare with.
import { expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import config from '../playwright.config.ts';
import { TSX_ARGS } from '../scripts/lib/test-support.ts';

export { TSX_ARGS };
import type { ReadingEventDetail } from '../src/ui/vm-app.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SPEECH_WAV = fileURLToPath(new URL('./fixtures/speech-44k.wav', import.meta.url));
export const EXECUTABLE = config.use?.launchOptions?.executablePath;
export const BASE_ARGS = config.use?.launchOptions?.args ?? [];

/** The bundled model's name (models/index.json), and the repo's other model folder, to import. */
export const BUNDLED = (JSON.parse(readFileSync(join(REPO_ROOT, 'models', 'index.json'), 'utf8')) as { default: string }).default;
export const OTHER_MODEL = BUNDLED === 'ravdess-seed-db' ? 'ravdess-seed-db-pytorch' : 'ravdess-seed-db';

/** Launch options for a spec file whose browser has a fake microphone playing `wav`. */
export const fakeMicLaunch = (wav = SPEECH_WAV, extraArgs: string[] = []) => ({
  launchOptions: {
    executablePath: EXECUTABLE,
    args: [...BASE_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, ...extraArgs],
  },
});

/** Waits until the engine status says the model is ready (after a load or a reload). */
export async function waitReady(page: Page, timeout = 60_000): Promise<void> {
  await expect(page.locator('vm-engine-status')).toHaveAttribute('data-model-state', 'ready', { timeout });
}

/** Opens the app (wasm forced unless `query` says otherwise: no backend timing) and waits for the model. */
export async function openReady(page: Page, query = '?backend=wasm', timeout = 60_000): Promise<void> {
  await page.goto(`/${query}`);
  await waitReady(page, timeout);
}

/** Opens the app's Diagnostics section (backend, timings, the WAV download). */
export const openDiagnostics = (page: Page) =>
  page.locator('vm-app details.diagnostics').evaluate((d) => ((d as HTMLDetailsElement).open = true));

/** Starts collecting the app's vm-reading events (call before Start); returns a reader of them. */
export async function recordReadings(page: Page): Promise<() => Promise<ReadingEventDetail[]>> {
  await page.evaluate(() => {
    const log: ReadingEventDetail[] = [];
    (globalThis as unknown as { vmLog: ReadingEventDetail[] }).vmLog = log;
    document.addEventListener('vm-reading', (e) => log.push((e as CustomEvent<ReadingEventDetail>).detail));
  });
  return () => page.evaluate(() => (globalThis as unknown as { vmLog: ReadingEventDetail[] }).vmLog);
}

/** Waits until at least `n` of the readings recordReadings collects carry a valence. */
export async function waitForValence(readingsOf: () => Promise<ReadingEventDetail[]>, n: number, timeout = 40_000): Promise<void> {
  await expect.poll(async () => (await readingsOf()).filter((r) => r.reading.valence !== null).length, { timeout }).toBeGreaterThanOrEqual(n);
}

/** The files of a model folder the model manager imports. */
export const MODEL_FILES = ['model.json', 'weights.bin', 'card.json'];

/** Chooses `files` of the model folder `dir` in the model manager's import. */
export const importModel = (page: Page, dir: string, files = MODEL_FILES) =>
  page.locator('vm-model-manager #files').setInputFiles(files.map((f) => join(dir, f)));

/** The model manager's entry in use. */
export const activeModel = (page: Page) => page.locator('vm-model-manager li[aria-current="true"] .name');
const escaped = (name: string) => name.replace(/[-.*+?^${}()|[\]\\]/g, '\\$&');
/** The model manager's entry text for `name` in use, exactly. */
export const inUse = (name: string) => new RegExp(`^\\s*${escaped(name)}\\s*in use\\s*$`);
/** "model NAME" in the engine status, and not a longer name that starts with it. */
export const namesModel = (name: string) => new RegExp(`model ${escaped(name)}(?![-\\w])`);

export interface AnalyzeRow {
  time: number;
  valence: number;
  arousal?: number;
  speech?: 'yes' | 'no';
}

/** `npm run analyze -- --timeline --json [args] WAV`: its rows. */
export function analyzeTimeline(wav: string, args: string[] = []): AnalyzeRow[] {
  const r = spawnSync(process.execPath, [...TSX_ARGS, 'scripts/analyze.ts', '--timeline', '--json', ...args, wav], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`analyze failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as AnalyzeRow[];
}

/** One row of `npm run analyze -- --json FILE...` (no --timeline): a file's one figure and its rule. */
export interface AnalyzeFigure {
  file: string;
  valence: number | null;
  arousal?: number | null;
  rule: 'report-window' | 'speech-mean' | 'no-speech';
  speech_readings: number;
}

/** `npm run analyze -- --json WAV...`: each file's figure. */
export function analyzeFigures(wavs: string[]): AnalyzeFigure[] {
  const r = spawnSync(process.execPath, [...TSX_ARGS, 'scripts/analyze.ts', '--json', ...wavs], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`analyze failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as AnalyzeFigure[];
}

