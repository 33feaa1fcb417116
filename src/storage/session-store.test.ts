// Sessions on fake-indexeddb: readings stored one by one survive a "reload" in order,
// deletion removes everything, exports have the right columns, arousal is kept where a
// reading has it (and absent where an older session never had it), and a full storage is
// reported without losing earlier readings.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { StorageQuotaError } from './db.ts';
import { CSV_COLUMNS, exportFileName, SESSION_JSON_FORMAT, sessionToCsv, sessionToJson } from './session-export.ts';
import { openSessionStore } from './session-store.ts';
import { withQuotaExceeded } from './test-support.ts';

const START = { modelId: 'bundled/seed', modelName: 'seed, "db"', backend: 'wasm', hopSeconds: 0.5 };
const T0 = Date.UTC(2026, 10, 24, 22, 0, 0);

describe('session store', () => {
  let factory: IDBFactory;
  beforeEach(() => {
    factory = new IDBFactory();
  });

  it('keeps every reading, in order, across a reload', async () => {
    const store = await openSessionStore(factory);
    const id = await store.startSession(START, T0);
    // Not awaited one by one, as a live loop would call it.
    await Promise.all(
      [0.5, 1, 1.5, 2, 2.5].map((t, i) => store.appendReading(id, { t, valence: i === 2 ? null : t / 5, state: i === 2 ? 'silence' : 'speech' })),
    );
    store.db.close(); // the tab closes without endSession
    const reloaded = await openSessionStore(factory);
    const s = await reloaded.getSession(id);
    expect(s?.readings.map((r) => r.t)).toEqual([0.5, 1, 1.5, 2, 2.5]);
    expect(s?.readings[2]).toEqual({ t: 1.5, valence: null, state: 'silence' });
    expect(s?.readingCount).toBe(5);
    expect(s?.lastT).toBe(2.5);
    expect(s?.endedAt).toBeNull();
    await reloaded.appendReading(id, { t: 3, valence: 0.1, state: 'speech', smoothed: 0.2 });
    await reloaded.endSession(id, T0 + 3000);
    const ended = await reloaded.getSession(id);
    expect(ended?.endedAt).toBe(T0 + 3000);
    expect(ended?.readings.at(-1)).toEqual({ t: 3, valence: 0.1, state: 'speech', smoothed: 0.2 });
  });

  it('lists newest first and deletes a session with its readings', async () => {
    const store = await openSessionStore(factory);
    const a = await store.startSession(START, T0);
    const b = await store.startSession({ ...START, backend: 'webgl' }, T0 + 60_000);
    await store.appendReading(a, { t: 0.5, valence: 0.3, state: 'speech' });
    await store.appendReading(b, { t: 0.5, valence: -0.3, state: 'speech' });
    expect((await store.listSessions()).map((s) => s.id)).toEqual([b, a]);
    await store.deleteSession(a);
    expect((await store.listSessions()).map((s) => s.id)).toEqual([b]);
    expect(await store.getSession(a)).toBeUndefined();
    expect(await store.db.count('readings')).toBe(1);
    expect((await store.getSession(b))?.readings).toHaveLength(1);
  });

  it('exports CSV and JSON', async () => {
    const store = await openSessionStore(factory);
    const id = await store.startSession(START, T0);
    await store.appendReading(id, { t: 0.5, valence: 0.25, state: 'speech' });
    await store.appendReading(id, { t: 1, valence: null, state: 'silence' });
    const s = (await store.getSession(id))!;
    const lines = sessionToCsv(s).trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines[0]).toBe('t_seconds,time,valence,smoothed,state,arousal,smoothed_arousal,hop_seconds,smoothing_seconds,model,microphone');
    // hop 0.5, smoothing and microphone not given at the start, the model name quoted
    expect(lines[1]).toBe('0.500,2026-11-24T22:00:00.500Z,0.2500,,speech,,,0.5,,"seed, ""db""",');
    expect(lines[2]).toBe('1.000,2026-11-24T22:00:01.000Z,,,silence,,,0.5,,"seed, ""db""",');
    const json = JSON.parse(sessionToJson(s)) as Record<string, unknown>;
    expect(json.format).toBe(SESSION_JSON_FORMAT);
    expect(json.model).toEqual({ id: 'bundled/seed', name: 'seed, "db"' });
    expect(json.startedAt).toBe('2026-11-24T22:00:00.000Z');
    expect(json.readings).toEqual(s.readings);
    expect(exportFileName(s, 'csv')).toBe('valence-session-2026-11-24T22-00-00.csv');
  });

  it("keeps a two-output model's arousal and smoothed arousal, null on silence", async () => {
    const store = await openSessionStore(factory);
    const id = await store.startSession(START, T0);
    await store.appendReading(id, { t: 0.5, valence: 0.25, smoothed: 0.2, arousal: -0.5, smoothedArousal: -0.25, state: 'speech' });
    await store.appendReading(id, { t: 1, valence: null, smoothed: null, arousal: null, smoothedArousal: null, state: 'no-speech' });
    store.db.close();
    const s = await (await openSessionStore(factory)).getSession(id);
    expect(s?.readings).toEqual([
      { t: 0.5, valence: 0.25, smoothed: 0.2, arousal: -0.5, smoothedArousal: -0.25, state: 'speech' },
      { t: 1, valence: null, smoothed: null, arousal: null, smoothedArousal: null, state: 'no-speech' },
    ]);
  });

  it('loads a session stored before arousal (no arousal fields) as it was', async () => {
    const store = await openSessionStore(factory);
    const id = await store.startSession(START, T0);
    await store.appendReading(id, { t: 0.5, valence: 0.25, smoothed: 0.2, state: 'speech' });
    const [stored] = await store.db.getAll('readings');
    expect(Object.keys(stored).sort()).toEqual(['seq', 'sessionId', 'smoothed', 'state', 't', 'valence']);
    const [reading] = (await store.getSession(id))!.readings;
    expect(Object.keys(reading).sort()).toEqual(['smoothed', 'state', 't', 'valence']);
  });

  it('reports a full storage clearly and keeps the readings already stored', async () => {
    const store = await openSessionStore(factory);
    const id = await store.startSession(START, T0);
    await store.appendReading(id, { t: 0.5, valence: 0.25, state: 'speech' });
    const err = await withQuotaExceeded(['readings'], () => store.appendReading(id, { t: 1, valence: 0.5, state: 'speech' })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StorageQuotaError);
    expect((err as Error).message).toMatch(/storage is full: the reading at 1\.0 s was not saved\. Everything saved before is kept/);
    const s = await store.getSession(id);
    expect(s?.readings).toEqual([{ t: 0.5, valence: 0.25, state: 'speech' }]);
    expect(s?.readingCount).toBe(1);
    // Space again: the session goes on.
    await store.appendReading(id, { t: 1.5, valence: 0.1, state: 'speech' });
    expect((await store.getSession(id))?.readings.map((r) => r.t)).toEqual([0.5, 1.5]);
    await expect(withQuotaExceeded(['sessions'], () => store.startSession(START))).rejects.toThrow(StorageQuotaError);
  });
});
