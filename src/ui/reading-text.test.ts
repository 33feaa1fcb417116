import type { FileHeadline } from '../worker/file-headline.ts';
import { describe, expect, it } from 'vitest';
import type { LiveReading, ModelStatusMessage } from '../worker/protocol.ts';
import {
  costText,
  fileSummaryText,
  gaugeMessage,
  gaugeState,
  gaugeValence,
  gaugeArousal,
  infoText,
  modelStatusLine,
  showsArousal,
  type MonitorState,
} from './reading-text.ts';

const ready: ModelStatusMessage = { type: 'model', state: 'ready', backend: 'wasm' };
const loading: ModelStatusMessage = { type: 'model', state: 'loading' };
const failed: ModelStatusMessage = { type: 'model', state: 'failed', message: 'model.json: HTTP 404' };

function reading(over: Partial<LiveReading> = {}): LiveReading {
  return {
    index: 4,
    time: 2,
    inputSamples: 88_200,
    speech: true,
    held: false,
    levelDb: -20,
    valence: 0.3,
    smoothed: 0.25,
    arousal: null,
    smoothedArousal: null,
    skipped: 0,
    timings: { resampleMs: 0.84, gateMs: 0.26, melMs: 12.6, cnnMs: 154.4 },
    ...over,
  };
}

const monitor = (over: Partial<MonitorState> = {}): MonitorState => ({
  phase: 'running',
  errorMessage: undefined,
  model: ready,
  last: reading(),
  hopSeconds: 0.5,
  ...over,
});

describe('the gauge', () => {
  it('shows the smoothed valence only while listening to speech', () => {
    expect(gaugeValence(monitor())).toBe(0.25);
    expect(gaugeValence(monitor({ last: reading({ speech: false, valence: null, smoothed: null }) }))).toBeNull();
    expect(gaugeValence(monitor({ phase: 'idle' }))).toBeNull();
    expect(gaugeValence(monitor({ last: null }))).toBeNull();
  });

  it('states: error first, then idle, listening, no speech, reading', () => {
    expect(gaugeState(monitor({ errorMessage: 'denied', phase: 'idle' }))).toBe('error');
    expect(gaugeState(monitor({ model: failed }))).toBe('error');
    expect(gaugeState(monitor({ phase: 'idle' }))).toBe('idle');
    expect(gaugeState(monitor({ phase: 'starting' }))).toBe('idle');
    expect(gaugeState(monitor({ last: null }))).toBe('listening');
    expect(gaugeState(monitor({ last: reading({ speech: false }) }))).toBe('no-speech');
    expect(gaugeState(monitor({ last: reading({ smoothed: null }) }))).toBe('listening');
    expect(gaugeState(monitor())).toBe('reading');
  });

  it('the model line in the gauge: loading, getting ready, failed (an alert); nothing once ready', () => {
    expect(modelStatusLine(loading)).toEqual({ text: 'Loading the model…', alert: false });
    expect(modelStatusLine({ type: 'model', state: 'measuring' })).toEqual({ text: 'Getting the model ready…', alert: false });
    expect(modelStatusLine(failed)).toEqual({ text: 'model.json: HTTP 404', alert: true });
    expect(modelStatusLine(ready)).toBeNull();
  });

  it('a pause that holds the last reading: state held, the held numbers shown; none once the hold ends', () => {
    const held = reading({ speech: false, held: true, valence: null, smoothed: -0.4, arousal: null, smoothedArousal: 0.6 });
    expect(gaugeState(monitor({ last: held }))).toBe('held');
    expect(gaugeValence(monitor({ last: held }))).toBe(-0.4);
    expect(gaugeArousal(monitor({ last: held }))).toBe(0.6);
    const over = reading({ speech: false, held: false, valence: null, smoothed: null });
    expect(gaugeState(monitor({ last: over }))).toBe('no-speech');
    expect(gaugeValence(monitor({ last: over }))).toBeNull();
    expect(gaugeValence(monitor({ last: held, phase: 'idle' }))).toBeNull();
  });

  it('messages: the error, the failed model, the model still loading, the wait for the first reading', () => {
    expect(gaugeMessage(monitor({ errorMessage: 'Microphone access was denied', model: failed }))).toBe('Microphone access was denied');
    expect(gaugeMessage(monitor({ model: failed, phase: 'idle' }))).toBe('model.json: HTTP 404');
    expect(gaugeMessage(monitor({ model: loading }))).toBe('Listening… the model is still loading');
    expect(gaugeMessage(monitor({ last: null, hopSeconds: 0.25 }))).toBe('Listening… first reading after 0.25 s');
    expect(gaugeMessage(monitor())).toBeUndefined();
    expect(gaugeMessage(monitor({ phase: 'idle', model: loading, last: null }))).toBe('Loading the model…');
    expect(gaugeMessage(monitor({ phase: 'idle', model: { type: 'model', state: 'measuring' }, last: null }))).toBe('Getting the model ready…');
    expect(gaugeMessage(monitor({ phase: 'idle', model: ready, last: null }))).toBeUndefined();
  });
});

