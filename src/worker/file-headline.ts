// One answer per file (issue 11 item 6), defined here once and used by `npm run analyze`
// (with or without --timeline) and by the page's file analysis, which both call
// analyzeFileWithHeadline (analyze-file.ts). No signal code here: the page words the rule. A clip of at most 7.7 s gets the report's rule: the whole clip
// in one window (zero-padded at the end), as the model was trained and scored on clips. A
// longer file gets the mean of its speech readings: the live monitor's 7.7 s windows every
// hop, over the stretches where its speech gate hears speech. A file in which the gate
// never hears speech gets none. The rule goes with the figure.
import { TARGET_RATE, WINDOW_LENGTH } from '../dsp/params.ts';
import { clampUnit } from '../model/output-range.ts';
import type { LiveReading } from './protocol.ts';

/** Longest clip (seconds) the report's rule reads whole: one 61500-sample window at 8 kHz. */
export const REPORT_WINDOW_SECONDS = WINDOW_LENGTH / TARGET_RATE;

export type HeadlineRule = 'report-window' | 'speech-mean' | 'no-speech';

/** A file's one figure, and the rule that made it. */
export interface FileHeadline {
  rule: HeadlineRule;
  /** Within [-1, 1]; null for 'no-speech'. */
  valence: number | null;
  /** Same, for a two-output model; null otherwise. */
  arousal: number | null;
  /** Speech readings the mean is over ('speech-mean'; 0 otherwise). */
  speechReadings: number;
  /** Seconds between the readings (the hop the timeline used). */
  hopSeconds: number;
}

/** Whether a file of `frames` samples at `rate` Hz fits the report's one window. */
export function fitsReportWindow(frames: number, rate: number): boolean {
  return Math.ceil((frames * TARGET_RATE) / rate) <= WINDOW_LENGTH;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The headline of a file from its timeline, or from its report window when it fits one. */
export function fileHeadline(
  readings: readonly LiveReading[],
  report: { valence: number; arousal: number | null } | null,
  hopSeconds: number,
): FileHeadline {
  const voiced = readings.filter((r): r is LiveReading & { valence: number } => r.speech && r.valence !== null);
  // A file the speech gate never hears speech in gets no figure, however short.
  if (voiced.length === 0) return { rule: 'no-speech', valence: null, arousal: null, speechReadings: 0, hopSeconds };
  if (report) {
    const arousal = report.arousal === null ? null : clampUnit(report.arousal);
    return { rule: 'report-window', valence: clampUnit(report.valence), arousal, speechReadings: 0, hopSeconds };
  }
  const arousals = voiced.map((r) => r.arousal).filter((a): a is number => a !== null);
  return {
    rule: 'speech-mean',
    valence: mean(voiced.map((r) => r.valence)),
    arousal: arousals.length === voiced.length ? mean(arousals) : null,
    speechReadings: voiced.length,
    hopSeconds,
  };
}

/** The rule in words, for the CLI's table and the page ("mean of 18 speech readings, ..."). */
export function headlineRuleText(h: FileHeadline): string {
  const window = `${REPORT_WINDOW_SECONDS.toFixed(1)} s`;
  switch (h.rule) {
    case 'report-window':
      return `whole clip in one ${window} window, the rule for clips up to ${window}`;
    case 'speech-mean':
      return `mean of ${h.speechReadings} speech reading${h.speechReadings === 1 ? '' : 's'}, ${window} windows every ${h.hopSeconds} s`;
    case 'no-speech':
      return 'no speech found';
  }
}
