// Where the speech of a clip lies: from the first to the last loud block (one Mel hop, 512
// samples at 8 kHz) within SPAN_RANGE_DB of the loudest. Corpora pad their utterances with
// room tone (RAVDESS about a second each side); training crops that must hold speech draw
// inside this span. Pure.
import { MEL } from './params.ts';

/** A block is speech when its mean square is within this many dB of the loudest block's. */
export const SPAN_RANGE_DB = 30;

/** Sample range [start, end) from the first to the last speech block of `x`; null for digital silence. */
export function speechSpan(x: Float32Array, rangeDb: number = SPAN_RANGE_DB): { start: number; end: number } | null {
  const block = MEL.hopLength;
  const n = Math.ceil(x.length / block);
  const power = new Float64Array(n);
  let max = 0;
  for (let b = 0; b < n; b++) {
    const from = b * block;
    const to = Math.min(from + block, x.length);
    let s = 0;
    for (let i = from; i < to; i++) s += x[i] * x[i];
    power[b] = s / (to - from);
    if (power[b] > max) max = power[b];
  }
  if (!(max > 0)) return null;
  const floor = max * 10 ** (-rangeDb / 10);
  let first = 0;
  while (power[first] < floor) first++;
  let last = n - 1;
  while (power[last] < floor) last--;
  return { start: first * block, end: Math.min(x.length, (last + 1) * block) };
}
