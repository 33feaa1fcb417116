// Calibration clips on fake-indexeddb: stored with SPEC section 3's label for their emotion,
// kept across a reload in order with their samples bit for bit, recorded again in place,
// relabelled, deleted, bad clips refused, and a full storage reported.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { StorageError, StorageQuotaError } from './db.ts';
import { openClipStore, type NewClip } from './clip-store.ts';
import { withQuotaExceeded } from './test-support.ts';

const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
const recorded = (promptId: string, emotion: NewClip['emotion'], samples: number[]): NewClip => ({
  source: 'recorded',
  promptId,
  name: 'The train leaves at seven tomorrow morning.',
  emotion,
  sampleRate: 48000,
  samples: Float32Array.from(samples),
});

describe('clip store', () => {
  let factory: IDBFactory;
  beforeEach(() => {
    factory = new IDBFactory();
  });

  it('keeps clips, labelled by their emotion, across a reload', async () => {
    const store = await openClipStore(factory);
    const a = await store.add(recorded('p02', 'happy', [0.5, -0.25, 1e-9]), T0);
    const b = await store.add({ ...recorded('', 'sad', [0.1]), source: 'imported', promptId: null, name: 'me.wav', sampleRate: 16000 }, T0 + 1);
    expect(a).toMatchObject({ source: 'recorded', promptId: 'p02', emotion: 'happy', valence: 0.8, arousal: 0.5, addedAt: T0 });
    expect(b).toMatchObject({ source: 'imported', promptId: null, name: 'me.wav', emotion: 'sad', valence: -0.6, arousal: -0.5 });
    store.db.close();
    const clips = await (await openClipStore(factory)).list();
    expect(clips.map((c) => c.id)).toEqual([a.id, b.id]);
    expect(clips[0].samples).toEqual(Float32Array.from([0.5, -0.25, 1e-9]));
    expect(clips[0].samples).toBeInstanceOf(Float32Array);
    expect(clips[1].sampleRate).toBe(16000);
  });

  it('records a clip again in place, relabels and deletes', async () => {
    const store = await openClipStore(factory);
    const a = await store.add(recorded('p01', 'neutral', [0.1]), T0);
    const b = await store.add(recorded('p02', 'happy', [0.2]), T0);
    await store.replace(a.id, recorded('p01', 'neutral', [0.3, 0.4]), T0 + 5);
    let clips = await store.list();
    expect(clips.map((c) => [c.id, Array.from(c.samples)])).toEqual([
      [a.id, [Math.fround(0.3), Math.fround(0.4)]],
      [b.id, [Math.fround(0.2)]],
    ]);
    expect(clips[0].addedAt).toBe(T0 + 5);
    const relabelled = await store.relabel(b.id, 'angry');
    expect(relabelled).toMatchObject({ id: b.id, emotion: 'angry', valence: -0.7, arousal: 0.8, addedAt: T0 });
    await store.remove(a.id);
    clips = await store.list();
    expect(clips.map((c) => [c.id, c.emotion])).toEqual([[b.id, 'angry']]);
    await expect(store.replace(a.id, recorded('p01', 'neutral', [0.1]))).rejects.toThrow(StorageError);
    await expect(store.relabel(a.id, 'sad')).rejects.toThrow(`There is no stored clip ${a.id}`);
  });

  it('refuses a clip without samples, with a bad rate or an unknown emotion', async () => {
    const store = await openClipStore(factory);
    await expect(store.add(recorded('p01', 'happy', []))).rejects.toThrow('a clip needs samples');
    await expect(store.add({ ...recorded('p01', 'happy', [0.1]), sampleRate: 44100.5 })).rejects.toThrow('sample rate must be a positive whole number, got 44100.5');
    await expect(store.add(recorded('p01', 'excited' as NewClip['emotion'], [0.1]))).rejects.toThrow('unknown emotion "excited"');
    expect(await store.list()).toEqual([]);
  });

  it('says so when the storage is full, keeping the clips stored before', async () => {
    const store = await openClipStore(factory);
    await store.add(recorded('p01', 'neutral', [0.1]));
    await expect(withQuotaExceeded(['clips'], () => store.add(recorded('p02', 'happy', [0.2])))).rejects.toThrow(StorageQuotaError);
    expect((await store.list()).map((c) => c.promptId)).toEqual(['p01']);
  });
});
