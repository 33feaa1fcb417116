// On-disk cache of the expensive part of the signal path for training and evaluation: each
// clip's 8 kHz mono signal (decode + resample, before fix-length and augmentation), and its
// report's-rule features. Entries live under .cache/features/ (gitignored), keyed by
// sha256 of (SPEC parameters, a version string, a hash of the signal-path sources, the
// entry kind, the audio file's sha256): changing the file, the parameters or the DSP code
// misses the old entry. A corrupt or truncated entry is ignored and rewritten; a cache that
// cannot be written is reported once and the run goes on without it.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DB, MEL, RESAMPLE, TARGET_RATE, WINDOW_LENGTH, type FeatureType } from '../../src/dsp/params.ts';
import { toMono } from '../../src/dsp/mono.ts';
import { decodeWav, truncationWarning, wavTruncation } from '../../src/audio/decode-wav.ts';
import { crc32Hex } from '../../src/model/crc32.ts';
import type { Spectrogram } from '../../src/dsp/mel.ts';
import { clipSignal, signalFeatures } from '../../src/dsp/pipeline.ts';
import type { LoudnessNormalisation } from '../../src/dsp/loudness.ts';
import type { Clip } from '../../src/training/corpus.ts';
import { REPO_ROOT } from './repo-root.ts';
import { readFailureReason } from './audio-file.ts';

/** Bump when the meaning of an entry changes in a way the source hash cannot see. */
export const CACHE_VERSION = 'valence-feature-cache/1 torchaudio-0.13.1';
export const DEFAULT_CACHE_DIR = join(REPO_ROOT, '.cache', 'features');

const MAGIC = 0x31434d56; // "VMC1" little-endian
const HEADER_BYTES = 4 + 32 + 4 + 4 + 4; // magic, key, rows, cols, crc32

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

let sourceHashMemo: string | undefined;
/** Hash of the code that turns a file into a signal or features, so editing it invalidates entries. */
function signalPathSourceHash(): string {
  if (sourceHashMemo !== undefined) return sourceHashMemo;
  const h = createHash('sha256');
  try {
    const dsp = join(SRC, 'dsp');
    const files = readdirSync(dsp)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .sort()
      .map((f) => join(dsp, f));
    files.push(join(SRC, 'audio', 'decode-wav.ts'), join(SRC, 'audio', 'wav-format.ts'));
    for (const f of files) h.update(f.slice(SRC.length)).update(readFileSync(f));
  } catch {
    h.update('sources unavailable'); // e.g. a bundled build: the version string alone keys entries
  }
  sourceHashMemo = h.digest('hex');
  return sourceHashMemo;
}

const PARAMS_JSON = JSON.stringify({ TARGET_RATE, WINDOW_LENGTH, RESAMPLE, MEL, DB });

/** What an entry holds: the 8 kHz signal, or report's-rule features of a type (and normalisation). */
export type EntryKind = { kind: 'signal' } | { kind: 'features'; type: FeatureType; normalisation: LoudnessNormalisation | null };

/** The cache key (sha256 hex) of an entry of a file with content hash `fileSha256`. */
export function cacheKey(entry: EntryKind, fileSha256: string): string {
  return createHash('sha256')
    .update(CACHE_VERSION)
    .update('\0')
    .update(PARAMS_JSON)
    .update('\0')
    .update(signalPathSourceHash())
    .update('\0')
    .update(JSON.stringify(entry))
    .update('\0')
    .update(fileSha256)
    .digest('hex');
}

/** A file that could not be turned into a signal, and why. */
export interface ClipFailure {
  path: string;
  reason: string;
}

/** Lookups of one entry kind. */
export interface HitCount {
  hits: number;
  misses: number;
}

export interface CacheStats {
  signal: HitCount;
  features: HitCount;
  /** Entries found unreadable or inconsistent (then rewritten). */
  corrupt: number;
}

export interface FeatureCacheOptions {
  /** Cache folder (default .cache/features in the repository). */
  dir?: string;
  /** false: compute everything, read and write nothing (--no-cache). */
  enabled?: boolean;
  /** Warnings: once when the cache cannot be written (the run goes on uncached), once per audio file cut short. */
  warn?: (message: string) => void;
}

