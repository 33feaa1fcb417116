// Loudness of a window and its optional normalisation to a target level. A model trained
// with normalisation records it in its card (`card.normalisation`), and every path that
// feeds that model (evaluate, analyze, the live monitor) must apply the same one to the
// 61500-sample 8 kHz window before the Mel. Pure.
//
// The level is a gated RMS in the manner of EBU R128 (without its K-weighting): mean square
// over 512-sample blocks (one Mel hop), blocks under an absolute gate ignored (so zero fill
// and digital silence do not count), then blocks more than 10 dB under the gated mean
// ignored (pauses). So a clip's level does not depend on how much zero padding surrounds it.
import { MEL } from './params.ts';

/** Scale the window so its gated RMS level is `targetDb` dBFS, by at most `maxGainDb`. */
export interface LoudnessNormalisation {
  kind: 'gated-rms';
  /** Target level in dB relative to full scale (a full-scale sine is -3 dB). */
  targetDb: number;
  /** Largest boost in dB, so near-silent windows are not blown up into noise. */
  maxGainDb: number;
}

/**
 * Speech at -23 dBFS, at most +50 dB of boost: RAVDESS speech sits near -35 dBFS (gated), so
 * a recording 20 dB quieter needs over 30 dB; with a 30 dB cap such a recording lost a third
 * of its live-window CCC (0.41 -> 0.30), with 50 it kept it (0.40).
 */
export const DEFAULT_NORMALISATION: Readonly<LoudnessNormalisation> = Object.freeze({
  kind: 'gated-rms',
  targetDb: -23,
  maxGainDb: 50,
});

const BLOCK = MEL.hopLength;
const ABSOLUTE_GATE_DB = -70;
const RELATIVE_GATE_DB = -10;

export class LoudnessError extends Error {
  override name = 'LoudnessError';
}

/** Gated RMS level of `x` in dBFS, or null when nothing passes the absolute gate (silence). */
export function gatedLevelDb(x: Float32Array): number | null {
  const blocks: number[] = [];
  for (let start = 0; start < x.length; start += BLOCK) {
    const end = Math.min(start + BLOCK, x.length);
    let s = 0;
    for (let i = start; i < end; i++) s += x[i] * x[i];
    blocks.push(s / (end - start));
  }
  const absGate = 10 ** (ABSOLUTE_GATE_DB / 10);
  const loud = blocks.filter((m) => m >= absGate);
  if (loud.length === 0) return null;
  const relGate = (loud.reduce((a, b) => a + b, 0) / loud.length) * 10 ** (RELATIVE_GATE_DB / 10);
  const kept = loud.filter((m) => m >= relGate);
  return 10 * Math.log10(kept.reduce((a, b) => a + b, 0) / kept.length);
}

/**
 * The linear gain normalisation applies to `x` (1 for silence). The live path can apply it
 * to the Mel power instead of the samples (power scales by gain^2).
 */
export function normalisationGain(x: Float32Array, n: LoudnessNormalisation): number {
  const level = gatedLevelDb(x);
  if (level === null) return 1;
  return 10 ** (Math.min(n.targetDb - level, n.maxGainDb) / 20);
}

/** A normalised copy of `x`. */
export function normaliseLoudness(x: Float32Array, n: LoudnessNormalisation): Float32Array {
  const g = normalisationGain(x, n);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * g;
  return out;
}

/** Checks a normalisation from a card or a flag; throws naming the bad field. */
export function validateNormalisation(raw: unknown): LoudnessNormalisation {
  if (!raw || typeof raw !== 'object') throw new LoudnessError('normalisation must be an object');
  const r = raw as Partial<LoudnessNormalisation>;
  if (r.kind !== 'gated-rms') throw new LoudnessError(`normalisation: kind must be "gated-rms", got ${JSON.stringify(r.kind)}`);
  if (typeof r.targetDb !== 'number' || !Number.isFinite(r.targetDb) || r.targetDb > 0) {
    throw new LoudnessError(`normalisation: targetDb must be a number <= 0 (dBFS), got ${JSON.stringify(r.targetDb)}`);
  }
  if (typeof r.maxGainDb !== 'number' || !Number.isFinite(r.maxGainDb) || r.maxGainDb < 0) {
    throw new LoudnessError(`normalisation: maxGainDb must be a number >= 0, got ${JSON.stringify(r.maxGainDb)}`);
  }
  return { kind: 'gated-rms', targetDb: r.targetDb, maxGainDb: r.maxGainDb };
}

/** Key of the model card that records the normalisation a model expects. */
export const CARD_NORMALISATION_KEY = 'normalisation';

/** The normalisation a model's card asks for; null when it has none (the report's plain path). */
export function normalisationFromCard(card: Readonly<Record<string, unknown>>): LoudnessNormalisation | null {
  const raw = card[CARD_NORMALISATION_KEY];
  if (raw === undefined || raw === null) return null;
  try {
    return validateNormalisation(raw);
  } catch (e) {
    throw new LoudnessError(`model card: ${(e as Error).message}`);
  }
}
