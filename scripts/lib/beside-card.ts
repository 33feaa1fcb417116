// The card JSON a training run leaves beside its weights (scripts/torch/train_ddp.py writes
// DIR/card.json next to DIR/model.safetensors): what import-torch takes from it. The config
// gives the features and the output count (checked against the tensors); the loudness
// normalisation is checked here, since every path that feeds the model applies it; the
// run's record (data, recipe, metrics, history, timing, training) goes into the model card.
import { readFileSync } from 'node:fs';
import { CARD_NORMALISATION_KEY, validateNormalisation } from '../../src/dsp/loudness.ts';

/** Card fields that describe the run and are kept as they are. */
const RECORD_KEYS = ['date', 'command', 'data', 'recipe', 'metrics', 'history', 'timing', 'training'] as const;

export interface BesideCard {
  /** config.features, when the card names them. */
  features?: string;
  /** config.outputs (1 when absent). */
  outputs: number;
  /** What goes into the imported model's card, normalisation included (null: none). */
  record: Record<string, unknown>;
}

/** Reads and checks the card at `path`; throws naming the file and the bad field. */
export function readBesideCard(path: string): BesideCard {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the card ${path}: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`the card ${path} is not a JSON object`);
  const card = raw as Record<string, unknown>;
  const config = (card.config ?? {}) as Record<string, unknown>;
  if (typeof config !== 'object') throw new Error(`the card ${path}: config must be an object`);
  const outputs = config.outputs ?? 1;
  if (outputs !== 1 && outputs !== 2) throw new Error(`the card ${path}: config.outputs must be 1 or 2, got ${JSON.stringify(outputs)}`);
  if (config.features !== undefined && typeof config.features !== 'string') {
    throw new Error(`the card ${path}: config.features must be a string, got ${JSON.stringify(config.features)}`);
  }
  const record: Record<string, unknown> = {};
  for (const k of RECORD_KEYS) if (card[k] !== undefined) record[k] = card[k];
  const norm = card[CARD_NORMALISATION_KEY];
  try {
    record[CARD_NORMALISATION_KEY] = norm === undefined || norm === null ? null : validateNormalisation(norm);
  } catch (e) {
    throw new Error(`the card ${path}: ${(e as Error).message}`);
  }
  return { ...(config.features !== undefined ? { features: config.features } : {}), outputs, record };
}
