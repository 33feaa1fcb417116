// Leave-one-corpus-out results carried into a model's card (metrics.carryOver): each entry is
// one run of the same recipe trained without a corpus and scored on it at the epoch its
// other corpora's validation chose, so the card can say how the recipe does on a corpus it
// never heard (src/ui/model-card-text.ts words it for the app). Pure: scripts/carry-over.ts
// reads the run cards and writes the model's.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

export interface CarryOverEntry {
  heldOut: string;
  trainedOn: string[];
  /** The validation epoch that chose the weights scored. */
  epoch: number | null;
  valence: Json | null;
  arousal: Json | null;
  /** The run's command, to reproduce it. */
  command: string;
}

export class CarryOverError extends Error {
  override name = 'CarryOverError';
}

/** The entry of one leave-one-corpus-out run's card; throws naming what the card lacks. */
export function carryOverEntry(runCard: Json, where: string): CarryOverEntry {
  const metrics = isObject(runCard.metrics) ? runCard.metrics : null;
  const holdout = metrics && isObject(metrics.holdout) ? metrics.holdout : null;
  if (!holdout || typeof holdout.corpus !== 'string') {
    throw new CarryOverError(`${where}: the card has no metrics.holdout: train with --holdout-corpus NAME to make one`);
  }
  const data = isObject(runCard.data) ? runCard.data : {};
  const corpora = Array.isArray(data.corpora) ? data.corpora.filter(isObject) : [];
  const validation = isObject(metrics!.validation) ? metrics!.validation : {};
  return {
    heldOut: holdout.corpus,
    trainedOn: corpora.filter((c) => c.heldOut !== true).map((c) => String(c.name)),
    epoch: typeof validation.epoch === 'number' ? validation.epoch : null,
    valence: isObject(holdout.valence) ? holdout.valence : null,
    arousal: isObject(holdout.arousal) ? holdout.arousal : null,
    command: typeof runCard.command === 'string' ? runCard.command : '',
  };
}

/** `card` with metrics.carryOver set to `entries` (replacing any before). */
export function withCarryOver(card: Json, entries: readonly CarryOverEntry[]): Json {
  const metrics = isObject(card.metrics) ? card.metrics : {};
  return { ...card, metrics: { ...metrics, carryOver: entries } };
}
