// The baseline controller against a fake host and worker client: it reads only the neutral
// clips (copies of their samples, at the CLI's default hop), averages their figures, waits
// while a session has the worker, works the baseline out again when the model changes
// (dropping a result for the old one; not when the same model loads again), re-centres the gauge only while switched on, and
// says 'no-clips' when the neutral clips are gone.
import type { ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../storage/clip-store.ts';
import type { AnalysisClient, FileResult } from '../../worker/client.ts';
import type { FileSource, ModelStatusMessage } from '../../worker/protocol.ts';
import { BaselineController } from './baseline.ts';
import type { WorkerUse } from './model-library.ts';

const clip = (id: number, emotion: ClipRecord['emotion'], first: number): ClipRecord => ({
  id,
  addedAt: 1000 + id,
  source: 'imported',
  promptId: null,
  name: `${id}.wav`,
  emotion,
  valence: 0,
  arousal: 0,
  sampleRate: 16000,
  samples: Float32Array.from([first, 0.5]),
});

/** A worker whose figure for a clip is read from the clip: valence = its first sample, arousal = half that. */
function fakeWorker() {
  const calls: { source: FileSource; hop: number; model: string }[] = [];
  const pending: (() => void)[] = [];
  let model = 'A';
  const client = {
    analyzeFile(source: FileSource, hop: number): Promise<FileResult> {
      calls.push({ source, hop, model });
      const at = model;
      const v = 'samples' in source ? source.samples[0] + (at === 'B' ? 0.5 : 0) : 0;
      const result: FileResult = { readings: [], headline: { rule: 'report-window', valence: v, arousal: v / 2, speechReadings: 0, hopSeconds: hop } };
      return new Promise((resolve) => pending.push(() => resolve(result)));
    },
  } as unknown as AnalysisClient;
  return { client, calls, setModel: (m: string) => (model = m), finishAll: async () => {
    await settle(); // a requested update may start a reading first
    while (pending.length > 0) {
      pending.shift()!();
      await settle();
    }
  } };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const worker = fakeWorker();
  const world = { use: 'free' as WorkerUse, id: 'A', on: true, status: { type: 'model', state: 'ready', name: 'A', backend: 'wasm' } as ModelStatusMessage };
  const target = new EventTarget();
  let controller: BaselineController | null = null;
  // Like a Lit host: an update after each request, then the controllers' hostUpdated.
  const host = Object.assign(target, {
    addController() {},
    removeController() {},
    requestUpdate: () => queueMicrotask(() => controller?.hostUpdated()),
    updateComplete: Promise.resolve(true),
  }) as unknown as ReactiveControllerHost & HTMLElement;
  controller = new BaselineController(host, {
    client: () => worker.client,
    workerUse: () => world.use,
    model: () => ({ id: world.id, status: world.status }),
    on: () => world.on,
  });
  controller.hostConnected();
  const clips = (list: ClipRecord[]) => target.dispatchEvent(new CustomEvent('calibration-clips-change', { detail: { clips: list } }));
  return { controller, worker, world, clips, update: () => host.requestUpdate() };
}

describe('BaselineController', () => {
  it('averages the neutral clips read by the worker, and re-centres only while on', async () => {
    const { controller, worker, world, clips } = setup();
    expect(controller.view.state).toBe('unknown');
    const neutralA = clip(1, 'neutral', -0.25);
    clips([neutralA, clip(2, 'happy', 0.9), clip(3, 'neutral', 0.05)]);
    await settle();
    expect(controller.view.state).toBe('computing');
    await worker.finishAll();
    expect(worker.calls.map((c) => 'samples' in c.source && c.source.samples[0])).toEqual([-0.25, Math.fround(0.05)]);
    expect(worker.calls.every((c) => c.hop === 0.5)).toBe(true);
    // The worker got copies: the stored clip's samples are still there.
    expect(Array.from(neutralA.samples)).toEqual([-0.25, 0.5]);
    expect('samples' in worker.calls[0].source && worker.calls[0].source.samples).not.toBe(neutralA.samples);
    const b = (-0.25 + Math.fround(0.05)) / 2;
    expect(controller.view).toMatchObject({ state: 'ready', neutralClips: 2, baseline: { valence: b, arousal: b / 2, clips: 2 } });
    expect(controller.valence(0.3)).toBe(0.3 - b);
    expect(controller.valence(0.95)).toBe(1); // 0.95 + 0.1 clamped
    expect(controller.arousal(0.2)).toBe(0.2 - b / 2);
    expect(controller.valence(null)).toBeNull();
    world.on = false;
    expect(controller.valence(0.3)).toBe(0.3);
    expect(controller.arousal(0.2)).toBe(0.2);
  });

  it('waits while a session has the worker, then works the baseline out', async () => {
    const { controller, worker, world, clips, update } = setup();
    world.use = 'session';
    clips([clip(1, 'neutral', 0.25)]);
    await settle();
    expect(controller.view.state).toBe('waiting');
    expect(worker.calls).toHaveLength(0);
    expect(controller.valence(0.5)).toBe(0.5);
    world.use = 'free';
    update(); // the session's end updates the host
    await worker.finishAll();
    expect(controller.view).toMatchObject({ state: 'ready', baseline: { valence: 0.25 } });
  });

  it('works it out again for a new model, dropping the result for the old one', async () => {
    const { controller, worker, world, clips, update } = setup();
    clips([clip(1, 'neutral', 0.25)]);
    await settle();
    expect(worker.calls).toHaveLength(1);
    // The model changes while the worker reads the clip with the old one.
    world.id = 'B';
    world.status = { ...world.status, name: 'B' };
    worker.setModel('B');
    update();
    await worker.finishAll();
    expect(worker.calls.map((c) => c.model)).toEqual(['A', 'B']);
    expect(controller.view).toMatchObject({ state: 'ready', baseline: { valence: 0.75 } }); // 0.25 + 0.5 from model B
    // Nothing changed since: no further reading, nor after the same model loads again.
    update();
    await settle();
    const ready = world.status;
    world.status = { type: 'model', state: 'loading' };
    update();
    await settle();
    expect(controller.view.state).toBe('waiting');
    world.status = ready;
    update();
    await settle();
    expect(worker.calls).toHaveLength(2);
    expect(controller.view).toMatchObject({ state: 'ready', baseline: { valence: 0.75 } });
  });

  it('has no baseline once the neutral clips are gone, or while the model is not ready', async () => {
    const { controller, worker, world, clips, update } = setup();
    clips([clip(1, 'neutral', 0.25)]);
    await settle();
    await worker.finishAll();
    expect(controller.view.state).toBe('ready');
    clips([clip(2, 'sad', -0.5)]);
    await settle();
    expect(controller.view).toMatchObject({ state: 'no-clips', baseline: null, neutralClips: 0 });
    expect(controller.valence(0.5)).toBe(0.5);
    world.status = { type: 'model', state: 'loading' };
    clips([clip(1, 'neutral', 0.25)]);
    await settle();
    expect(controller.view.state).toBe('waiting');
    world.status = { type: 'model', state: 'ready', name: 'A', backend: 'wasm' };
    update();
    await worker.finishAll();
    expect(controller.view).toMatchObject({ state: 'ready', baseline: { valence: 0.25 } });
  });
});
