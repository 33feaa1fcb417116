// The user's calibration clips in IndexedDB (the `clips` store of db.ts): added as they are
// recorded or imported, recorded again in place (same id, so the order stays), relabelled,
// deleted. The label is always computed here from the emotion (src/calibration/prompts.ts,
// SPEC section 3's map v1), so a stored clip never carries numbers of its own.
import { emotionLabel, isEmotion } from '../calibration/prompts.ts';
import type { Emotion } from '../training/labels.ts';
import { guarded, openValenceDb, StorageError, type ClipRecord, type ValenceDatabase } from './db.ts';

export type { ClipRecord } from './db.ts';

/** A clip to store: everything but the id, the time and the label's numbers. */
export interface NewClip {
  source: ClipRecord['source'];
  promptId: string | null;
  name: string;
  emotion: Emotion;
  sampleRate: number;
  samples: Float32Array<ArrayBuffer>;
}

function checked(clip: NewClip): NewClip {
  if (!isEmotion(clip.emotion)) throw new RangeError(`unknown emotion "${String(clip.emotion)}" for a clip`);
  if (!(Number.isInteger(clip.sampleRate) && clip.sampleRate > 0)) throw new RangeError(`a clip's sample rate must be a positive whole number, got ${clip.sampleRate}`);
  if (!(clip.samples instanceof Float32Array) || clip.samples.length === 0) throw new RangeError('a clip needs samples (a non-empty Float32Array)');
  return clip;
}

function record(clip: NewClip, now: number): Omit<ClipRecord, 'id'> {
  const c = checked(clip);
  return { addedAt: now, source: c.source, promptId: c.promptId, name: c.name, emotion: c.emotion, ...emotionLabel(c.emotion), sampleRate: c.sampleRate, samples: c.samples };
}

export class ClipStore {
  constructor(readonly db: ValenceDatabase) {}

  /** Stores a new clip; returns it with its id. */
  async add(clip: NewClip, now: number = Date.now()): Promise<ClipRecord> {
    const value = record(clip, now);
    // The key is generated (autoIncrement), so the record goes in without one.
    const id = await guarded('the clip', () => this.db.add('clips', value as ClipRecord));
    return { id, ...value };
  }

  /** Replaces clip `id`'s audio (recorded again), keeping its place; throws when there is no such clip. */
  async replace(id: number, clip: NewClip, now: number = Date.now()): Promise<ClipRecord> {
    await this.get(id);
    const value: ClipRecord = { id, ...record(clip, now) };
    await guarded('the clip', () => this.db.put('clips', value));
    return value;
  }

  /** Gives clip `id` another emotion (and so another label). */
  async relabel(id: number, emotion: Emotion): Promise<ClipRecord> {
    const old = await this.get(id);
    const value: ClipRecord = { ...old, ...record({ ...old, emotion }, old.addedAt) };
    await guarded('the new label', () => this.db.put('clips', value));
    return value;
  }

  /** Clip `id`; throws a StorageError when it is not stored. */
  async get(id: number): Promise<ClipRecord> {
    const clip = await guarded('the clip', () => this.db.get('clips', id));
    if (!clip) throw new StorageError(`There is no stored clip ${id} (deleted in another tab?)`);
    return clip;
  }

  /** Every clip, in the order they were first stored. */
  list(): Promise<ClipRecord[]> {
    return guarded('the clips', () => this.db.getAll('clips'));
  }

  /** Deletes clip `id` (nothing when it is not stored). */
  remove(id: number): Promise<void> {
    return guarded('the deletion', () => this.db.delete('clips', id));
  }
}

/** Opens the database (default: the page's indexedDB) and its clip store. */
export async function openClipStore(factory?: IDBFactory): Promise<ClipStore> {
  return new ClipStore(await openValenceDb(factory));
}
