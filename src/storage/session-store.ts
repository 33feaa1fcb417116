// Listening sessions in IndexedDB, written as they run: the session record at the start,
// then every reading in its own small transaction (with the session's count), so a crash
// or a closed tab loses at most the reading being written. A session never ended cleanly
// shows as interrupted (endedAt null) with everything stored up to then. Optional fields
// (smoothed, arousal, smoothedArousal) are stored only when given, and come back only
// where stored: sessions saved before arousal load unchanged.
import { guarded, openValenceDb, quietly, StorageError, type ReadingRecord, type SessionRecord, type ValenceDatabase } from './db.ts';

export type { ReadingRecord, SessionRecord } from './db.ts';

export interface SessionStart {
  modelId: string;
  modelName: string;
  backend: string;
  hopSeconds: number;
  /** The settings the readings were made with, for exports (optional: older callers). */
  smoothingSeconds?: number;
  microphone?: string;
  voiceProcessing?: boolean;
}

/** One reading as the app produces it. */
export interface ReadingInput {
  /** Seconds from the session's start. */
  t: number;
  valence: number | null;
  /** E.g. "speech" or "silence". */
  state: string;
  smoothed?: number | null;
  /** Arousal of a two-output model (null there on silence; null or absent for a one-output model). */
  arousal?: number | null;
  /** Arousal after the same smoothing as `smoothed`. */
  smoothedArousal?: number | null;
}

/** The optional fields of a reading, stored and read back only where present. */
const OPTIONAL_FIELDS = ['smoothed', 'arousal', 'smoothedArousal'] as const;

/** `to` with each optional field of `from` that is not undefined. */
function withOptional<T extends object>(to: T, from: Pick<ReadingInput, (typeof OPTIONAL_FIELDS)[number]>): T & Partial<ReadingInput> {
  const out: T & Partial<ReadingInput> = to;
  for (const key of OPTIONAL_FIELDS) if (from[key] !== undefined) out[key] = from[key];
  return out;
}

/** A session with its readings, ordered by time. */
export interface SessionWithReadings extends SessionRecord {
  readings: ReadingInput[];
}

export class SessionStore {
  constructor(readonly db: ValenceDatabase) {}

  /** Stores a new session and returns its id. */
  async startSession(start: SessionStart, now: number = Date.now()): Promise<number> {
    const record: Omit<SessionRecord, 'id'> = {
      startedAt: now,
      endedAt: null,
      modelId: start.modelId,
      modelName: start.modelName,
      backend: start.backend,
      hopSeconds: start.hopSeconds,
      ...(start.smoothingSeconds !== undefined ? { smoothingSeconds: start.smoothingSeconds } : {}),
      ...(start.microphone !== undefined ? { microphone: start.microphone } : {}),
      ...(start.voiceProcessing !== undefined ? { voiceProcessing: start.voiceProcessing } : {}),
      readingCount: 0,
      lastT: null,
    };
    // The key is generated (autoIncrement), so the record goes in without one.
    return guarded('the new session', () => this.db.add('sessions', record as SessionRecord));
  }

  /**
   * Stores one reading now (its own transaction). Calls may overlap: IndexedDB runs
   * transactions on the same stores in the order they were created, so readings keep
   * their order without awaiting each call.
   */
  async appendReading(sessionId: number, reading: ReadingInput): Promise<void> {
    await guarded(`the reading at ${reading.t.toFixed(1)} s`, async () => {
      const tx = quietly(this.db.transaction(['sessions', 'readings'], 'readwrite'));
      const sessions = tx.objectStore('sessions');
      const session = await sessions.get(sessionId);
      if (!session) throw new StorageError(`no session ${sessionId} to add a reading to`);
      const record: ReadingRecord = withOptional(
        { sessionId, seq: session.readingCount, t: reading.t, valence: reading.valence, state: reading.state },
        reading,
      );
      await tx.objectStore('readings').put(record);
      await sessions.put({ ...session, readingCount: session.readingCount + 1, lastT: reading.t });
      await tx.done;
    });
  }

  /** Marks a session as ended cleanly. */
  async endSession(sessionId: number, now: number = Date.now()): Promise<void> {
    await guarded('the end of the session', async () => {
      const tx = quietly(this.db.transaction('sessions', 'readwrite'));
      const session = await tx.store.get(sessionId);
      if (session) await tx.store.put({ ...session, endedAt: now });
      await tx.done;
    });
  }

  /** Every session, newest first (without readings). */
  async listSessions(): Promise<SessionRecord[]> {
    return (await this.db.getAllFromIndex('sessions', 'byStart')).reverse();
  }

  /** A session with its readings ordered by time (then arrival), or undefined. */
  async getSession(sessionId: number): Promise<SessionWithReadings | undefined> {
    const tx = this.db.transaction(['sessions', 'readings'], 'readonly');
    const session = await tx.objectStore('sessions').get(sessionId);
    if (!session) return undefined;
    const rows = await tx.objectStore('readings').getAll(IDBKeyRange.bound([sessionId, 0], [sessionId, Infinity]));
    await tx.done;
    rows.sort((a, b) => a.t - b.t || a.seq - b.seq);
    const readings = rows.map((r): ReadingInput => withOptional({ t: r.t, valence: r.valence, state: r.state }, r));
    return { ...session, readings };
  }

  /** Deletes a session and its readings (one transaction: all or nothing). */
  async deleteSession(sessionId: number): Promise<void> {
    await guarded('the deletion', async () => {
      const tx = quietly(this.db.transaction(['sessions', 'readings'], 'readwrite'));
      await tx.objectStore('readings').delete(IDBKeyRange.bound([sessionId, 0], [sessionId, Infinity]));
      await tx.objectStore('sessions').delete(sessionId);
      await tx.done;
    });
  }
}

/** Opens the database (injectable factory for tests) and returns the session store. */
export async function openSessionStore(factory?: IDBFactory): Promise<SessionStore> {
  return new SessionStore(await openValenceDb(factory));
}
