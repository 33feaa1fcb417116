// The analyze CLI as a user runs it: real files, the bundled model, bad files among good
// ones; and a two-output model, whose arousal column must equal the model's own outputs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAVDESS_DATA, runScript } from './lib/test-support.ts';
import { saveModelDir } from './lib/model-files.ts';
import { REPO_ROOT } from './lib/repo-root.ts';
import { readAudioFile } from './lib/audio-file.ts';
import { SHARED_REFERENCE } from '../src/model/reference-fixtures.ts';
import { decodeWav } from '../src/audio/decode-wav.ts';
import { wavBytes } from '../src/audio/test-support.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { buildCnn } from '../src/model/cnn.ts';
import { SEED_PRESET, type CnnConfig } from '../src/model/config.ts';
import { predict } from '../src/model/predict.ts';
import { clipFeatures } from '../src/dsp/pipeline.ts';
import { toMono } from '../src/dsp/mono.ts';
import { analyzeSignal } from '../src/worker/analysis-loop.ts';
import { windowPredictor } from '../src/worker/window-predictor.ts';

const SPEECH = join(SHARED_REFERENCE, 'speech0_source_22050.wav');
/** The bundled model's output count, from its card (models/index.json names it). */
const BUNDLED_OUTPUTS = (() => {
  const models = join(REPO_ROOT, 'models');
  const name = (JSON.parse(readFileSync(join(models, 'index.json'), 'utf8')) as { default: string }).default;
  return (JSON.parse(readFileSync(join(models, name, 'card.json'), 'utf8')) as { config: { outputs?: number } }).config.outputs ?? 1;
})();
const RAVDESS_CLIP = join(RAVDESS_DATA, 'Actor_18', '03-01-05-02-01-01-18.wav');

function analyze(...args: string[]) {
  const r = runScript('scripts/analyze.ts', args, 120_000);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Row {
  file: string;
  valence: number;
  rule?: string;
  speech_readings?: number;
  arousal?: number | null;
  time?: number;
  seconds?: number;
  speech?: 'yes' | 'no';
}

const signed = (v: number) => `${v < 0 ? '-' : '+'}${Math.abs(v).toFixed(3)}`;

/** The rows of a --json run (its last line). */
const jsonRows = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!) as Row[];

