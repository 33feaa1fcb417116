// The app's calibration export read by the CLI: the files src/calibration/export.ts makes
// (float WAVs at the clips' own rates and manifest.csv) written into a folder from Node, as
// the browser writes them, and `npm run evaluate -- --manifest` scores that folder with the
// clips' labels: the same numbers as this process's clipFeatures + predict + metrics on
// the original samples, valence and arousal, and every clip under the export's speaker.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../src/audio/decode-wav.ts';
import { calibrationExport, type ExportClip } from '../src/calibration/export.ts';
import { emotionLabel } from '../src/calibration/prompts.ts';
import { toMono } from '../src/dsp/mono.ts';
import { clipFeatures } from '../src/dsp/pipeline.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { buildCnn } from '../src/model/cnn.ts';
import { SEED_PRESET, type CnnConfig } from '../src/model/config.ts';
import { predict } from '../src/model/predict.ts';
import { knownMetrics, type ValenceMetrics } from '../src/training/metrics.ts';
import type { Emotion } from '../src/training/labels.ts';
import { saveModelDir } from './lib/model-files.ts';
import { runScript } from './lib/test-support.ts';

function fixture(name: string): { samples: Float32Array; rate: number } {
  const audio = decodeWav(new Uint8Array(readFileSync(new URL(`../e2e/fixtures/${name}`, import.meta.url))));
  return { samples: toMono(audio.channels), rate: audio.sampleRate };
}

describe('a calibration export, read by npm run evaluate -- --manifest', () => {
  const root = mkdtempSync(join(tmpdir(), 'vm-calibration-export-'));
  const modelDir = join(root, 'model');
  const exportDir = join(root, 'my-voice');
  const config: CnnConfig = { ...SEED_PRESET, features: 'db', outputs: 2 };
  const speech16k = fixture('speech.wav');
  const speech44k = fixture('speech-44k.wav');
  // Stretches of real speech at two rates, as recorded (44.1 kHz) and imported (16 kHz) clips are.
  const cut = (f: { samples: Float32Array; rate: number }, from: number, to: number, emotion: Emotion): ExportClip => ({
    emotion,
    ...emotionLabel(emotion),
    sampleRate: f.rate,
    samples: f.samples.slice(Math.round(from * f.rate), Math.round(to * f.rate)),
  });
  const clips = [
    cut(speech44k, 1.5, 4.5, 'neutral'),
    cut(speech44k, 4, 7, 'happy'),
    cut(speech44k, 7, 11, 'sad'),
    cut(speech16k, 0, 2.5, 'angry'),
    cut(speech16k, 2, 4.6, 'calm'),
  ];
  let want: { valence: ValenceMetrics; arousal: ValenceMetrics };

  beforeAll(async () => {
    mkdirSync(exportDir);
    for (const f of calibrationExport(clips, 'Ann, tester')) writeFileSync(join(exportDir, f.name), f.data);
    await initNodeBackend('wasm');
    const model = buildCnn(config, { seed: 5 });
    await saveModelDir(modelDir, model, config, { name: 'calibration export test (random weights)' });
    const out = predict(model, clips.map((c) => clipFeatures(c.samples, c.sampleRate, 'db').data), config);
    model.dispose();
    want = {
      valence: knownMetrics(Array.from(out.valence), clips.map((c) => c.valence))!,
      arousal: knownMetrics(Array.from(out.arousal!), clips.map((c) => c.arousal))!,
    };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('scores every clip with its label and the export speaker', () => {
    const r = runScript('scripts/evaluate.ts', ['--model', modelDir, '--manifest', join(exportDir, 'manifest.csv'), '--json', '--no-cache'], 120_000);
    expect(r.stderr).not.toMatch(/skipped|cannot|error/i);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/5 clip\(s\) of 1 speaker\(s\)/);
    const got = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number> & { arousal: Record<string, number> };
    for (const [dim, metrics] of [['valence', got], ['arousal', got.arousal]] as const) {
      expect(metrics.n, dim).toBe(5);
      for (const k of ['mse', 'ccc', 'pearson', 'sign_acc'] as const) expect(metrics[k], `${dim} ${k}`).toBeCloseTo(want[dim][k], 5);
    }
  });
});
