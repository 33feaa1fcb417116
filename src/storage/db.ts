// The app's one IndexedDB database ("valence-monitor", schema version 2): models, their
// active choice, listening sessions with their readings, and the user's calibration clips
// (version 2 added the `clips` store; an upgrade from 1 keeps everything else as it was). Opened through an injectable
// IDBFactory so Node tests use fake-indexeddb and each test can start from an empty one.
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import type { CnnConfig } from '../model/config.ts';
import type { Emotion } from '../training/labels.ts';

/** Versioned name: a future incompatible layout gets a new version and an upgrade step. */
export const DB_NAME = 'valence-monitor';
export const DB_VERSION = 2;

/** bundled: from models/; imported: a folder the user picked; personal: fine-tuned here on the user's clips. */
export type ModelSource = 'bundled' | 'imported' | 'personal';

/** One stored model: everything needed to rebuild it offline, plus what the UI shows. */
export interface ModelRecord {
  /** "bundled/<folder>", "imported/<first 16 hex of contentHash>" or "personal/<the same>". */
  id: string;
  name: string;
  source: ModelSource;
  /** SHA-256 (hex) of the weights buffer. */
  contentHash: string;
  /** SHA-256 (hex) of model.json's text as served: the cheap "has the bundled model changed" check. */
  manifestHash: string;
  /** The model card (data, training, metrics, date...). */
  card: Record<string, unknown>;
  config: CnnConfig;
  /** Parsed model.json (TF.js layers format with our userDefinedMetadata). */
  modelJson: Record<string, unknown>;
  /** All weight files of model.json, concatenated in manifest order. */
  weights: ArrayBuffer;
  /** model.safetensors (PyTorch names and layouts), kept for a personal model's export. */
  safetensors?: ArrayBuffer;
  /** Date.now() when stored. */
  addedAt: number;
}

export interface SessionRecord {
  /** Auto-increment key. */
  id: number;
  /** Date.now() at the start. */
  startedAt: number;
  /** Date.now() at a clean end; null while running or after a crash / closed tab. */
  endedAt: number | null;
  modelId: string;
  modelName: string;
  /** TF.js backend that produced the readings (webgl, webgpu, wasm, cpu). */
  backend: string;
  /** Seconds between readings. */
  hopSeconds: number;
  /** Smoothing time constant of `smoothed` (0: off); absent in sessions stored before it was kept. */
  smoothingSeconds?: number;
  /** The microphone's label as the browser gave it; absent where not kept. */
  microphone?: string;
  /** Whether the browser's voice processing was on; absent where not kept. */
  voiceProcessing?: boolean;
  /** Readings stored so far (also the next reading's sequence number). */
  readingCount: number;
  /** t of the last stored reading (seconds), null before the first. */
  lastT: number | null;
}

export interface ReadingRecord {
  sessionId: number;
  /** Order of arrival within the session. */
  seq: number;
  /** Seconds from the session's start. */
  t: number;
  valence: number | null;
  /** Free-form state of the reading, e.g. "speech" or "silence". */
  state: string;
  /** Smoothed valence, where the app smooths. */
  smoothed?: number | null;
  /** Arousal, for a two-output model (null there on silence); absent in sessions stored before arousal. */
  arousal?: number | null;
  /** Arousal after the same smoothing as `smoothed`. */
  smoothedArousal?: number | null;
}

/** One labelled calibration clip ("Calibrate to my voice"): the audio as captured or decoded, mono. */
export interface ClipRecord {
  /** Auto-increment key: also the clips' order. */
  id: number;
  /** Date.now() when stored (or last recorded again). */
  addedAt: number;
  source: 'recorded' | 'imported';
  /** The prompt a recorded clip answers (src/calibration/prompts.ts); null for an imported clip. */
  promptId: string | null;
  /** The prompt's sentence, or the imported file's name. */
  name: string;
  emotion: Emotion;
  /** SPEC section 3's map v1 for `emotion`. */
  valence: number;
  arousal: number;
  sampleRate: number;
  samples: Float32Array<ArrayBuffer>;
}

export interface ValenceDb extends DBSchema {
  models: { key: string; value: ModelRecord; indexes: { bySource: ModelSource } };
  meta: { key: string; value: unknown };
  sessions: { key: number; value: SessionRecord; indexes: { byStart: number } };
  readings: { key: [number, number]; value: ReadingRecord };
  clips: { key: number; value: ClipRecord };
}

export type ValenceDatabase = IDBPDatabase<ValenceDb>;

/** Thrown when the browser refuses to store more; nothing stored earlier is lost (transactions are atomic). */
export class StorageQuotaError extends Error {
  override name = 'StorageQuotaError';
}

/** Any other storage failure, with a message that says what was being done. */
export class StorageError extends Error {
  override name = 'StorageError';
}

function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/**
 * Runs a storage operation and turns quota failures into StorageQuotaError (`what` says what
 * was not saved), other IndexedDB failures into StorageError. Our own typed errors pass through.
 */
export async function guarded<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (e instanceof StorageQuotaError || e instanceof StorageError) throw e;
    if (isQuotaError(e)) {
      throw new StorageQuotaError(
        `Browser storage is full: ${what} was not saved. Everything saved before is kept; ` +
          'delete old sessions or models to make room.',
      );
    }
    if (e instanceof DOMException) throw new StorageError(`Browser storage failed (${e.name}): ${what} was not saved`);
    throw e;
  }
}

function upgrade(db: IDBDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore('models', { keyPath: 'id' }).createIndex('bySource', 'source');
    db.createObjectStore('meta');
    db.createObjectStore('sessions', { keyPath: 'id', autoIncrement: true }).createIndex('byStart', 'startedAt');
    db.createObjectStore('readings', { keyPath: ['sessionId', 'seq'] });
  }
  if (oldVersion < 2) db.createObjectStore('clips', { keyPath: 'id', autoIncrement: true });
}

/** Opens (creating or upgrading) the database with `factory` (default: the page's indexedDB). */
export async function openValenceDb(factory?: IDBFactory): Promise<ValenceDatabase> {
  const idb = factory ?? globalThis.indexedDB;
  if (!idb) throw new StorageError('This browser has no IndexedDB: models, sessions and clips cannot be stored');
  const request = idb.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
  // Another tab holds an older version open; it is asked to close (below), so this waits briefly.
  const db = (await guarded('the database', () => wrap(request) as unknown as Promise<ValenceDatabase>)) as ValenceDatabase;
  // A newer version of the app opened in another tab: close so its upgrade is not blocked.
  db.addEventListener('versionchange', () => db.close());
  return db;
}

/**
 * Marks a transaction's `done` as handled, for operations that may throw before awaiting
 * it (a failed put): the caller's own error is reported, not a second "uncaught" one.
 */
export function quietly<T extends { done: Promise<void> }>(tx: T): T {
  tx.done.catch(() => {});
  return tx;
}
