// Power -> dB as torchaudio's AmplitudeToDB(stype="power", top_db): 10 * log10(max(x,
// amin)), then everything below (max - top_db) raised to it, per spectrogram.
import { DB } from './params.ts';
import type { Spectrogram } from './spectrogram.ts';
import { SignalError } from './validate.ts';

const f32 = Math.fround;
// torch clamps a float32 tensor, so amin is the float32 nearest 1e-10.
const AMIN = f32(DB.amin);

export function powerToDb(spec: Spectrogram, topDb: number = DB.topDb): Spectrogram {
  if (typeof topDb !== 'number' || Number.isNaN(topDb) || topDb < 0) {
    throw new SignalError(`top_db must be a number >= 0, got ${String(topDb)}`);
  }
  const src = spec.data;
  const out = new Float32Array(src.length);
  let max = -Infinity;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (Number.isNaN(v)) throw new SignalError(`Mel spectrogram has a NaN at index ${i}`);
    // log10 then * 10, each rounded to float32 as torch's float32 ops are.
    const db = f32(10 * f32(Math.log10(v > AMIN ? v : AMIN)));
    out[i] = db;
    if (db > max) max = db;
  }
  const floor = f32(max - topDb);
  for (let i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
  return { data: out, nMels: spec.nMels, nFrames: spec.nFrames };
}
