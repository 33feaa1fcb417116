// Mixes channels to mono by averaging (SPEC section 1: "mono (average the channels)").
import { SignalError } from './validate.ts';

export function toMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) throw new SignalError('audio has no channels');
  if (channels.length === 1) return channels[0];
  const n = channels[0].length;
  if (channels.some((c) => c.length !== n)) throw new SignalError('audio channels differ in length');
  const out = new Float32Array(n);
  const scale = 1 / channels.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const c of channels) s += c[i];
    out[i] = s * scale;
  }
  return out;
}
