// The worker's update loop in Node: readings at t_k equal to LiveWindow's own, no queue
// when behind, the gate skipping the CNN on silence, smoothing, the file timeline
// (analyzeSignal: every reading point, as analyze --timeline and the app's file analysis
// read), arousal from a two-output model (null from a one-output one), and no tensor leak
// over 1000 updates with a real TF.js model.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { AnalysisLoop, analyzeSignal, type PredictFn } from './analysis-loop.ts';
import { windowPredictor, windowPredictorAsync } from './window-predictor.ts';
import { LiveWindow, readingAfterUtterance, readingInputSamples } from '../dsp/live-window.ts';
import { speechGate } from '../dsp/speech-gate.ts';
import { buildCnn } from '../model/cnn.ts';
import { predict } from '../model/predict.ts';
import { initNodeBackend } from '../model/backend.ts';
import { SEED_PRESET, type CnnConfig } from '../model/config.ts';

const RATE = 16000;

/** A "voice": a 200 Hz tone in 3 syllables a second with pauses between, well above the gate. */
function voice(n: number, from = 0, rate = RATE): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = (from + i) / rate;
    x[i] = 0.3 * Math.sin(2 * Math.PI * 200 * t) * Math.max(0, Math.sin(2 * Math.PI * 3 * t));
  }
  return x;
}

/** A "valence" that is a plain mean of the features, scaled: cheap and exact to check. */
const sumPredict = (f: Float32Array) => f.reduce((a, b) => a + b, 0) / f.length / 100; // dB means stay within [-1, 1] so nothing is clamped
/** sumPredict as a one-output model. */
const sumModel: PredictFn = (f) => ({ valence: sumPredict(f), arousal: null });

