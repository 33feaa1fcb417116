// The export texts, written out by hand: CSV and JSON of a one-output session, of a
// two-output one (arousal columns / fields filled), and of a session stored before
// arousal existed (no arousal fields at all: empty cells, nothing invented in the JSON).
import { describe, expect, it } from 'vitest';
import { sessionToCsv, sessionToJson } from './session-export.ts';
import type { SessionWithReadings } from './session-store.ts';

const T0 = Date.UTC(2026, 10, 24, 22, 0, 0);

function session(readings: SessionWithReadings['readings'], settings: Partial<SessionWithReadings> = {}): SessionWithReadings {
  return {
    ...settings,
    id: 7,
    startedAt: T0,
    endedAt: T0 + 2000,
    modelId: 'imported/0123456789abcdef',
    modelName: 'two, "outputs"',
    backend: 'wasm',
    hopSeconds: 0.5,
    readingCount: readings.length,
    lastT: readings.at(-1)?.t ?? null,
    readings,
  };
}

const HEADER = 't_seconds,time,valence,smoothed,state,arousal,smoothed_arousal,hop_seconds,smoothing_seconds,model,microphone';
/** The settings cells of the sessions below: hop, smoothing, model (quoted: a comma, quotes), microphone. */
const WITH_SETTINGS = '0.5,3,"two, ""outputs""","USB mic, left"';
const NO_SETTINGS = '0.5,,"two, ""outputs""",';

describe('session export', () => {
  it('two-output session: arousal and smoothed arousal after the existing columns, empty on silence; the settings in every row', () => {
    const s = session(
      [
        { t: 0.5, valence: 0.25, smoothed: 0.125, arousal: -0.5, smoothedArousal: -0.375, state: 'speech' },
        { t: 1, valence: null, smoothed: null, arousal: null, smoothedArousal: null, state: 'no-speech' },
        { t: 1.5, valence: -0.03125, smoothed: 0.0625, arousal: 0.71875, smoothedArousal: 0.1, state: 'speech' },
      ],
      { smoothingSeconds: 3, microphone: 'USB mic, left', voiceProcessing: true },
    );
    expect(sessionToCsv(s)).toBe(
      `${HEADER}\r\n` +
        `0.500,2026-11-24T22:00:00.500Z,0.2500,0.1250,speech,-0.5000,-0.3750,${WITH_SETTINGS}\r\n` +
        `1.000,2026-11-24T22:00:01.000Z,,,no-speech,,,${WITH_SETTINGS}\r\n` +
        `1.500,2026-11-24T22:00:01.500Z,-0.0313,0.0625,speech,0.7188,0.1000,${WITH_SETTINGS}\r\n`,
    );
    expect(JSON.parse(sessionToJson(s))).toEqual({
      format: 'valence-monitor-session/1',
      id: 7,
      startedAt: '2026-11-24T22:00:00.000Z',
      endedAt: '2026-11-24T22:00:02.000Z',
      model: { id: 'imported/0123456789abcdef', name: 'two, "outputs"' },
      backend: 'wasm',
      hopSeconds: 0.5,
      settings: { hopSeconds: 0.5, smoothingSeconds: 3, model: 'two, "outputs"', microphone: 'USB mic, left', voiceProcessing: true },
      readings: [
        { t: 0.5, valence: 0.25, smoothed: 0.125, arousal: -0.5, smoothedArousal: -0.375, state: 'speech' },
        { t: 1, valence: null, smoothed: null, arousal: null, smoothedArousal: null, state: 'no-speech' },
        { t: 1.5, valence: -0.03125, smoothed: 0.0625, arousal: 0.71875, smoothedArousal: 0.1, state: 'speech' },
      ],
    });
  });

  it('one-output session: the arousal cells are empty, the JSON says null', () => {
    const s = session([{ t: 0.5, valence: 0.5, smoothed: 0.5, arousal: null, smoothedArousal: null, state: 'speech' }]);
    expect(sessionToCsv(s)).toBe(`${HEADER}\r\n0.500,2026-11-24T22:00:00.500Z,0.5000,0.5000,speech,,,${NO_SETTINGS}\r\n`);
    const json = JSON.parse(sessionToJson(s)) as { readings: unknown[] };
    expect(json.readings).toEqual([{ t: 0.5, valence: 0.5, smoothed: 0.5, arousal: null, smoothedArousal: null, state: 'speech' }]);
  });

  it('a session stored before arousal: empty cells, and no arousal fields in the JSON', () => {
    const s = session([
      { t: 0.5, valence: 0.25, state: 'speech' },
      { t: 1, valence: null, state: 'silence', smoothed: null },
    ]);
    expect(sessionToCsv(s)).toBe(
      `${HEADER}\r\n` + `0.500,2026-11-24T22:00:00.500Z,0.2500,,speech,,,${NO_SETTINGS}\r\n` + `1.000,2026-11-24T22:00:01.000Z,,,silence,,,${NO_SETTINGS}\r\n`,
    );
    const text = sessionToJson(s);
    expect(text).not.toContain('rousal');
    // settings not kept then are null, not invented
    expect((JSON.parse(text) as { settings: unknown }).settings).toEqual({ hopSeconds: 0.5, smoothingSeconds: null, model: 'two, "outputs"', microphone: null, voiceProcessing: null });
    expect((JSON.parse(text) as { readings: unknown[] }).readings).toEqual([
      { t: 0.5, valence: 0.25, state: 'speech' },
      { t: 1, valence: null, state: 'silence', smoothed: null },
    ]);
  });
});
