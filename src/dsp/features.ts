// Turns a Mel power spectrogram into the features a model reads (SPEC section 1:
// "power", the report's raw Mel power, or "db", AmplitudeToDB with top_db 80).
import type { FeatureType } from './params.ts';
import { DB } from './params.ts';
import { powerToDb, type Spectrogram } from './mel.ts';

export function toFeatures(melPower: Spectrogram, type: FeatureType): Spectrogram {
  return type === 'db' ? powerToDb(melPower, DB.topDb) : melPower;
}