describe('AnalysisLoop', () => {
  it('gives LiveWindow readings (the analyze --timeline pipeline) and the same gate', async () => {
    const x = voice(RATE * 3);
    const loop = new AnalysisLoop({ inputRate: RATE, features: 'db', predict: sumModel });
    const got = [];
    for (let i = 0; i < x.length; i += 128) {
      const r = await loop.process(x.subarray(i, i + 128));
      if (r) got.push(r);
    }
    const want: { time: number; valence: number; speech: boolean }[] = [];
    new LiveWindow(RATE, { features: 'db' }).push(x, (p) =>
      want.push({ time: p.time, valence: sumPredict(p.features().data), speech: speechGate(p.window()).speech }),
    );
    expect(got.map((r) => r.time)).toEqual(want.map((w) => w.time));
    got.forEach((r, i) => {
      expect(r.speech).toBe(want[i].speech);
      expect(r.speech).toBe(true);
      expect(r.valence).toBe(want[i].valence);
      expect(r.skipped).toBe(0);
    });
  });

  it('never queues: a late chunk yields only its newest reading and counts the rest', async () => {
    const loop = new AnalysisLoop({ inputRate: RATE, features: 'db', predict: sumModel });
    const r = await loop.process(voice(RATE * 2.2));
    expect(r?.time).toBe(2);
    expect(r?.skipped).toBe(3);
    expect(await loop.process(voice(10, RATE * 2.2))).toBeNull();
  });

  it('shows no speech for silence and runs no model then', async () => {
    let calls = 0;
    const loop = new AnalysisLoop({ inputRate: RATE, features: 'db', predict: () => (calls++, { valence: 0.5, arousal: null }) });
    const noise = Float32Array.from({ length: RATE }, (_, i) => 1e-4 * Math.sin(i * 1.7));
    const r = await loop.process(noise);
    expect(r).toMatchObject({ speech: false, valence: null, smoothed: null, arousal: null, smoothedArousal: null });
    expect(r?.timings.cnnMs).toBe(0);
    expect(calls).toBe(0);
  });

  it('smooths over time when asked (valence and arousal alike), and without a hold resets on silence', async () => {
    const values = [1, 0, 0];
    const arousals = [-1, 0.5, 0];
    let k = 0;
    const predict: PredictFn = () => ({ valence: values[k], arousal: arousals[k++] });
    const loop = new AnalysisLoop({ inputRate: RATE, features: 'db', smoothingSeconds: 1, holdSeconds: 0, predict });
    const half = RATE / 2;
    const r1 = await loop.process(voice(half));
    const r2 = await loop.process(voice(half, half));
    expect(r1?.smoothed).toBe(1);
    expect(r2?.valence).toBe(0);
    expect(r2?.smoothed).toBeCloseTo(Math.exp(-0.5), 12);
    expect(r1?.smoothedArousal).toBe(-1);
    expect(r2?.arousal).toBe(0.5);
    const a = Math.exp(-0.5);
    expect(r2?.smoothedArousal).toBeCloseTo(a * -1 + (1 - a) * 0.5, 12);
    // Silence resets both: the next speech reading starts afresh.
    const r3 = await loop.process(new Float32Array(RATE * 2));
    expect(r3).toMatchObject({ speech: false, smoothed: null, smoothedArousal: null });
  });

  it('holds the last reading through a short pause, smoothing across it, and lets a long silence show', async () => {
    let k = 0;
    const predict: PredictFn = () => ({ valence: [0.8, -0.2, 0.4, 0.1][k % 4], arousal: [0.5, -0.5][k++ % 2] });
    const loop = new AnalysisLoop({ inputRate: RATE, features: 'db', smoothingSeconds: 1, holdSeconds: 3, predict });
    const half = RATE / 2;
    // 1.5 s of voice, a 2 s pause, 1 s of voice, 6 s of silence: one chunk per reading
    const parts = [voice(RATE * 1.5), new Float32Array(RATE * 2), voice(RATE), new Float32Array(RATE * 6)];
    const x = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (x.set(p, at), at + p.length), 0);
    const got = [];
    for (let i = 0; i < x.length; i += half) got.push((await loop.process(x.subarray(i, i + half)))!);
    let last: { time: number; smoothed: number; arousal: number } | null = null;
    let held = 0;
    let shown = 0;
    for (const r of got) {
      if (r.speech) {
        if (last === null) {
          expect(r.smoothed).toBe(r.valence);
        } else {
          // carried over the pause: the past weighs exp(-dt / 1 s), dt from the last speech reading
          const a = Math.exp(-(r.time - last.time));
          expect(r.smoothed).toBeCloseTo(a * last.smoothed + (1 - a) * r.valence!, 12);
          expect(r.smoothedArousal).toBeCloseTo(a * last.arousal + (1 - a) * r.arousal!, 12);
        }
        last = { time: r.time, smoothed: r.smoothed!, arousal: r.smoothedArousal! };
        expect(r.held).toBe(false);
      } else if (last !== null && r.time - last.time <= 3) {
        expect(r).toMatchObject({ held: true, valence: null, arousal: null, smoothed: last.smoothed, smoothedArousal: last.arousal });
        held++;
      } else {
        expect(r).toMatchObject({ held: false, smoothed: null, smoothedArousal: null });
        last = null;
        shown++;
      }
    }
    expect(held).toBeGreaterThanOrEqual(2 + 5); // the pause, and the first 3 s of the silence
    expect(shown).toBeGreaterThanOrEqual(4); // the rest of the silence shows as no speech
    expect(got.filter((r) => r.speech).length).toBeGreaterThanOrEqual(4);
  });

  it('clamps what it reports to [-1, 1]: a linear output can overshoot', async () => {
    const outs = [{ valence: 1.16, arousal: -1.04 }, { valence: -3, arousal: 0.25 }];
    let k = 0;
    const loop = new AnalysisLoop({ inputRate: RATE, features: 'db', predict: () => outs[k++] });
    const r1 = await loop.process(voice(RATE / 2));
    const r2 = await loop.process(voice(RATE / 2, RATE / 2));
    expect(r1).toMatchObject({ valence: 1, smoothed: 1, arousal: -1, smoothedArousal: -1 });
    expect(r2).toMatchObject({ valence: -1, smoothed: -1, arousal: 0.25, smoothedArousal: 0.25 });
  });

  it('analyzeSignal evaluates every reading point of a whole signal, as LiveWindow reads it', async () => {
    // 3.3 s of voice after 2 s of silence: readings at 0.5 .. 5 s, the first ones gated.
    const x = new Float32Array(Math.round(RATE * 5.3));
    x.set(voice(x.length - 2 * RATE, 2 * RATE), 2 * RATE);
    let calls = 0;
    const predict: PredictFn = (f) => (calls++, sumModel(f));
    const got = await analyzeSignal(x, { inputRate: RATE, hopSeconds: 0.5, features: 'db', predict });
    const want: { time: number; inputSamples: number; valence: number; speech: boolean }[] = [];
    new LiveWindow(RATE, { hopSeconds: 0.5, features: 'db' }).push(x, (p) =>
      want.push({ time: p.time, inputSamples: p.inputSamples, valence: sumPredict(p.features().data), speech: speechGate(p.window()).speech }),
    );
    expect(got.map((r) => r.time)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 0.5));
    expect(got.map((r) => r.time)).toEqual(want.map((w) => w.time));
    got.forEach((r, i) => {
      expect(r.inputSamples).toBe(readingInputSamples(i + 1, 0.5, RATE));
      expect(r.inputSamples).toBe(want[i].inputSamples);
      expect(r.skipped).toBe(0);
      expect(r.speech).toBe(want[i].speech);
      // The gate decides as live: no CNN and no valence without speech.
      expect(r.valence).toBe(r.speech ? want[i].valence : null);
    });
    expect(got.filter((r) => !r.speech).length).toBeGreaterThan(0);
    expect(got.filter((r) => r.speech).length).toBeGreaterThan(0);
    expect(calls).toBe(got.filter((r) => r.speech).length);
  });

  it('analyzeSignal gives a signal shorter than one hop one reading, at t_1, as the live window reads it after the sound', async () => {
    // 0.3 s at 8 kHz (0.1 s of faint hum, then a 0.2 s tone the gate takes for speech), hop
    // 0.5 s: no reading point inside the signal. The live monitor would read it at t_1 with
    // silence after it: readingAfterUtterance's window.
    const x = Float32Array.from({ length: 2400 }, (_, i) => (i < 800 ? 0.001 : 0.3) * Math.sin((2 * Math.PI * 200 * i) / 8000));
    const got = await analyzeSignal(x, { inputRate: 8000, hopSeconds: 0.5, features: 'db', predict: sumModel });
    expect(got.map((r) => [r.time, r.speech, r.skipped])).toEqual([[0.5, true, 0]]);
    expect(got[0].valence).toBe(sumPredict(readingAfterUtterance(x, { hopSeconds: 0.5, features: 'db' }).data));
    // An empty signal has nothing to read.
    expect(await analyzeSignal(new Float32Array(0), { inputRate: 8000, hopSeconds: 0.5, features: 'db', predict: sumModel })).toEqual([]);
  });

  it('fills arousal from a two-output model and null from a one-output one, each from one forward pass', async () => {
    await initNodeBackend('wasm');
    // 2 s of silence, then voice: the first readings gated (no valence, no arousal).
    const x = new Float32Array(Math.round(RATE * 4.3));
    x.set(voice(x.length - 2 * RATE, 2 * RATE), 2 * RATE);
    for (const outputs of [1, 2] as const) {
      const config: CnnConfig = { ...SEED_PRESET, channels: [2], features: 'db', outputs };
      const model = buildCnn(config, { seed: 3 });
      // A smaller last layer keeps this random model's outputs inside [-1, 1], where nothing is clamped.
      const fc = model.layers[model.layers.length - 1];
      const [kernel, bias] = fc.getWeights();
      const small = tf.mul(kernel, 0.01);
      fc.setWeights([small, bias]);
      small.dispose(); // getWeights gives the variables' own tensors: those stay
      try {
        const want: { valence: number; arousal: number | null }[] = [];
        new LiveWindow(RATE, { hopSeconds: 0.5, features: 'db' }).push(x, (p) => {
          const out = predict(model, [Float32Array.from(p.features().data)], config);
          want.push({ valence: out.valence[0], arousal: out.arousal ? out.arousal[0] : null });
        });
        let calls = 0;
        const once = windowPredictor(model, config);
        const got = await analyzeSignal(x, { inputRate: RATE, hopSeconds: 0.5, features: 'db', predict: (f) => (calls++, once(f)) });
        expect(got.length).toBe(want.length);
        expect(calls).toBe(got.filter((r) => r.speech).length);
        expect(got.filter((r) => !r.speech).length).toBeGreaterThan(0);
        want.forEach((w) => expect(Math.abs(w.valence)).toBeLessThan(1));
        want.forEach((w) => expect(Math.abs(w.arousal ?? 0)).toBeLessThan(1));
        got.forEach((r, i) => {
          expect(r.valence).toBe(r.speech ? want[i].valence : null);
          expect(r.arousal).toBe(r.speech && outputs === 2 ? want[i].arousal : null);
          expect(r.smoothedArousal).toBe(r.arousal);
          if (outputs === 2 && r.speech) expect(r.arousal).not.toBe(r.valence);
        });
      } finally {
        model.dispose();
      }
    }
  });

  it('keeps tf.memory() flat over 1000 updates with a real model', async () => {
    await initNodeBackend('wasm');
    // A one-block CNN on the real input shape: the same tensor code path, 1000 passes fast.
    const config: CnnConfig = { ...SEED_PRESET, channels: [2], features: 'db' };
    const model = buildCnn(config, { seed: 1 });
    try {
      const predict = windowPredictorAsync(model, config);
      const loop = new AnalysisLoop({ inputRate: 8000, hopSeconds: 0.0625, features: 'db', predict });
      const chunk = 500; // one reading per chunk at 8 kHz and a 62.5 ms hop
      const counts: number[] = [];
      let updates = 0;
      for (let k = 0; updates < 1000 && k < 2000; k++) {
        const r = await loop.process(voice(chunk, k * chunk, 8000));
        if (r?.valence !== null && r !== null) {
          updates++;
          if (updates === 10) counts.push(tf.memory().numTensors);
        }
      }
      counts.push(tf.memory().numTensors);
      expect(updates).toBe(1000);
      expect(counts[1]).toBe(counts[0]);
    } finally {
      model.dispose();
    }
  });
});
