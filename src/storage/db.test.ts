// The schema upgrade from version 1 (as the app shipped it: models, meta, sessions,
// readings) to version 2 (adds clips): a database written at version 1 opens at version 2
// with every record where it was, and the new store empty and usable.
import 'fake-indexeddb/auto'; // idb's wrap() needs the IDB globals
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DB_NAME, DB_VERSION, openValenceDb, type ModelRecord, type ReadingRecord, type SessionRecord } from './db.ts';
import { openClipStore } from './clip-store.ts';
import { SessionStore } from './session-store.ts';

const done = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/** Creates the version 1 database by hand, as version 1's upgrade did, and fills it. */
async function writeVersion1(factory: IDBFactory, model: ModelRecord, session: SessionRecord, readings: ReadingRecord[]): Promise<void> {
  const open = factory.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('models', { keyPath: 'id' }).createIndex('bySource', 'source');
    db.createObjectStore('meta');
    db.createObjectStore('sessions', { keyPath: 'id', autoIncrement: true }).createIndex('byStart', 'startedAt');
    db.createObjectStore('readings', { keyPath: ['sessionId', 'seq'] });
  };
  const db = await done(open);
  const tx = db.transaction(['models', 'meta', 'sessions', 'readings'], 'readwrite');
  tx.objectStore('models').put(model);
  tx.objectStore('meta').put(model.id, 'activeModelId');
  tx.objectStore('sessions').put(session);
  for (const r of readings) tx.objectStore('readings').put(r);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  expect([...db.objectStoreNames].sort()).toEqual(['meta', 'models', 'readings', 'sessions']);
  db.close();
}

describe('database upgrade 1 -> 2', () => {
  it('keeps models, the active choice and sessions with their readings, and adds the clips store', async () => {
    const factory = new IDBFactory();
    const model: ModelRecord = {
      id: 'imported/0123456789abcdef',
      name: 'my model',
      source: 'imported',
      contentHash: 'ab'.repeat(32),
      manifestHash: 'cd'.repeat(32),
      card: { name: 'my model' },
      config: { features: 'db' } as ModelRecord['config'],
      modelJson: { format: 'layers-model' },
      weights: new Uint8Array([1, 2, 3, 4]).buffer,
      addedAt: 1_700_000_000_000,
    };
    const session: SessionRecord = { id: 7, startedAt: 1_700_000_100_000, endedAt: 1_700_000_160_000, modelId: model.id, modelName: 'my model', backend: 'wasm', hopSeconds: 0.5, readingCount: 2, lastT: 1 };
    const readings: ReadingRecord[] = [
      { sessionId: 7, seq: 0, t: 0.5, valence: 0.25, state: 'speech' },
      { sessionId: 7, seq: 1, t: 1, valence: null, state: 'silence' },
    ];
    await writeVersion1(factory, model, session, readings);

    const db = await openValenceDb(factory);
    expect(DB_VERSION).toBe(2);
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['clips', 'meta', 'models', 'readings', 'sessions']);
    expect(await db.get('models', model.id)).toEqual(model);
    expect(await db.get('meta', 'activeModelId')).toBe(model.id);
    expect(await new SessionStore(db).getSession(7)).toEqual({
      ...session,
      readings: [
        { t: 0.5, valence: 0.25, state: 'speech' },
        { t: 1, valence: null, state: 'silence' },
      ],
    });
    expect(await db.getAll('clips')).toEqual([]);
    db.close();

    // The new store takes clips, and a second opening upgrades nothing.
    const clips = await openClipStore(factory);
    await clips.add({ source: 'imported', promptId: null, name: 'a.wav', emotion: 'calm', sampleRate: 16000, samples: Float32Array.from([0.5]) });
    expect((await clips.list()).map((c) => [c.name, c.valence, c.arousal])).toEqual([['a.wav', 0.3, -0.6]]);
    expect(await clips.db.get('models', model.id)).toEqual(model);
  });
});