describe('npm run analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-analyze-'));

  it('reports each file; a broken one gets a one-line error and a non-zero exit, the rest are done', () => {
    const broken = join(dir, 'broken.wav');
    writeFileSync(broken, 'RIFF\x10\x00\x00\x00WAVEjunkjunk');
    const r = analyze('--json', SPEECH, broken, join(dir, 'missing.wav'));
    expect(r.code).toBe(1);
    const rows = jsonRows(r.stdout);
    expect(rows.map((x) => x.file)).toEqual([SPEECH]);
    // An arousal column exactly where the bundled model has a second output.
    expect(Object.keys(rows[0])).toEqual(['file', 'seconds', 'valence', ...(BUNDLED_OUTPUTS === 2 ? ['arousal'] : []), 'rule', 'speech_readings']);
    expect(Math.abs(rows[0].valence)).toBeLessThanOrEqual(1.5);
    expect(r.stderr).toMatch(/broken\.wav: broken WAV file/);
    expect(r.stderr).toMatch(/missing\.wav: no such file/);
  });

  it('gives the same valence for the same audio as stereo 32-bit float at the same rate', () => {
    const src = decodeWav(new Uint8Array(readFileSync(SPEECH)));
    const mono = src.channels[0];
    const stereo = join(dir, 'stereo-float.wav');
    writeFileSync(stereo, wavBytes({ rate: src.sampleRate, bits: 32, float: true, frames: Array.from(mono, (v) => [v, v]) }));
    const r = analyze('--json', SPEECH, stereo);
    expect(r.code).toBe(0);
    const [a, b] = JSON.parse(r.stdout.trim().split('\n').pop()!) as Row[];
    expect(b.valence).toBe(a.valence);
  });

  it('--timeline gives a reading every hop up to the end of the file; silence gets no valence, as live', () => {
    // 2.2 s of digital silence: the live monitor's gate says "no speech" at every reading.
    const silent = join(dir, 'silent.wav');
    writeFileSync(silent, wavBytes({ rate: 16000, bits: 16, frames: Array.from({ length: 35200 }, () => [0]) }));
    const r = analyze('--timeline', '--hop', '0.5', '--csv', SPEECH, silent);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`file,time,valence${BUNDLED_OUTPUTS === 2 ? ',arousal' : ''}`);
    const rows = lines.slice(1).map((l) => l.split(','));
    const times = rows.filter((c) => c[0] === SPEECH).map((c) => Number(c[1]));
    const seconds = decodeWav(new Uint8Array(readFileSync(SPEECH))).channels[0].length / 22050;
    expect(times.length).toBe(Math.floor(seconds / 0.5));
    times.forEach((t, i) => expect(t).toBeCloseTo((i + 1) * 0.5, 9));
    const quiet = rows.filter((c) => c[0] === silent);
    expect(quiet.map((c) => Number(c[1]))).toEqual([0.5, 1, 1.5, 2]);
    quiet.forEach((c) => expect(c.slice(2)).toEqual(BUNDLED_OUTPUTS === 2 ? ['', ''] : ['']));
  });

  it('warns about a file cut short (naming it and the missing bytes), reads a file shorter than one hop at t_1, refuses an empty one', () => {
    const whole = readFileSync(SPEECH); // 16-bit mono at 22050 Hz, 'data' header at byte 36
    expect([whole.toString('latin1', 36, 40), whole.readUInt16LE(34), whole.readUInt16LE(22)]).toEqual(['data', 16, 1]);
    const declared = whole.readUInt32LE(40);
    const cut = join(dir, 'cut.wav');
    writeFileSync(cut, whole.subarray(0, whole.length - 1001));
    const presentFrames = Math.floor((declared - 1001) / 2);
    // 0.3 s of the recording (from 1 s, where it speaks): shorter than the 0.5 s hop.
    const src = decodeWav(new Uint8Array(whole)).channels[0];
    const short = join(dir, 'short.wav');
    writeFileSync(short, wavBytes({ rate: 22050, bits: 16, frames: Array.from(src.subarray(22050, 22050 + 6615), (v) => [Math.round(v * 32768)]) }));
    const empty = join(dir, 'empty.wav');
    const e = wavBytes({ rate: 16000, bits: 16, frames: [[0]] }).slice(0, 44);
    new DataView(e.buffer).setUint32(40, 0, true);
    new DataView(e.buffer).setUint32(4, 36, true);
    writeFileSync(empty, e);

    const r = analyze('--timeline', '--json', cut, short, empty);
    expect(r.code).toBe(1); // the empty file
    expect(r.stderr).toContain(
      `analyze: warning: ${cut}: the WAV file is cut short: its data chunk declares ${declared} bytes but holds ${declared - 1001} ` +
        `(1001 bytes missing); only the ${(presentFrames / 22050).toFixed(3)} s present are analysed`,
    );
    expect(r.stderr).toContain(`analyze: ${empty}: the file holds no audio (0 samples)`);
    const rows = jsonRows(r.stdout);
    expect(rows.filter((x) => x.file === cut).length).toBe(Math.floor(presentFrames / 22050 / 0.5));
    expect(rows.filter((x) => x.file === short).map((x) => x.time)).toEqual([0.5]);
    expect(rows.filter((x) => x.file === empty)).toEqual([]);
  });

  it('explains a missing model folder and bad options', () => {
    expect(analyze('--model', join(dir, 'nope'), SPEECH).stderr).toMatch(/cannot load the model: no model folder/);
    const r = analyze('--hop', '0', SPEECH);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--hop must be a positive number/);
    // Decimal only: Number() reads "0x1" as 1 s.
    const hex = analyze('--hop', '0x1', SPEECH);
    expect(hex.code).toBe(2);
    expect(hex.stderr).toMatch(/--hop must be a positive number of seconds, got "0x1"/);
  });
});

