// Calibration clips for the e2e tests and the calibration bench: speech cut from the
// fixtures here as 32-bit float WAVs (no corpus audio is committed), and their import
// through the calibration view with a label.
import { expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '../src/audio/decode-wav.ts';
import { toMono } from '../src/dsp/mono.ts';
import { floatWav } from '../src/ui/wav-file.ts';
import { SPEECH_WAV } from './support.ts';

export const SHORT_WAV = fileURLToPath(new URL('./fixtures/speech.wav', import.meta.url));

/** Speech spans of the fixtures: [file, seconds from, to). */
const CUTS: [string, number, number][] = [
  [SPEECH_WAV, 1.5, 4.2], [SPEECH_WAV, 4.2, 6.9], [SPEECH_WAV, 6.9, 9.6], [SPEECH_WAV, 9.6, 12.1],
  [SHORT_WAV, 0, 2.3], [SHORT_WAV, 2.3, 4.5], [SPEECH_WAV, 2.5, 5.5], [SHORT_WAV, 1, 3.5],
  [SPEECH_WAV, 5.5, 8.5], [SPEECH_WAV, 8, 11], [SHORT_WAV, 0.5, 4], [SPEECH_WAV, 3, 7],
  [SPEECH_WAV, 7, 12], [SHORT_WAV, 1.5, 4.5],
];

/** Writes seconds [from, to) of `file` (mono) to `path` as a 32-bit float WAV at the file's rate. */
export function cutWav(file: string, from: number, to: number, path: string): string {
  const wav = decodeWav(new Uint8Array(readFileSync(file)));
  const mono = toMono(wav.channels);
  writeFileSync(path, floatWav(mono.subarray(Math.round(from * wav.sampleRate), Math.round(to * wav.sampleRate)), wav.sampleRate));
  return path;
}

/** Writes `count` (at most 14) clips of speech into `dir`; their paths. */
export function cutClips(dir: string, count: number): string[] {
  if (count > CUTS.length) throw new Error(`at most ${CUTS.length} clips`);
  mkdirSync(dir, { recursive: true });
  return CUTS.slice(0, count).map(([file, from, to], i) => cutWav(file, from, to, join(dir, `cut-${String(i + 1).padStart(2, '0')}.wav`)));
}

/** Imports `files` into the (open) calibration view, labelled `emotion`. */
export async function importAs(page: Page, emotion: string, files: string[]): Promise<void> {
  const view = page.locator('vm-calibration');
  const before = await view.locator('ul vm-clip-row').count();
  await view.getByLabel('Label for imported files').selectOption(emotion);
  await view.locator('#import').setInputFiles(files);
  await expect(view.locator('ul vm-clip-row')).toHaveCount(before + files.length, { timeout: 20_000 });
}
