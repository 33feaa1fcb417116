// The user's baseline (issue 16 section 2, first level): the mean reading of their neutral
// calibration clips becomes their zero. Each clip's reading is its file figure, the one
// `npm run analyze` prints for it (src/worker/file-headline.ts), so the baseline can be
// checked against the CLI. A re-centred reading is the reading minus the baseline, kept on
// the scale's [-1, 1]. Pure: the worker computes the figures, the UI shows the result.
import { clampUnit } from '../model/output-range.ts';
import type { Emotion } from '../training/labels.ts';

/** The emotion whose clips make the baseline (its label is valence 0, arousal 0). */
export const BASELINE_EMOTION: Emotion = 'neutral';

/** A neutral clip's figure: its valence (and arousal for a two-output model); null where the clip has none. */
export interface ClipFigure {
  valence: number | null;
  arousal: number | null;
}

export interface Baseline {
  /** Mean valence of the neutral clips' figures. */
  valence: number;
  /** Mean arousal, for a two-output model (every figure has one); null otherwise. */
  arousal: number | null;
  /** How many clips the means are over (those with a figure). */
  clips: number;
}

/**
 * The baseline over the neutral clips' figures; null when no clip has a figure (no neutral
 * clip, or none where speech was found). Clips without a figure are left out of both means.
 */
export function baselineOf(figures: readonly ClipFigure[]): Baseline | null {
  const used = figures.filter((f): f is ClipFigure & { valence: number } => f.valence !== null && Number.isFinite(f.valence));
  if (used.length === 0) return null;
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const arousals = used.map((f) => f.arousal).filter((a): a is number => a !== null && Number.isFinite(a));
  return {
    valence: mean(used.map((f) => f.valence)),
    arousal: arousals.length === used.length ? mean(arousals) : null,
    clips: used.length,
  };
}

/** `reading` relative to `zero` (reading - zero, clamped to [-1, 1]); null stays null, and no zero leaves it as it is. */
export function recentred(reading: number | null, zero: number | null): number | null {
  if (reading === null) return null;
  return zero === null ? reading : clampUnit(reading - zero);
}

/** The clips that make the baseline: those labelled neutral. */
export function baselineClips<C extends { emotion: Emotion }>(clips: readonly C[]): C[] {
  return clips.filter((c) => c.emotion === BASELINE_EMOTION);
}

/**
 * What the baseline depends on among the clips: which neutral clips, and which recording of
 * each (a clip recorded again keeps its id but not its time). Equal keys, same baseline.
 */
export function baselineClipsKey(clips: readonly { id: number; addedAt: number; emotion: Emotion }[]): string {
  return baselineClips(clips)
    .map((c) => `${c.id}@${c.addedAt}`)
    .join(',');
}
