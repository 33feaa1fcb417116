// How the app reads a valence number: its label, its text and its colour. Pure functions
// shared by the gauge and the timeline, so both draw the same scale.

/** |valence| up to this is "neutral" (the gauge's label and the timeline's band). */
export const NEUTRAL_BAND = 0.15;

export type ValenceLabel = 'negative' | 'neutral' | 'positive';

export function valenceLabel(valence: number): ValenceLabel {
  if (valence < -NEUTRAL_BAND) return 'negative';
  if (valence > NEUTRAL_BAND) return 'positive';
  return 'neutral';
}

/** Two decimals with a sign: "+0.42", "-0.07", and "0.00" (never "-0.00"). */
export function formatValence(valence: number): string {
  const text = Math.abs(valence).toFixed(2);
  if (text === '0.00') return text;
  return (valence < 0 ? '-' : '+') + text;
}

/** Clamps to the scale's [-1, 1]; NaN and infinities count as "no value". */
export function clampValence(valence: number | null | undefined): number | null {
  if (valence === null || valence === undefined || !Number.isFinite(valence)) return null;
  return Math.min(1, Math.max(-1, valence));
}

// Colour stops: red, a neutral grey, green. Mid-luminance so they read on light and dark.
const NEGATIVE: readonly [number, number, number] = [214, 69, 80];
const NEUTRAL: readonly [number, number, number] = [138, 143, 152];
const POSITIVE: readonly [number, number, number] = [46, 164, 96];

/**
 * Colour of a valence on the scale, as an rgb() string: grey at 0, saturating outward.
 * An ease-out curve makes moderate values (around ±0.4) clearly coloured, not greyish,
 * without a seam at 0.
 */
export function valenceColor(valence: number): string {
  const v = clampValence(valence) ?? 0;
  const f = 1 - (1 - Math.abs(v)) ** 2;
  const [from, to] = v < 0 ? [NEUTRAL, NEGATIVE] : [NEUTRAL, POSITIVE];
  const mix = (i: number) => Math.round(from[i] + (to[i] - from[i]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}
