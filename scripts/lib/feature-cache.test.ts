// The feature cache: miss then hit with identical values, invalidation when the file (or
// the entry kind) changes, corrupt entries ignored and rewritten, unreadable files listed
// and skipped, and a cache that cannot be written never stopping the run.
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wavBytes } from '../../src/audio/test-support.ts';
import { clipFeatures } from '../../src/dsp/pipeline.ts';
import { resample } from '../../src/dsp/resample.ts';
import { DEFAULT_NORMALISATION } from '../../src/dsp/loudness.ts';
import type { Clip } from '../../src/training/corpus.ts';
import { FeatureCache, cacheKey, loadFeatures, loadSignals, type LoadProgress } from './feature-cache.ts';

const root = mkdtempSync(join(tmpdir(), 'vm-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A 16-bit 16 kHz WAV of a tone; returns its path and samples as the decoder gives them. */
function writeTone(name: string, hz: number, n = 8000): { path: string; samples: Float32Array } {
  const ints = Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 16000)));
  const path = join(root, name);
  writeFileSync(path, wavBytes({ rate: 16000, bits: 16, frames: ints.map((v) => [v]) }));
  return { path, samples: Float32Array.from(ints, (v) => v / 32768) };
}

/** Every entry file under a cache folder. */
function entries(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('FeatureCache', () => {
  it('warns about a file cut short, naming it and the missing bytes, once per run, on a hit as on a miss', () => {
    const dir = join(root, 'cut');
    const { path } = writeTone('cut.wav', 440, 8000); // 16000 data bytes
    writeFileSync(path, readFileSync(path).subarray(0, 44 + 16000 - 999)); // 15001 bytes: 7500 whole frames
    const want = `${path}: the WAV file is cut short: its data chunk declares 16000 bytes but holds 15001 (999 bytes missing); only the 0.469 s present are analysed`;
    const warned: string[] = [];
    const cache = new FeatureCache({ dir, warn: (m) => warned.push(m) });
    expect(cache.signal(path).signal.length).toBe(3750); // 7500 frames at 16 kHz -> 8 kHz
    cache.features(path, 'db');
    expect(warned).toEqual([want]);
    const again: string[] = [];
    const next = new FeatureCache({ dir, warn: (m) => again.push(m) });
    expect(next.signal(path).hit).toBe(true);
    expect(again).toEqual([want]);
  });

  it('misses, then hits with the same signal as decoding and resampling directly', () => {
    const dir = join(root, 'c1');
    const { path, samples } = writeTone('a.wav', 440);
    const first = new FeatureCache({ dir }).signal(path);
    expect(first.hit).toBe(false);
    expect(first.signal).toEqual(resample(samples, 16000, 8000));
    const cache = new FeatureCache({ dir });
    const second = cache.signal(path);
    expect(second.hit).toBe(true);
    expect(second.signal).toEqual(first.signal);
    expect(cache.stats.signal).toEqual({ hits: 1, misses: 0 });
    expect(entries(dir)).toHaveLength(1);
  });

  it('caches features per type and normalisation, equal to clipFeatures', () => {
    const dir = join(root, 'c2');
    const { path, samples } = writeTone('b.wav', 300);
    const cache = new FeatureCache({ dir });
    const db = cache.features(path, 'db');
    expect(db.hit).toBe(false);
    expect(db.features).toEqual(clipFeatures(samples, 16000, 'db'));
    expect(cache.features(path, 'db')).toEqual({ features: db.features, hit: true });
    expect(cache.features(path, 'power').hit).toBe(false);
    expect(cache.features(path, 'db', DEFAULT_NORMALISATION).hit).toBe(false);
    // The signal was decoded once and reused for the other feature entries.
    expect(cache.stats.signal).toEqual({ hits: 2, misses: 1 });
    expect(cache.stats.features).toEqual({ hits: 1, misses: 3 });
    expect(entries(dir)).toHaveLength(4);
  });

  it('misses when the file content changes, even at the same path and size', () => {
    const dir = join(root, 'c3');
    const { path } = writeTone('c.wav', 200);
    const cache = new FeatureCache({ dir });
    const before = cache.signal(path).signal;
    const size = statSync(path).size;
    const { samples } = writeTone('c.wav', 250);
    expect(statSync(path).size).toBe(size);
    const after = cache.signal(path);
    expect(after.hit).toBe(false);
    expect(after.signal).toEqual(resample(samples, 16000, 8000));
    expect(after.signal).not.toEqual(before);
  });

  it('keys depend on the kind of entry and the file hash', () => {
    const sha = 'ab'.repeat(32);
    const keys = new Set([
      cacheKey({ kind: 'signal' }, sha),
      cacheKey({ kind: 'signal' }, 'cd'.repeat(32)),
      cacheKey({ kind: 'features', type: 'db', normalisation: null }, sha),
      cacheKey({ kind: 'features', type: 'power', normalisation: null }, sha),
      cacheKey({ kind: 'features', type: 'db', normalisation: DEFAULT_NORMALISATION }, sha),
    ]);
    expect(keys.size).toBe(5);
    expect(cacheKey({ kind: 'signal' }, sha)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['truncated', (f: string) => truncateSync(f, 60)],
    ['one payload byte flipped', (f: string) => {
      const b = readFileSync(f);
      b[b.length - 3] ^= 0x40;
      writeFileSync(f, b);
    }],
    ['garbage', (f: string) => writeFileSync(f, 'not a cache entry')],
    ['empty', (f: string) => writeFileSync(f, '')],
  ])('ignores a corrupt entry (%s) and rewrites it', (_, corrupt) => {
    const dir = join(root, `corrupt-${Math.random().toString(36).slice(2)}`);
    const { path } = writeTone('d.wav', 350);
    const good = new FeatureCache({ dir }).signal(path).signal;
    const [entry] = entries(dir);
    corrupt(entry);
    const cache = new FeatureCache({ dir });
    const r = cache.signal(path);
    expect(r.hit).toBe(false);
    expect(r.signal).toEqual(good);
    expect(cache.stats.corrupt).toBe(1);
    expect(new FeatureCache({ dir }).signal(path).hit).toBe(true);
    expect(entries(dir)).toEqual([entry]);
  });

  it('with enabled: false reads and writes nothing', () => {
    const dir = join(root, 'off');
    const { path, samples } = writeTone('e.wav', 500);
    const cache = new FeatureCache({ dir, enabled: false });
    expect(cache.features(path, 'power').features).toEqual(clipFeatures(samples, 16000, 'power'));
    expect(cache.signal(path).hit).toBe(false);
    expect(() => readdirSync(dir)).toThrow();
  });

  it('goes on uncached, warning once, when the cache folder cannot be written', () => {
    const blocker = join(root, 'blocker');
    writeFileSync(blocker, 'a file where the cache folder should be');
    const warnings: string[] = [];
    const cache = new FeatureCache({ dir: join(blocker, 'cache'), warn: (m) => warnings.push(m) });
    const a = writeTone('f.wav', 600);
    const b = writeTone('g.wav', 700);
    expect(cache.signal(a.path).signal).toEqual(resample(a.samples, 16000, 8000));
    expect(cache.features(b.path, 'db').features).toEqual(clipFeatures(b.samples, 16000, 'db'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write to .*going on without caching/);
  });
});

describe('bulk loading', () => {
  it('lists and skips files that fail, reporting progress for every clip', () => {
    const dir = join(root, 'bulk');
    const good1 = writeTone('h.wav', 400);
    const good2 = writeTone('i.wav', 450);
    const broken = join(root, 'broken.wav');
    writeFileSync(broken, 'RIFF\x10\x00\x00\x00WAVEjunkjunk');
    const clips: Clip[] = [
      { path: good1.path, valence: 0.5, speaker: 's1', arousal: null, corpus: 'c' },
      { path: broken, valence: 0, speaker: 's1', arousal: null, corpus: 'c' },
      { path: join(root, 'missing.wav'), valence: 0, speaker: 's2', arousal: null, corpus: 'c' },
      { path: good2.path, valence: -0.5, speaker: 's2', arousal: null, corpus: 'c' },
    ];
    const progress: LoadProgress[] = [];
    const cache = new FeatureCache({ dir });
    const r = loadFeatures(cache, clips, 'db', null, (p) => progress.push(p));
    expect(r.items.map((i) => i.clip)).toEqual([clips[0], clips[3]]);
    expect(r.items[1].value).toEqual(clipFeatures(good2.samples, 16000, 'db').data);
    expect(r.failures).toEqual([
      { path: broken, reason: expect.stringMatching(/broken WAV file/) },
      { path: join(root, 'missing.wav'), reason: 'no such file' },
    ]);
    expect(progress.map((p) => [p.done, p.total, p.hit, p.failure !== undefined])).toEqual([
      [1, 4, false, false],
      [2, 4, false, true],
      [3, 4, false, true],
      [4, 4, false, false],
    ]);
    const again = loadSignals(new FeatureCache({ dir }), clips, (p) => progress.push(p));
    expect(again.items.map((i) => i.value)).toEqual([good1, good2].map((g) => resample(g.samples, 16000, 8000)));
    expect(progress.slice(4).map((p) => p.hit)).toEqual([true, false, false, true]);
  });
});
