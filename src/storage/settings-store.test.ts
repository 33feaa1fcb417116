// Live settings across a reload, in the same database as models and sessions; a stored value
// that is not a valid setting falls back to the default field by field.
import 'fake-indexeddb/auto'; // IDBRequest and friends, which idb's wrappers use
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openValenceDb } from './db.ts';
import { DEFAULT_LIVE_SETTINGS, SettingsStore, readSettings } from './settings-store.ts';

describe('settings store', () => {
  it('gives the defaults first, then what was saved, after a reload', async () => {
    const factory = new IDBFactory();
    const store = new SettingsStore(await openValenceDb(factory));
    expect(await store.load()).toEqual(DEFAULT_LIVE_SETTINGS);
    const chosen = { deviceId: 'mic-2', hopSeconds: 0.25, smoothingSeconds: 3, voiceProcessing: true, relativeToNeutral: true };
    await store.save(chosen);
    store.db.close();
    const again = new SettingsStore(await openValenceDb(factory));
    expect(await again.load()).toEqual(chosen);
  });

  it('keeps valid fields of a damaged record and takes the defaults for the rest', () => {
    expect(readSettings({ deviceId: 7, hopSeconds: -1, smoothingSeconds: 2, voiceProcessing: 'yes' })).toEqual({
      ...DEFAULT_LIVE_SETTINGS,
      smoothingSeconds: 2,
    });
    expect(readSettings('garbage')).toEqual(DEFAULT_LIVE_SETTINGS);
    expect(readSettings({ hopSeconds: Number.NaN, smoothingSeconds: Infinity })).toEqual(DEFAULT_LIVE_SETTINGS);
    expect(readSettings({ relativeToNeutral: 'on' }).relativeToNeutral).toBe(false);
  });

  it('loads settings stored before "relative to your neutral voice" existed, with it off', async () => {
    const factory = new IDBFactory();
    const db = await openValenceDb(factory);
    const old = { deviceId: 'mic-2', hopSeconds: 1, smoothingSeconds: 1, voiceProcessing: true };
    await db.put('meta', old, 'liveSettings'); // the record as an earlier version saved it
    expect(await new SettingsStore(db).load()).toEqual({ ...old, relativeToNeutral: false });
  });
});