/** Thrown for a clip that cannot be read or decoded; the message is the reason. */
export class ClipReadError extends Error {
  override name = 'ClipReadError';
}

function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new ClipReadError(readFailureReason(e));
  }
}

export class FeatureCache {
  readonly dir: string;
  readonly enabled: boolean;
  readonly stats: CacheStats = { signal: { hits: 0, misses: 0 }, features: { hits: 0, misses: 0 }, corrupt: 0 };
  private readonly warn: (message: string) => void;
  private writeFailed = false;
  /** Files already warned about as cut short (once per run, not once per lookup). */
  private readonly warnedCut = new Set<string>();

  constructor(options: FeatureCacheOptions = {}) {
    this.dir = options.dir ?? DEFAULT_CACHE_DIR;
    this.enabled = options.enabled ?? true;
    this.warn = options.warn ?? ((m) => console.warn(m));
  }

  private entryPath(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.bin`);
  }

  /** The entry's values, or null when absent or not valid (counted as corrupt when present). */
  private read(key: string, rows: number | null): { rows: number; cols: number; data: Float32Array } | null {
    let buf: Buffer;
    try {
      buf = readFileSync(this.entryPath(key));
    } catch {
      return null;
    }
    const ok = (() => {
      if (buf.length < HEADER_BYTES || buf.readUInt32LE(0) !== MAGIC) return null;
      if (buf.subarray(4, 36).toString('hex') !== key) return null;
      const r = buf.readUInt32LE(36);
      const c = buf.readUInt32LE(40);
      if ((rows !== null && r !== rows) || buf.length !== HEADER_BYTES + r * c * 4) return null;
      const payload = new Uint8Array(buf.buffer, buf.byteOffset + HEADER_BYTES, r * c * 4);
      if (parseInt(crc32Hex(payload), 16) !== buf.readUInt32LE(44)) return null;
      // Copy into an aligned buffer (readFileSync's may be pooled at any offset); host is little-endian.
      return { rows: r, cols: c, data: new Float32Array(payload.slice().buffer) };
    })();
    if (!ok) this.stats.corrupt++;
    return ok;
  }

  private write(key: string, rows: number, cols: number, data: Float32Array): void {
    if (this.writeFailed) return;
    const payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(MAGIC, 0);
    Buffer.from(key, 'hex').copy(header, 4);
    header.writeUInt32LE(rows, 36);
    header.writeUInt32LE(cols, 40);
    header.writeUInt32LE(parseInt(crc32Hex(payload), 16), 44);
    const path = this.entryPath(key);
    // Write then rename: a crash mid-write leaves a stray temp file, never a half entry.
    const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(tmp, Buffer.concat([header, payload]));
      renameSync(tmp, path);
    } catch (e) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // Nothing was written there (e.g. the folder is a file): nothing to clean up.
      }
      this.writeFailed = true;
      this.warn(`feature cache: cannot write to ${this.dir} (${(e as Error).message}); going on without caching`);
    }
  }

  /** Decodes and resamples a file's bytes (no cache). */
  private computeSignal(bytes: Uint8Array): Float32Array {
    try {
      const audio = decodeWav(bytes);
      return clipSignal(toMono(audio.channels), audio.sampleRate);
    } catch (e) {
      throw new ClipReadError((e as Error).message);
    }
  }

  private signalOf(bytes: Uint8Array, fileSha: string): { signal: Float32Array; hit: boolean } {
    if (!this.enabled) return { signal: this.computeSignal(bytes), hit: false };
    const key = cacheKey({ kind: 'signal' }, fileSha);
    const cached = this.read(key, 1);
    if (cached) {
      this.stats.signal.hits++;
      return { signal: cached.data, hit: true };
    }
    this.stats.signal.misses++;
    const signal = this.computeSignal(bytes);
    this.write(key, 1, signal.length, signal);
    return { signal, hit: false };
  }

  /** A file's bytes; a file cut short is warned about from its header, so on a cache hit as on a miss. */
  private fileBytes(path: string): Uint8Array {
    const bytes = readBytes(path);
    let truncation: ReturnType<typeof wavTruncation>;
    try {
      truncation = wavTruncation(bytes);
    } catch (e) {
      throw new ClipReadError((e as Error).message);
    }
    if (truncation && !this.warnedCut.has(path)) {
      this.warnedCut.add(path);
      this.warn(truncationWarning(path, truncation));
    }
    return bytes;
  }

  /** A file's whole 8 kHz mono signal. Throws ClipReadError (reason in the message) for a file that cannot be read. */
  signal(path: string): { signal: Float32Array; hit: boolean } {
    const bytes = this.fileBytes(path);
    return this.signalOf(bytes, createHash('sha256').update(bytes).digest('hex'));
  }

  /**
   * A file's report's-rule features (first 61500 samples at 8 kHz, zero-padded at the end,
   * optional normalisation, Mel, `type`). A miss reuses the cached signal when there is one.
   */
  features(path: string, type: FeatureType, normalisation: LoudnessNormalisation | null = null): { features: Spectrogram; hit: boolean } {
    const bytes = this.fileBytes(path);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const key = cacheKey({ kind: 'features', type, normalisation }, sha);
    if (this.enabled) {
      const cached = this.read(key, MEL.nMels);
      if (cached) {
        this.stats.features.hits++;
        return { features: { data: cached.data, nMels: cached.rows, nFrames: cached.cols }, hit: true };
      }
    }
    const { signal } = this.signalOf(bytes, sha);
    const features = signalFeatures(signal, type, normalisation);
    if (this.enabled) {
      this.stats.features.misses++;
      this.write(key, features.nMels, features.nFrames, features.data);
    }
    return { features, hit: false };
  }
}

/** Progress of a bulk load, after each clip. */
export interface LoadProgress {
  done: number;
  total: number;
  path: string;
  /** Whether the clip came from the cache. */
  hit: boolean;
  /** Set when the clip failed (and was skipped). */
  failure?: string;
}

export interface Loaded<T> {
  /** Clips that loaded, in input order, with their values. */
  items: { clip: Clip; value: T }[];
  /** Clips that did not (skipped), with the reason. */
  failures: ClipFailure[];
}

/** Runs `load` on each clip in order, collecting failures instead of stopping; `onProgress` after each. */
function loadEach<T>(
  clips: readonly Clip[],
  load: (clip: Clip) => { value: T; hit: boolean },
  onProgress?: (p: LoadProgress) => void,
): Loaded<T> {
  const items: { clip: Clip; value: T }[] = [];
  const failures: ClipFailure[] = [];
  clips.forEach((clip, i) => {
    let hit = false;
    let failure: string | undefined;
    try {
      const r = load(clip);
      hit = r.hit;
      items.push({ clip, value: r.value });
    } catch (e) {
      if (!(e instanceof ClipReadError)) throw e;
      failure = e.message;
      failures.push({ path: clip.path, reason: failure });
    }
    onProgress?.({ done: i + 1, total: clips.length, path: clip.path, hit, failure });
  });
  return { items, failures };
}

/** Each clip's 8 kHz signal (for augmented training); files that fail are listed and skipped. */
export function loadSignals(cache: FeatureCache, clips: readonly Clip[], onProgress?: (p: LoadProgress) => void): Loaded<Float32Array> {
  return loadEach(
    clips,
    (c) => {
      const r = cache.signal(c.path);
      return { value: r.signal, hit: r.hit };
    },
    onProgress,
  );
}

/** Each clip's report's-rule features (evaluation, unaugmented validation); files that fail are listed and skipped. */
export function loadFeatures(
  cache: FeatureCache,
  clips: readonly Clip[],
  type: FeatureType,
  normalisation: LoudnessNormalisation | null = null,
  onProgress?: (p: LoadProgress) => void,
): Loaded<Float32Array> {
  return loadEach(
    clips,
    (c) => {
      const r = cache.features(c.path, type, normalisation);
      return { value: r.features.data, hit: r.hit };
    },
    onProgress,
  );
}
