// Turns a Mel power spectrogram into the features a model reads (SPEC section 1:
// "power", the report's raw Mel power, or "db", AmplitudeToDB with top_db 80; and
// "db-band-mean", those dB less each band's mean over the window's speech frames).
import type { FeatureType } from './params.ts';
import { DB } from './params.ts';
import { powerToDb, type Spectrogram } from './mel.ts';
import { removeBandMeans } from './band-mean.ts';

export function toFeatures(melPower: Spectrogram, type: FeatureType): Spectrogram {
  if (type === 'power') return melPower;
  const db = powerToDb(melPower, DB.topDb);
  return type === 'db-band-mean' ? removeBandMeans(db, melPower) : db;
}