describe('npm run analyze with a two-output model (valence, arousal)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-analyze-2out-'));
  const modelDir = join(dir, 'model');
  const config: CnnConfig = { ...SEED_PRESET, features: 'db', outputs: 2 };
  let model: tf.LayersModel;
  beforeAll(async () => {
    await initNodeBackend('wasm');
    model = buildCnn(config, { seed: 23 });
    await saveModelDir(modelDir, model, config, { name: 'two-output test model' });
  });
  afterAll(() => {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const monoOf = (file: string) => {
    const audio = readAudioFile(file);
    return { mono: toMono(audio.channels), rate: audio.sampleRate };
  };

  it("a clip of at most 7.7 s: valence and arousal are predict()'s on the clip's features (the report's rule), in JSON, CSV and the table", () => {
    const files = [SPEECH, RAVDESS_CLIP];
    const want = files.map((f) => {
      const { mono, rate } = monoOf(f);
      const out = predict(model, [clipFeatures(mono, rate, 'db', null).data], config);
      return { valence: out.valence[0], arousal: out.arousal![0] };
    });
    const json = analyze('--json', '--model', modelDir, ...files);
    expect(json.code).toBe(0);
    const rows = jsonRows(json.stdout);
    expect(rows.map((r) => Object.keys(r))).toEqual(files.map(() => ['file', 'seconds', 'valence', 'arousal', 'rule', 'speech_readings']));
    rows.forEach((r, i) => {
      expect(r.valence).toBe(want[i].valence);
      expect(r.arousal).toBe(want[i].arousal);
      expect(r.rule).toBe('report-window');
    });
    expect(rows[0].arousal).not.toBe(rows[0].valence);

    const csv = analyze('--csv', '--model', modelDir, ...files).stdout.trim().split('\n');
    expect(csv[0]).toBe('file,seconds,valence,arousal,rule');
    csv.slice(1).forEach((line, i) => {
      const c = line.split(',');
      expect(Number(c[2])).toBe(want[i].valence);
      expect(Number(c[3])).toBe(want[i].arousal);
      expect(c[4]).toBe('report-window');
    });

    const table = analyze('--model', modelDir, SPEECH).stdout.trim().split('\n');
    expect(table[0].split(/\s+/)).toEqual(['file', 'seconds', 'valence', 'arousal', 'rule']);
    expect(table[2].split(/\s+/).slice(2, 4)).toEqual([want[0].valence.toFixed(3), want[0].arousal.toFixed(3)]);
    expect(table[2]).toMatch(/whole clip in one 7\.7 s window, the rule for clips up to 7\.7 s$/);
  });

  it('a longer file: the mean of its timeline\'s speech readings, saying so; a file without speech: no figure', async () => {
    // The 4 s speech clip twice over, 8 s: past the report's 7.7 s window.
    const { mono, rate } = monoOf(SPEECH);
    const long = new Float32Array(mono.length * 2);
    long.set(mono);
    long.set(mono, mono.length);
    const longWav = join(dir, 'long.wav');
    writeFileSync(longWav, wavBytes({ rate, bits: 32, float: true, frames: Array.from(long, (v) => [v]) }));
    const silentWav = join(dir, 'silent.wav');
    writeFileSync(silentWav, wavBytes({ rate: 16000, bits: 16, frames: Array.from({ length: 16000 * 9 }, () => [0]) }));
    const timeline = await analyzeSignal(long, { inputRate: rate, hopSeconds: 0.5, features: 'db', normalisation: null, predict: windowPredictor(model, config) });
    const voiced = timeline.filter((r) => r.speech && r.valence !== null);
    expect(voiced.length).toBeGreaterThan(5);
    const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    const json = analyze('--json', '--model', modelDir, longWav, silentWav);
    expect(json.code).toBe(0);
    const [a, b] = jsonRows(json.stdout);
    expect(a.rule).toBe('speech-mean');
    expect(a.speech_readings).toBe(voiced.length);
    expect(a.valence).toBeCloseTo(meanOf(voiced.map((r) => r.valence!)), 12);
    expect(a.arousal).toBeCloseTo(meanOf(voiced.map((r) => r.arousal!)), 12);
    expect(b).toMatchObject({ rule: 'no-speech', valence: null, arousal: null, speech_readings: 0 });

    const table = analyze('--model', modelDir, longWav).stdout.trim().split('\n');
    expect(table[2]).toMatch(new RegExp(`mean of ${voiced.length} speech readings, 7\\.7 s windows every 0\\.5 s$`));
    // --timeline ends its table with the same figure and rule.
    const withTimeline = analyze('--timeline', '--model', modelDir, longWav).stdout.trim().split('\n');
    expect(withTimeline.at(-1)).toBe(`long.wav: valence ${signed(a.valence)}, arousal ${signed(a.arousal!)} · mean of ${voiced.length} speech readings, 7.7 s windows every 0.5 s`);
  });

  it('--timeline: valence and arousal are analyzeSignal\'s readings (the app\'s file timeline); both empty where the gate finds no speech', async () => {
    const { mono, rate } = monoOf(SPEECH);
    const want = await analyzeSignal(mono, {
      inputRate: rate,
      hopSeconds: 0.5,
      features: 'db',
      normalisation: null,
      predict: windowPredictor(model, config),
    });
    expect(want.some((r) => !r.speech)).toBe(true);
    expect(want.some((r) => r.speech)).toBe(true);

    const json = analyze('--timeline', '--json', '--model', modelDir, SPEECH);
    expect(json.code).toBe(0);
    const rows = jsonRows(json.stdout);
    expect(rows.map((r) => r.time)).toEqual(want.map((r) => Number(r.time.toFixed(6))));
    rows.forEach((r, i) => {
      expect(Object.keys(r)).toEqual(['file', 'time', 'valence', 'arousal', 'speech']);
      expect(r.speech).toBe(want[i].speech ? 'yes' : 'no');
      expect(r.valence).toBe(want[i].valence);
      expect(r.arousal).toBe(want[i].arousal);
      expect(r.arousal === null).toBe(r.speech === 'no');
    });

    const csv = analyze('--timeline', '--gate', '--csv', '--model', modelDir, SPEECH).stdout.trim().split('\n');
    expect(csv[0]).toBe('file,time,valence,arousal,speech');
    csv.slice(1).forEach((line, i) => {
      const [, , valence, arousal, speech] = line.split(',');
      expect(speech).toBe(want[i].speech ? 'yes' : 'no');
      expect(valence).toBe(want[i].valence === null ? '' : String(want[i].valence));
      expect(arousal).toBe(want[i].arousal === null ? '' : String(want[i].arousal));
    });
  });
});
