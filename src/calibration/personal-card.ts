// The card of a personal model (issue 16 section 2): what it was made from (the base model,
// the clip count, the date), how (the recipe, the folds) and its honest score on the
// user's own clips, before and after (calibrate.ts's k-fold report). It keeps what the
// model needs to read audio like its base (the loudness normalisation, the features'
// description) and leaves out the base's own scores, which do not describe it. Pure:
// the calibration worker writes it, the model list and the calibration view read it.
import type { CalibrationReport } from '../training/personalize/calibrate.ts';
import type { PersonalizeRecipe } from '../training/personalize/recipe.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Where a personal model came from: the base model (its store id or folder, and name) and when. */
export interface PersonalOrigin {
  baseId: string;
  baseName: string;
  /** ISO date-time of the calibration. */
  createdAt: string;
}

/** The card's `personal` entry. */
export interface PersonalEntry extends PersonalOrigin {
  clips: number;
  folds: number;
  before: CalibrationReport['before'];
  after: CalibrationReport['after'];
  recipe: PersonalizeRecipe;
}

/** The base card's fields a personal model keeps (the rest describes the base's training and scores). */
const KEPT = ['normalisation', 'data', 'recipe', 'features'] as const;

export function personalCard(base: Readonly<Json>, entry: PersonalEntry): Json {
  const card: Json = {};
  for (const key of KEPT) if (base[key] !== undefined) card[key] = base[key];
  return { ...card, name: `${entry.baseName} (personal)`, date: entry.createdAt.slice(0, 10), personal: entry };
}

/** What a personal card says, for lists; null for any other card. */
export interface PersonalSummary {
  baseId: string;
  baseName: string;
  date: string;
  clips: number;
  folds: number;
  /** Valence CCC on the user's clips: the base's, and each clip by a model that did not train on it. */
  before: number | null;
  after: number | null;
}

const ccc = (set: unknown): number | null => (isObject(set) && isObject(set.valence) ? num(set.valence.ccc) : null);

export function personalSummary(card: Readonly<Json>): PersonalSummary | null {
  const p = card.personal;
  if (!isObject(p)) return null;
  return {
    baseId: typeof p.baseId === 'string' ? p.baseId : '',
    baseName: typeof p.baseName === 'string' ? p.baseName : 'an unknown model',
    date: typeof p.createdAt === 'string' ? p.createdAt.slice(0, 10) : '',
    clips: num(p.clips) ?? 0,
    folds: num(p.folds) ?? 0,
    before: ccc(p.before),
    after: ccc(p.after),
  };
}

const cccText = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));

/**
 * One sentence for the model list: "Fine-tuned from X on 14 of your clips on 2026-12-02.
 * Valence on your clips: CCC 0.03 before, 0.41 after (4-fold: each clip read by a model
 * that did not train on it)."
 */
export function personalText(s: PersonalSummary): string {
  const made = `Fine-tuned from ${s.baseName} on ${s.clips} of your clips${s.date ? ` on ${s.date}` : ''}.`;
  const score = `Valence on your clips: CCC ${cccText(s.before)} before, ${cccText(s.after)} after (${s.folds}-fold: each clip read by a model that did not train on it).`;
  return `${made} ${score}`;
}
