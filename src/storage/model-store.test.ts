// The model store on fake-indexeddb: the bundled model stored on first run and not fetched
// again, replaced when it changes; imports of `npm run train` folders checked and refused
// with the working model kept; switching, deleting, and storage-full errors.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_PRESET } from '../model/config.ts';
import { ModelError } from '../model/errors.ts';
import { StorageError, StorageQuotaError } from './db.ts';
import { contentHash, openModelStore, toArtifacts, toModelFiles } from './model-store.ts';
import { fakeFetcher, makeModelFolder, pickedFiles, serveBundled, withQuotaExceeded, type ModelFolder } from './test-support.ts';

const BASE = 'http://app.test/models/';

/**
 * Whether two byte arrays hold the same bytes: Buffer.equals, because toEqual walks a 1.2 MB
 * array element by element (about 5 s of CPU each time).
 */
const sameBytes = (a: ArrayBuffer | Uint8Array<ArrayBuffer>, b: Uint8Array<ArrayBuffer>) =>
  Buffer.from(a instanceof Uint8Array ? a.buffer : a, a instanceof Uint8Array ? a.byteOffset : 0, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('model store', () => {
  let bundled: ModelFolder;
  let bundledV2: ModelFolder;
  let trained: ModelFolder;
  let wrongShape: ModelFolder;
  let factory: IDBFactory;
  let files: Map<string, string | Uint8Array<ArrayBuffer>>;

  beforeAll(async () => {
    bundled = await makeModelFolder('bundled-one', 1);
    bundledV2 = await makeModelFolder('bundled-one', 2);
    trained = await makeModelFolder('live-db', 3);
    wrongShape = await makeModelFolder('wide', 4, { ...SEED_PRESET, channels: [4], inputShape: [64, 100] });
  });

  beforeEach(() => {
    factory = new IDBFactory();
    files = new Map();
    serveBundled(files, 'bundled-one', bundled);
  });

  const trainedFiles = (weights: Uint8Array<ArrayBuffer> = trained.weights, folder = trained) =>
    pickedFiles('live-db', { 'model.json': folder.modelJsonText, 'weights.bin': weights, 'card.json': JSON.stringify(folder.card) });

  it('stores the bundled model on first run, with its hash and card', async () => {
    const store = await openModelStore(factory);
    const net = fakeFetcher(files);
    const result = await store.ensureBundled(net.fetcher, BASE);
    expect(result.status).toBe('stored');
    expect(net.requested.map((u) => new URL(u).pathname)).toEqual([
      '/models/index.json',
      '/models/bundled-one/model.json',
      '/models/bundled-one/weights.bin',
    ]);
    const active = await store.active();
    expect(active?.id).toBe('bundled/bundled-one');
    expect(active?.source).toBe('bundled');
    expect(active?.contentHash).toBe(await contentHash(bundled.weights));
    expect(active?.card.metrics).toEqual({ validation: { ccc: 0.41, mse: 0.23 } });
    expect(sameBytes(active!.weights, bundled.weights), 'the stored weights, byte for byte').toBe(true);
    // Ready for the loaders: same model.json and weights as served.
    expect(toModelFiles(active!).modelJson).toEqual(JSON.parse(bundled.modelJsonText));
    expect(toArtifacts(active!).weightSpecs?.length).toBe(10);
  });

  it('does not fetch the weights again on the next start', async () => {
    await (await openModelStore(factory)).ensureBundled(fakeFetcher(files).fetcher, BASE);
    const store = await openModelStore(factory); // a reload: a new connection to the same database
    const net = fakeFetcher(files);
    const result = await store.ensureBundled(net.fetcher, BASE);
    expect(result.status).toBe('unchanged');
    expect(net.requested.map((u) => new URL(u).pathname)).toEqual(['/models/index.json', '/models/bundled-one/model.json']);
  });

  it('uses the stored copy when offline, and says why when there is none', async () => {
    const net = fakeFetcher(files);
    net.setOffline(true);
    await expect((await openModelStore(factory)).ensureBundled(net.fetcher, BASE)).rejects.toThrow(ModelError);
    await (await openModelStore(factory)).ensureBundled(fakeFetcher(files).fetcher, BASE);
    const result = await (await openModelStore(factory)).ensureBundled(net.fetcher, BASE);
    expect(result.status).toBe('offline');
    expect(result.record.id).toBe('bundled/bundled-one');
  });

  it('replaces the stored bundled model when the bundled one changes', async () => {
    const store = await openModelStore(factory);
    await store.ensureBundled(fakeFetcher(files).fetcher, BASE);
    serveBundled(files, 'bundled-one', bundledV2);
    const net = fakeFetcher(files);
    const result = await store.ensureBundled(net.fetcher, BASE);
    expect(result.status).toBe('stored');
    expect(net.requested.some((u) => u.endsWith('weights.bin'))).toBe(true);
    const list = await store.list();
    expect(list).toHaveLength(1);
    expect(list[0].contentHash).toBe(await contentHash(bundledV2.weights));
    // A renamed bundled model replaces the old one too.
    serveBundled(files, 'bundled-two', bundled);
    await store.ensureBundled(fakeFetcher(files).fetcher, BASE);
    expect((await store.list()).map((m) => m.id)).toEqual(['bundled/bundled-two']);
    expect(await store.activeId()).toBe('bundled/bundled-two');
  });

  it('imports a trained model folder, makes it active, and switches back and forth', async () => {
    const store = await openModelStore(factory);
    await store.ensureBundled(fakeFetcher(files).fetcher, BASE);
    const imported = await store.importModelFiles(trainedFiles());
    expect(imported.source).toBe('imported');
    expect(imported.name).toBe('live-db');
    expect(imported.card.date).toBe('2026-11-24');
    expect(await store.activeId()).toBe(imported.id);
    expect((await store.list()).map((m) => m.source)).toEqual(['bundled', 'imported']);
    await store.setActive('bundled/bundled-one');
    expect(await store.activeId()).toBe('bundled/bundled-one');
    await store.setActive(imported.id);
    expect((await (await openModelStore(factory)).active())?.id).toBe(imported.id);
    await expect(store.setActive('imported/nope')).rejects.toThrow(StorageError);
    // A new bundled model does not override the user's choice.
    serveBundled(files, 'bundled-one', bundledV2);
    await store.ensureBundled(fakeFetcher(files).fetcher, BASE);
    expect(await store.activeId()).toBe(imported.id);
  });

  it('refuses corrupt or mismatched models and keeps the working one', async () => {
    const store = await openModelStore(factory);
    await store.ensureBundled(fakeFetcher(files).fetcher, BASE);
    const before = await store.list();
    const refused = async (picked: File[], message: RegExp) => {
      const err = await store.importModelFiles(picked).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toMatch(/^Model not imported: /);
      expect((err as Error).message).toMatch(message);
      expect(await store.list()).toEqual(before);
      expect(await store.activeId()).toBe('bundled/bundled-one');
    };
    const flipped = trained.weights.slice();
    flipped[1000] ^= 0x40;
    await refused(trainedFiles(flipped), /checksum/);
    await refused(trainedFiles(trained.weights.slice(0, 4000)), /bytes/);
    await refused(trainedFiles(wrongShape.weights, wrongShape), /64 x 100/);
    const json = JSON.parse(trained.modelJsonText) as { userDefinedMetadata: { config: { features: string } } };
    json.userDefinedMetadata.config.features = 'mfcc';
    await refused(pickedFiles('x', { 'model.json': JSON.stringify(json), 'weights.bin': trained.weights }), /features/);
    const card16k = { ...trained.card, signal: { sampleRate: 16000 } };
    await refused(
      pickedFiles('x', { 'model.json': trained.modelJsonText, 'weights.bin': trained.weights, 'card.json': JSON.stringify(card16k) }),
      /sample rate 16000/,
    );
    await refused(pickedFiles('x', { 'model.json': trained.modelJsonText }), /weights\.bin/);
    await refused(pickedFiles('x', { 'weights.bin': trained.weights }), /no model\.json/);
    await refused(pickedFiles('x', { 'model.json': '{"format": "layers-model",', 'weights.bin': trained.weights }), /not valid JSON/);
  });

  it("runs the trial before storing: a failed trial refuses the import with its reason; the trial gets the checked files, the store keeps its own weights", async () => {
    const store = await openModelStore(factory);
    await store.ensureBundled(fakeFetcher(files).fetcher, BASE);
    const before = await store.list();
    const tried: { name: string; bytes: number }[] = [];
    const err = await store
      .importModelFiles(trainedFiles(), async (m) => {
        tried.push({ name: m.name, bytes: m.weights.byteLength });
        throw new Error('the trial run on the wasm backend failed: Shape mismatch');
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toBe('Model not imported: the trial run on the wasm backend failed: Shape mismatch');
    expect(tried).toEqual([{ name: 'live-db', bytes: trained.weights.byteLength }]);
    expect(await store.list()).toEqual(before);
    expect(await store.activeId()).toBe('bundled/bundled-one');
    // A trial that detaches the buffer it was given (a transfer to the worker) leaves the stored copy whole.
    const imported = await store.importModelFiles(trainedFiles(), async (m) => void structuredClone(m.weights, { transfer: [m.weights] }));
    expect(await store.activeId()).toBe(imported.id);
    expect(sameBytes((await store.get(imported.id))!.weights, trained.weights), 'the stored weights, byte for byte').toBe(true);
  });

  it("accepts the repository's bundled model (models/index.json)", async () => {
    const dir = resolve(import.meta.dirname, '../../models');
    const name = (JSON.parse(readFileSync(resolve(dir, 'index.json'), 'utf8')) as { default: string }).default;
    const real = new Map<string, string | Uint8Array<ArrayBuffer>>();
    serveBundled(real, name, {
      modelJsonText: readFileSync(resolve(dir, name, 'model.json'), 'utf8'),
      weights: new Uint8Array(readFileSync(resolve(dir, name, 'weights.bin'))),
      card: {},
    });
    const result = await (await openModelStore(factory)).ensureBundled(fakeFetcher(real).fetcher, BASE);
    expect(result.status).toBe('stored');
    expect(result.record.config.inputShape).toEqual([64, 121]);
    expect(typeof result.record.card.date).toBe('string');
  });

  it('deletes imported models; the bundled one stays as the fallback', async () => {
    const store = await openModelStore(factory);
    await store.ensureBundled(fakeFetcher(files).fetcher, BASE);
    const imported = await store.importModelFiles(trainedFiles());
    await store.remove(imported.id);
    expect(await store.activeId()).toBe('bundled/bundled-one');
    expect(await store.list()).toHaveLength(1);
    await expect(store.remove('bundled/bundled-one')).rejects.toThrow(/bundled model cannot be deleted/);
  });

  it('reports a full storage clearly and keeps what was stored', async () => {
    const store = await openModelStore(factory);
    await store.ensureBundled(fakeFetcher(files).fetcher, BASE);
    const err = await withQuotaExceeded(['models'], () => store.importModelFiles(trainedFiles())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageQuotaError);
    expect((err as Error).message).toMatch(/storage is full: the imported model \(1\.2 MB\) was not saved/);
    expect((await store.list()).map((m) => m.id)).toEqual(['bundled/bundled-one']);
    expect(await store.activeId()).toBe('bundled/bundled-one');
  });
});
