// How the app reads an arousal number (SPEC section 3: -1 calm .. +1 excited): its label
// and its colour. Pure functions shared by the arousal meter and its tests; numbers are
// written and clamped as valence's are (valence-scale.ts), on the same -1 .. +1 range.

/** |arousal| up to this is "moderate" (the same width as valence's neutral band). */
export const MODERATE_BAND = 0.15;

export type ArousalLabel = 'calm' | 'moderate' | 'excited';

export function arousalLabel(arousal: number): ArousalLabel {
  if (arousal < -MODERATE_BAND) return 'calm';
  if (arousal > MODERATE_BAND) return 'excited';
  return 'moderate';
}

// Colour stops: a calm blue, the valence scale's neutral grey, an excited amber. Neither
// end is red or green, so arousal never reads as a valence colour.
const CALM: readonly [number, number, number] = [64, 130, 196];
const MIDDLE: readonly [number, number, number] = [138, 143, 152];
const EXCITED: readonly [number, number, number] = [222, 140, 40];

/** Colour of an arousal on its scale, as an rgb() string: grey at 0, blue at -1, amber at +1. */
export function arousalColor(arousal: number): string {
  const a = Number.isFinite(arousal) ? Math.min(1, Math.max(-1, arousal)) : 0;
  const f = 1 - (1 - Math.abs(a)) ** 2; // the valence scale's ease-out, for the same feel
  const to = a < 0 ? CALM : EXCITED;
  const mix = (i: number) => Math.round(MIDDLE[i] + (to[i] - MIDDLE[i]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

/** The scale's CSS gradient, left (calm) to right (excited). */
export const AROUSAL_GRADIENT = `linear-gradient(to right, ${[-1, -0.5, 0, 0.5, 1].map(arousalColor).join(', ')})`;
