// Reads a torchaudio/PyTorch fixture set (a folder with manifest.json and little-endian
// float32 .bin files, the format of ../shared/reference). Used by the unit tests and by
// `npm run check-reference`; it knows the format, never the case names or signals.
// Node only (node:fs): never part of the app's bundle.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One array in a fixture set: a raw float32 file and its C-order shape. */
export interface ArrayRef {
  file: string;
  shape: number[];
}

/** Mel parameters as the manifest writes them (torchaudio's names). */
export interface ManifestMelParams {
  sample_rate: number;
  n_fft: number;
  hop_length: number;
  n_mels: number;
  win_length?: number;
  f_min?: number;
  f_max?: number | null;
  power?: number;
  center?: boolean;
  pad_mode?: string;
  mel_scale?: string;
  norm?: string | null;
  window?: string;
  top_db?: number;
}

export interface MelCase {
  name: string;
  kind: 'mel';
  input: ArrayRef;
  mel_power?: ArrayRef;
  mel_db?: ArrayRef;
  /** Per-case parameter overrides, if a fixture set needs them. */
  mel?: Partial<ManifestMelParams>;
}

export interface ResampleCase {
  name: string;
  kind: 'resample';
  orig_freq: number;
  new_freq: number;
  input: ArrayRef;
  output: ArrayRef;
  lowpass_filter_width?: number;
  rolloff?: number;
}

export interface ModelCase {
  name: string;
  kind: 'model';
  /** safetensors file with PyTorch names and layouts. */
  weights: string;
  input: ArrayRef;
  output: ArrayRef;
  /** Optional model config (activation, pooling, ...) where it is not the seed preset. */
  config?: Record<string, unknown>;
}

export type FixtureCase = MelCase | ResampleCase | ModelCase | { name: string; kind: string };

export interface Manifest {
  generator?: string;
  mel?: ManifestMelParams;
  cases: FixtureCase[];
}

/** ../shared/reference beside the checkout (this file is src/model/reference-fixtures.ts). */
export const SHARED_REFERENCE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'reference');

export function loadManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new Error(`no manifest.json in ${dir}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const m = parsed as Manifest;
  if (!m || !Array.isArray(m.cases)) throw new Error(`${path} has no "cases" array`);
  return m;
}

/** Reads a float32 array and checks its size against the declared shape. */
export function readArray(dir: string, ref: ArrayRef): Float32Array {
  const path = join(dir, ref.file);
  if (!existsSync(path)) throw new Error(`missing fixture file ${path}`);
  const buf = readFileSync(path);
  const expected = ref.shape.reduce((a, b) => a * b, 1);
  if (buf.byteLength !== expected * 4) {
    throw new Error(`${ref.file}: ${buf.byteLength} bytes, shape [${ref.shape}] needs ${expected * 4}`);
  }
  const out = new Float32Array(expected);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < expected; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function casesOfKind<K extends 'mel' | 'resample' | 'model'>(
  m: Manifest,
  kind: K,
): Extract<FixtureCase, { kind: K }>[] {
  return m.cases.filter((c) => c.kind === kind) as Extract<FixtureCase, { kind: K }>[];
}

/**
 * A fixture set as the tests see it. Tests declare one test per case while they are being
 * collected, so listing the cases never throws: a missing folder lists none, and the test
 * that asks for the manifest fails with the reason instead of the file failing at import.
 */
export interface FixtureSet {
  readonly dir: string;
  /** The manifest; throws, saying what is missing, when the set cannot be read. */
  manifest(): Manifest;
  /** The cases of one kind, in manifest order; none when the set cannot be read. */
  cases<K extends 'mel' | 'resample' | 'model'>(kind: K): Extract<FixtureCase, { kind: K }>[];
  /** One array of the set (see readArray). */
  array(ref: ArrayRef): Float32Array;
  /** The path of a file in the set; throws, saying what is missing, when the folder is. */
  path(file: string): string;
}

export function fixtureSet(dir: string = SHARED_REFERENCE): FixtureSet {
  let manifest: Manifest | undefined;
  const missing = () =>
    new Error(
      `the reference fixture folder ${dir} is missing (torchaudio / PyTorch outputs, SPEC section 5; ` +
        'it belongs at ../shared/reference beside the checkout)',
    );
  const set: FixtureSet = {
    dir,
    manifest() {
      if (!existsSync(dir)) throw missing();
      return (manifest ??= loadManifest(dir));
    },
    cases(kind) {
      let m: Manifest;
      try {
        m = set.manifest();
      } catch {
        return [];
      }
      return casesOfKind(m, kind);
    },
    array(ref) {
      if (!existsSync(dir)) throw missing();
      return readArray(dir, ref);
    },
    path(file) {
      if (!existsSync(dir)) throw missing();
      return join(dir, file);
    },
  };
  return set;
}
