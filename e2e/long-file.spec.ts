// A long WAV analysed in the page (issue 12 item 5): the page reads only the header and the
// worker reads the File block by block, so neither holds the file. A 60-minute 16 kHz file
// (115 MB; written to a temp folder, never kept) of 4 s of "voice" then silence, which the
// gate reads without the CNN: every reading arrives, and the largest single read of the
// File, on the page and in the worker, is a block, not the file. The heap of the page and
// the worker during the analysis is logged (measureUserAgentSpecificMemory).
import { expect, test, type Worker } from '@playwright/test';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileReadingsEventDetail } from '../src/ui/vm-app.ts';
import { fakeMicLaunch, openReady } from './support.ts';

test.use(fakeMicLaunch());

const RATE = 16000;
const MINUTES = 60;

/** Writes a 16-bit mono WAV of `seconds`: a 200 Hz tone in 3 syllables a second for 4 s, then zeros; a second at a time. */
function writeLongWav(path: string, seconds: number): void {
  const frames = seconds * RATE;
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + frames * 2, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(RATE, 24);
  head.writeUInt32LE(RATE * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(frames * 2, 40);
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  const second = Buffer.alloc(RATE * 2);
  for (let s = 0; s < Math.min(4, seconds); s++) {
    for (let i = 0; i < RATE; i++) {
      const t = s + i / RATE;
      second.writeInt16LE(Math.round(9000 * Math.sin(2 * Math.PI * 200 * t) * Math.max(0, Math.sin(2 * Math.PI * 3 * t))), 2 * i);
    }
    writeSync(fd, second);
  }
  // The silence: one buffer of zeros, written a minute at a time.
  const minute = Buffer.alloc(60 * RATE * 2);
  for (let left = Math.max(0, seconds - 4); left > 0; left -= 60) writeSync(fd, minute, 0, Math.min(60, left) * RATE * 2);
  closeSync(fd);
}

/** Counts, in a page or worker scope, the largest number of bytes one Blob.arrayBuffer() call returned. */
const spyOnReads = () => {
  const g = globalThis as unknown as { largestRead: number };
  g.largestRead = 0;
  const original = Blob.prototype.arrayBuffer;
  Blob.prototype.arrayBuffer = async function (this: Blob) {
    const bytes = await original.call(this);
    g.largestRead = Math.max(g.largestRead, bytes.byteLength);
    return bytes;
  };
};
const largestRead = () => (globalThis as unknown as { largestRead: number }).largestRead;

interface MemoryEntry {
  bytes: number;
  attribution: { scope: string }[];
}

test(`a ${MINUTES}-minute WAV is analysed in the page without either side holding the file`, async ({ page }) => {
  test.setTimeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'vm-long-'));
  try {
    const wav = join(dir, `long-${MINUTES}min.wav`);
    writeLongWav(wav, MINUTES * 60);
    await page.addInitScript(spyOnReads);
    await openReady(page);
    const worker = page.workers().find((w: Worker) => w.url().includes('analysis')) ?? page.workers()[0];
    expect(worker, 'the analysis worker').toBeDefined();
    await worker.evaluate(spyOnReads);

    const result = page.evaluate(
      () =>
        new Promise<FileReadingsEventDetail>((resolve) =>
          document.addEventListener('vm-file-readings', (e) => resolve((e as CustomEvent<FileReadingsEventDetail>).detail), { once: true }),
        ),
    );
    await page.locator('vm-file-analysis #audio').setInputFiles(wav);
    // The heap while the file is analysed, page and worker apart (retained bytes, at a garbage collection).
    let peak = { page: 0, worker: 0 };
    let done = false;
    void result.then(() => (done = true));
    while (!done) {
      const entries = await page.evaluate(async () => {
        const p = performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ breakdown: MemoryEntry[] }> };
        return crossOriginIsolated && p.measureUserAgentSpecificMemory ? (await p.measureUserAgentSpecificMemory()).breakdown : [];
      });
      const sum = (scope: string) => entries.filter((e) => e.attribution.length > 0 && e.attribution.every((a) => a.scope === scope)).reduce((n, e) => n + e.bytes, 0);
      peak = { page: Math.max(peak.page, sum('Window')), worker: Math.max(peak.worker, sum('DedicatedWorkerGlobalScope')) };
    }
    const got = await result;
    const mb = (n: number) => (n / 2 ** 20).toFixed(1);
    console.log(`${MINUTES}-minute file (${mb(MINUTES * 60 * RATE * 2)} MB): ${got.readings.length} readings; heap during the analysis at most page ${mb(peak.page)} MB, worker ${mb(peak.worker)} MB`);
    expect(got.decoder).toBe('wav');
    expect(got.sampleRate).toBe(RATE);
    expect(got.readings.length).toBe(MINUTES * 60 * 2); // one every 0.5 s, none skipped
    expect(got.readings.at(-1)!.time).toBe(MINUTES * 60);
    expect(got.readings.slice(0, 6).some((r) => r.speech)).toBe(true);
    expect(got.readings.at(-1)!.speech).toBe(false);
    await expect(page.locator('vm-file-analysis .summary')).toContainText(`${MINUTES * 60}.0 s at 16000 Hz`);
    // The page reads the header (64 KiB); the worker that and then 2^16 frames (128 KiB) at a time.
    expect(await page.evaluate(largestRead)).toBeLessThanOrEqual(1 << 16);
    expect(await worker.evaluate(largestRead)).toBeLessThanOrEqual(2 << 16);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
