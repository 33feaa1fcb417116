// The timed backend choice across a reload, in the same database as the settings; a
// damaged record reads as none (the backends are timed again), and nothing else is touched.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { StoredBackendChoice } from '../model/backend-cache.ts';
import { BackendChoiceStore } from './backend-choice-store.ts';
import { openValenceDb } from './db.ts';
import { SettingsStore } from './settings-store.ts';

const CHOICE: StoredBackendChoice = {
  backend: 'webgl',
  userAgent: 'UA',
  renderer: 'GPU',
  reason: 'webgl is fastest: 3.1 ms per reading vs wasm 41.0 ms',
  trials: [{ backend: 'webgl', forwardMs: 3.1, warmupMs: 900, note: 'renderer GPU' }],
  measuredAt: 1_796_000_000_000,
};

describe('backend choice store', () => {
  it('has none first, then the saved one after a reload, beside the settings', async () => {
    const factory = new IDBFactory();
    const db = await openValenceDb(factory);
    const store = new BackendChoiceStore(db);
    expect(await store.load()).toBeNull();
    const settings = { deviceId: 'mic', hopSeconds: 1, smoothingSeconds: 0, voiceProcessing: false, relativeToNeutral: false };
    await new SettingsStore(db).save(settings);
    await store.save(CHOICE);
    db.close();
    const again = await openValenceDb(factory);
    expect(await new BackendChoiceStore(again).load()).toEqual(CHOICE);
    expect(await new SettingsStore(again).load()).toEqual(settings);
  });

  it('reads a damaged record as none', async () => {
    const db = await openValenceDb(new IDBFactory());
    await db.put('meta', { backend: 'webgl', userAgent: 'UA' }, 'backendChoice');
    expect(await new BackendChoiceStore(db).load()).toBeNull();
  });
});
