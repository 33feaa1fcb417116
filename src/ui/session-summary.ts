// What a listening session amounted to, from its stored readings: how long it ran, how much
// of it was speech, the mean, lowest and highest valence, and the time spent positive,
// neutral and negative (the gauge's bands). The app shows it after Stop and for every saved
// session; the numbers are those of the session's CSV rows (valence column, one hop each).
import { formatValence, valenceLabel } from './valence-scale.ts';
import type { ReadingInput } from '../storage/session-store.ts';

export interface SessionSummary {
  /** Seconds from the start to the last reading. */
  durationSeconds: number;
  /** Seconds of readings with a valence (one hop each). */
  speechSeconds: number;
  /** Mean, lowest and highest valence over those readings; null without any. */
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Seconds of readings the gauge labels positive, neutral and negative (valence-scale.ts). */
  positiveSeconds: number;
  neutralSeconds: number;
  negativeSeconds: number;
  /** Mean arousal where the session has it (a two-output model); else null. */
  meanArousal: number | null;
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function summariseSession(readings: readonly ReadingInput[], hopSeconds: number): SessionSummary {
  const values = readings.map((r) => r.valence).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const arousal = readings.map((r) => r.arousal).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const count = (label: ReturnType<typeof valenceLabel>) => values.filter((v) => valenceLabel(v) === label).length * hopSeconds;
  return {
    durationSeconds: readings.length ? Math.max(...readings.map((r) => r.t)) : 0,
    speechSeconds: values.length * hopSeconds,
    mean: mean(values),
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null,
    positiveSeconds: count('positive'),
    neutralSeconds: count('neutral'),
    negativeSeconds: count('negative'),
    meanArousal: mean(arousal),
  };
}

const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

/**
 * The summary in words, e.g. "speech 42 s of 1 min 05 s · mean +0.12, from -0.40 to +0.55 ·
 * positive 30% · neutral 50% · negative 20%"; without speech, "no speech in 12 s".
 */
export function summaryText(s: SessionSummary, formatDuration: (seconds: number) => string): string {
  if (s.mean === null || s.min === null || s.max === null) return `no speech in ${formatDuration(s.durationSeconds)}`;
  const w = s.speechSeconds;
  return [
    `speech ${formatDuration(w)} of ${formatDuration(s.durationSeconds)}`,
    `mean ${formatValence(s.mean)}, from ${formatValence(s.min)} to ${formatValence(s.max)}`,
    `positive ${percent(s.positiveSeconds, w)} · neutral ${percent(s.neutralSeconds, w)} · negative ${percent(s.negativeSeconds, w)}`,
    ...(s.meanArousal !== null ? [`mean arousal ${formatValence(s.meanArousal)}`] : []),
  ].join(' · ');
}