describe('the arousal meter', () => {
  it('is shown only for a loaded two-output model', () => {
    expect(showsArousal({ ...ready, outputs: 2 })).toBe(true);
    expect(showsArousal({ ...ready, outputs: 1 })).toBe(false);
    expect(showsArousal(ready)).toBe(false); // a worker that does not say: one output
    expect(showsArousal({ ...loading, outputs: 2 })).toBe(false);
    expect(showsArousal({ ...failed, outputs: 2 })).toBe(false);
  });

  it('keeps its place while a model the store says has two outputs loads, and not once one output is known', () => {
    expect(showsArousal(loading, 2)).toBe(true);
    expect(showsArousal({ type: 'model', state: 'measuring' }, 2)).toBe(true);
    expect(showsArousal(loading, 1)).toBe(false);
    expect(showsArousal(loading)).toBe(false);
    expect(showsArousal(failed, 2)).toBe(false);
    expect(showsArousal({ ...ready, outputs: 1 }, 2)).toBe(false); // the worker's word wins
  });

  it('shows the smoothed arousal exactly where the gauge shows a number', () => {
    const two = reading({ arousal: -0.6, smoothedArousal: -0.4 });
    expect(gaugeArousal(monitor({ last: two }))).toBe(-0.4);
    expect(gaugeArousal(monitor({ last: reading({ speech: false, valence: null, smoothed: null }) }))).toBeNull();
    expect(gaugeArousal(monitor({ last: two, phase: 'idle' }))).toBeNull();
    expect(gaugeArousal(monitor({ last: null }))).toBeNull();
    expect(gaugeArousal(monitor())).toBeNull(); // a one-output model's reading
  });
});

describe('the info line', () => {
  it('names the device, rate, transport and seconds received', () => {
    // 66150 samples at 44100 Hz: 1.5 s.
    expect(infoText({ deviceLabel: 'USB mic', sampleRate: 44100, mode: 'ring' }, 66_150, 0)).toBe(
      'USB mic · 44100 Hz · shared ring buffer · 1.5 s received',
    );
    expect(infoText({ deviceLabel: '', sampleRate: 48000, mode: 'message' }, 120_000, 3)).toBe(
      'Microphone · 48000 Hz · message fallback · 2.5 s received · 3 readings skipped to keep up',
    );
    expect(infoText(null, 1000, 2)).toBe('');
  });
});

describe('the cost line', () => {
  it('lists the stages of a speech reading, one decimal under 10 ms, and the latency', () => {
    expect(costText(reading(), true, 225.4)).toBe(
      'Last reading: resample 0.8 ms · Mel 13 ms · CNN 154 ms · on screen 225 ms after the audio',
    );
    expect(costText(reading(), true, null)).toBe('Last reading: resample 0.8 ms · Mel 13 ms · CNN 154 ms');
  });

  it('says no CNN ran on silence', () => {
    expect(costText(reading({ speech: false }), true, 9.96)).toBe(
      'Last reading: no speech (resample 0.8 ms · gate 0.3 ms; no CNN run) · on screen 10.0 ms after the audio',
    );
  });

  it('is empty when not listening or before the first reading', () => {
    expect(costText(reading(), false, 12)).toBe('');
    expect(costText(null, true, null)).toBe('');
  });
});

describe('the file summary', () => {
  it("names the file, its length, the decoder, the readings, and the file's one figure with its rule", () => {
    const readings = [
      reading({ valence: 0.4 }),
      reading({ speech: false, valence: null }),
      reading({ valence: -0.1 }),
      reading({ valence: null }), // speech but no model: not counted as voiced
    ];
    const mean: FileHeadline = { rule: 'speech-mean', valence: 0.15, arousal: null, speechReadings: 2, hopSeconds: 0.5 };
    expect(fileSummaryText({ name: 'a.wav', samples: 88_200, sampleRate: 44_100, decoder: 'wav', readings, headline: mean })).toBe(
      'a.wav: 2.0 s at 44100 Hz (WAV decoder, no resampling) · 4 readings, 2 with speech · valence +0.15 (mean of 2 speech readings, 7.7 s windows every 0.5 s)',
    );
    const clip: FileHeadline = { rule: 'report-window', valence: -0.381, arousal: 0.5, speechReadings: 0, hopSeconds: 0.5 };
    expect(fileSummaryText({ name: 'c.wav', samples: 32_000, sampleRate: 16_000, decoder: 'wav', readings, headline: clip })).toBe(
      'c.wav: 2.0 s at 16000 Hz (WAV decoder, no resampling) · 4 readings, 2 with speech · valence -0.38, arousal +0.50 (whole clip in one 7.7 s window, the rule for clips up to 7.7 s)',
    );
    const none: FileHeadline = { rule: 'no-speech', valence: null, arousal: null, speechReadings: 0, hopSeconds: 0.5 };
    expect(fileSummaryText({ name: 'b.mp3', samples: 72_000, sampleRate: 48_000, decoder: 'browser', readings: [], headline: none })).toBe(
      'b.mp3: 1.5 s at 48000 Hz (browser decoder, at 48000 Hz) · 0 readings, 0 with speech · no speech found',
    );
  });
});
