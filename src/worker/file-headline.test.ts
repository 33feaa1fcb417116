// A file's one figure: the report's window for a clip that fits it, the mean of the speech
// readings for a longer file, nothing where the gate hears no speech; by hand, and through
// analyzeFileWithHeadline against the report window and analyzeSignal computed apart.
import { describe, expect, it } from 'vitest';
import { clipWindow, windowFeatures } from '../dsp/pipeline.ts';
import { analyzeSignal, type PredictFn } from './analysis-loop.ts';
import { analyzeFileWithHeadline } from './analyze-file.ts';
import { fileHeadline, fitsReportWindow, headlineRuleText } from './file-headline.ts';
import type { LiveReading } from './protocol.ts';

const reading = (speech: boolean, valence: number | null, arousal: number | null = null): LiveReading => ({
  index: 0, time: 0, inputSamples: 0, speech, held: false, levelDb: -20, valence, smoothed: valence, arousal, smoothedArousal: arousal, skipped: 0,
  timings: { resampleMs: 0, gateMs: 0, melMs: 0, cnnMs: 0 },
});

describe('the file headline', () => {
  it('a clip that fits the window: the report reading, clamped to the scale', () => {
    const h = fileHeadline([reading(true, 0.9)], { valence: 1.3, arousal: -0.2 }, 0.5);
    expect(h).toEqual({ rule: 'report-window', valence: 1, arousal: -0.2, speechReadings: 0, hopSeconds: 0.5 });
    expect(headlineRuleText(h)).toBe('whole clip in one 7.7 s window, the rule for clips up to 7.7 s');
  });

  it('a longer file: the mean over speech readings only (not held or silent ones)', () => {
    const rs = [reading(true, 0.4, 0.1), reading(false, null), { ...reading(false, null), held: true, smoothed: 0.4 }, reading(true, -0.1, 0.5)];
    const h = fileHeadline(rs, null, 0.25);
    expect(h.rule).toBe('speech-mean');
    expect(h.valence).toBeCloseTo(0.15, 12);
    expect(h.arousal).toBeCloseTo(0.3, 12);
    expect(h.speechReadings).toBe(2);
    expect(headlineRuleText(h)).toBe('mean of 2 speech readings, 7.7 s windows every 0.25 s');
  });

  it('no speech anywhere: no figure, even for a short clip', () => {
    const h = fileHeadline([reading(false, null), reading(false, null)], { valence: 0.3, arousal: null }, 0.5);
    expect(h).toMatchObject({ rule: 'no-speech', valence: null, arousal: null });
    expect(headlineRuleText(h)).toBe('no speech found');
  });

  it('fits the window up to 61500 samples at 8 kHz, counted after resampling', () => {
    expect(fitsReportWindow(61500, 8000)).toBe(true);
    expect(fitsReportWindow(61501, 8000)).toBe(false);
    expect(fitsReportWindow(123000, 16000)).toBe(true); // ceil(123000 / 2) = 61500
    expect(fitsReportWindow(123001, 16000)).toBe(false); // ceil(123001 / 2) = 61501
  });
});

describe('analyzeFileWithHeadline', () => {
  // A stand-in model: deterministic in the features, so the rules can be checked without TF.js.
  const predict: PredictFn = (f) => {
    let s = 0;
    for (let i = 0; i < f.length; i += 97) s += f[i];
    return { valence: Math.tanh(s / 1e4), arousal: Math.tanh(-s / 2e4) };
  };
  const tone = (seconds: number, rate: number) =>
    Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate) * (1 + Math.sin(i / 900)));
  const chunked = (x: Float32Array, n: number) => Array.from({ length: Math.ceil(x.length / n) }, (_, i) => x.subarray(i * n, (i + 1) * n));

  it("a short clip: the report window's reading, whatever the chunking", async () => {
    const x = tone(3, 16000);
    const want = await predict(windowFeatures(clipWindow(x, 16000), 'db').data);
    const got = await analyzeFileWithHeadline(chunked(x, 4096), { inputRate: 16000, hopSeconds: 0.5, features: 'db', predict });
    expect(got.headline.rule).toBe('report-window');
    expect(got.headline.valence).toBe(want.valence);
    expect(got.headline.arousal).toBe(want.arousal);
    expect(got.frames).toBe(x.length);
  });

  it("a long file: the mean of analyzeSignal's speech readings", async () => {
    const x = tone(10, 16000);
    const timeline = await analyzeSignal(x, { inputRate: 16000, hopSeconds: 0.5, features: 'db', predict });
    const voiced = timeline.filter((r) => r.speech && r.valence !== null).map((r) => r.valence!);
    expect(voiced.length).toBeGreaterThan(10);
    const got = await analyzeFileWithHeadline(chunked(x, 10000), { inputRate: 16000, hopSeconds: 0.5, features: 'db', predict });
    expect(got.readings.map((r) => r.valence)).toEqual(timeline.map((r) => r.valence));
    expect(got.headline.rule).toBe('speech-mean');
    expect(got.headline.valence).toBeCloseTo(voiced.reduce((a, b) => a + b, 0) / voiced.length, 12);
  });

  it('refuses an empty file', async () => {
    await expect(analyzeFileWithHeadline([], { inputRate: 16000, features: 'db', predict })).rejects.toThrow(/no audio/);
  });
});
