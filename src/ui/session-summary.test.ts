// The session summary by hand, and against the numbers of the session's own CSV export.
import { describe, expect, it } from 'vitest';
import { summariseSession, summaryText } from './session-summary.ts';
import { sessionToCsv } from '../storage/session-export.ts';
import type { ReadingInput, SessionWithReadings } from '../storage/session-store.ts';
import { formatDuration } from './session-history.ts';

const r = (t: number, valence: number | null, arousal?: number | null): ReadingInput => ({
  t,
  valence,
  smoothed: valence,
  state: valence === null ? 'no-speech' : 'speech',
  ...(arousal !== undefined ? { arousal } : {}),
});

describe('summariseSession', () => {
  it('by hand: speech time, mean, range, and time in each band (|v| <= 0.15 neutral)', () => {
    const s = summariseSession([r(0.5, 0.5), r(1, null), r(1.5, -0.2), r(2, 0.1), r(2.5, 0.9)], 0.5);
    expect(s).toMatchObject({ durationSeconds: 2.5, speechSeconds: 2, min: -0.2, max: 0.9, positiveSeconds: 1, neutralSeconds: 0.5, negativeSeconds: 0.5, meanArousal: null });
    expect(s.mean).toBeCloseTo((0.5 - 0.2 + 0.1 + 0.9) / 4, 12);
    expect(summaryText(s, formatDuration)).toBe('speech 2 s of 3 s · mean +0.33, from -0.20 to +0.90 · positive 50% · neutral 25% · negative 25%');
  });

  it('without speech says so; arousal is averaged where the session has it', () => {
    expect(summaryText(summariseSession([r(0.5, null), r(1, null)], 0.5), formatDuration)).toBe('no speech in 1 s');
    const s = summariseSession([r(0.5, 0.2, 0.6), r(1, null, null), r(1.5, -0.4, -0.2)], 0.5);
    expect(s.meanArousal).toBeCloseTo(0.2, 12);
    expect(summaryText(s, formatDuration)).toContain('mean arousal +0.20');
  });

  it("equals the figures computed from the session's CSV", () => {
    const readings = Array.from({ length: 120 }, (_, i) => r((i + 1) * 0.25, i % 7 === 3 ? null : Math.sin(i * 0.37) * 0.8));
    const session: SessionWithReadings = { id: 1, startedAt: 0, endedAt: 30_000, modelId: 'm', modelName: 'm', backend: 'wasm', hopSeconds: 0.25, readingCount: 120, lastT: 30, readings };
    const rows = sessionToCsv(session).trim().split('\r\n').slice(1).map((line) => line.split(','));
    const values = rows.map((c) => c[2]).filter((c) => c !== '').map(Number);
    const s = summariseSession(readings, 0.25);
    expect(s.speechSeconds).toBe(values.length * 0.25);
    expect(s.mean!).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 3); // CSV keeps 4 decimals
    expect(s.min!).toBeCloseTo(Math.min(...values), 4);
    expect(s.max!).toBeCloseTo(Math.max(...values), 4);
    expect(s.positiveSeconds).toBe(values.filter((v) => v > 0.15).length * 0.25);
    expect(s.negativeSeconds).toBe(values.filter((v) => v < -0.15).length * 0.25);
    expect(s.durationSeconds).toBe(Number(rows.at(-1)![0]));
  });
});
