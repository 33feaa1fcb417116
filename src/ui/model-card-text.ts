// What a model card means for a user, in plain words: what the model was trained on (the
// line under the gauge), how far to trust it on new voices (under the Models list), and a
// warning for a model that was not trained for live windows. Pure; cards differ in age and
// origin (trained here, imported from PyTorch), so every field is read defensively.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Corpus layouts the trainer detects, as a user would name them. */
const LAYOUT_NAMES: Record<string, string> = {
  ravdess: 'acted English sentences (RAVDESS)',
  turev: 'acted Turkish words (TurEV-DB)',
};

interface CorpusEntry {
  name: string;
  layout: string;
  heldOut: boolean;
}

function corpora(card: Json): CorpusEntry[] {
  const data = isObject(card.data) ? card.data : {};
  const list = Array.isArray(data.corpora) ? data.corpora.filter(isObject) : [];
  if (list.length > 0) {
    return list.map((c) => ({ name: String(c.name ?? ''), layout: String(c.layout ?? ''), heldOut: c.heldOut === true }));
  }
  // Cards from before several corpora: one source string.
  const source = typeof data.source === 'string' ? data.source : typeof data.corpus === 'string' ? data.corpus : '';
  const layout = /ravdess/i.test(source) ? 'ravdess' : /turev/i.test(source) ? 'turev' : '';
  return source ? [{ name: source, layout, heldOut: false }] : [];
}

/** "acted English sentences (RAVDESS) and acted Turkish words (TurEV-DB)"; '' when the card does not say. */
export function trainedOnText(card: Json): string {
  const names = corpora(card)
    .filter((c) => !c.heldOut)
    .map((c) => LAYOUT_NAMES[c.layout] ?? c.name);
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The line under the gauge: what the number is and what the model behind it learnt from,
 * e.g. "How positive or negative the voice sounds over the last ~8 s (and how activated,
 * beside it). Model trained on acted English sentences (RAVDESS)."
 */
export function readingExplanation(card: Json, arousal: boolean): string {
  const what = `How positive or negative the voice sounds over the last ~8 s${arousal ? ' (and how activated, beside it)' : ''}.`;
  const on = trainedOnText(card);
  return on ? `${what} Model trained on ${on}.` : what;
}

/** A CCC in words: how well readings follow the labels. */
export function agreementWord(ccc: number): string {
  if (ccc >= 0.6) return 'good';
  if (ccc >= 0.4) return 'fair';
  if (ccc >= 0.2) return 'weak';
  return 'near chance';
}

const scored = (label: string, ccc: number | null) => (ccc === null ? null : `${label} ${agreementWord(ccc)} (CCC ${ccc.toFixed(2)})`);

/** CCCs of one dimension set: { valence: {ccc}, arousal: {ccc} } as cards write them. */
function dims(entry: Json): { valence: number | null; arousal: number | null } {
  const v = isObject(entry.valence) ? num(entry.valence.ccc) : num(entry.ccc);
  const a = isObject(entry.arousal) ? num(entry.arousal.ccc) : null;
  return { valence: v, arousal: a };
}

function joinScores(d: { valence: number | null; arousal: number | null }): string {
  return [scored('valence', d.valence), scored('arousal', d.arousal)].filter((x) => x !== null).join(', ');
}

/**
 * How far to trust the model, in one or two sentences: on new speakers of its training
 * corpora (validation), and on corpora it never heard (metrics.carryOver, leave-one-corpus-
 * out runs of the same recipe) or a warning that this was not measured.
 */
export function reliabilityText(card: Json): string {
  const metrics = isObject(card.metrics) ? card.metrics : {};
  const perCorpus = Array.isArray(metrics.corpora) ? metrics.corpora.filter(isObject) : [];
  const sentences: string[] = [];
  const seen = perCorpus
    .map((c) => ({ name: String(c.corpus ?? ''), scores: joinScores(dims(c)) }))
    .filter((c) => c.scores !== '');
  if (seen.length > 0) {
    sentences.push(`On new speakers of its training data: ${seen.map((c) => `${c.name} ${c.scores}`).join('; ')}.`);
  } else {
    const val = isObject(metrics.validation) ? metrics.validation : metrics;
    const scores = joinScores(dims(val));
    if (scores) sentences.push(`On new speakers of its training data: ${scores}.`);
  }
  const carry = Array.isArray(metrics.carryOver) ? metrics.carryOver.filter(isObject) : [];
  const away = carry.map((c) => ({ name: String(c.heldOut ?? ''), scores: joinScores(dims(c)) })).filter((c) => c.scores !== '');
  if (away.length > 0) {
    sentences.push(`On a corpus left out of training (the same recipe): ${away.map((c) => `${c.name} ${c.scores}`).join('; ')}.`);
  } else if (sentences.length > 0) {
    sentences.push('Not measured on other languages or microphones: expect less there.');
  }
  return sentences.join(' ');
}

/**
 * A warning for a model trained on the report's start-aligned clips rather than live windows
 * (no augmentation, no loudness normalisation): its live readings can be far off. Null otherwise.
 */
export function liveWarning(card: Json): string | null {
  const recipe = isObject(card.recipe) ? card.recipe : null;
  const preset = recipe && typeof recipe.preset === 'string' ? recipe.preset : null;
  const augment = recipe && isObject(recipe.augment) ? recipe.augment : null;
  // Cards imported from PyTorch describe their training in words.
  const training = isObject(card.training) ? card.training : null;
  const startAligned = preset === 'seed' || (augment !== null && augment.placement === 'start') || training?.augmentation === 'none';
  if (!startAligned) return null;
  return "This model was trained on whole clips aligned at their start (the report's recipe), not on live windows: its live readings can be far off (such a model read happy speech as negative). Prefer a model trained with the live recipe.";
}
