// Test support: writes WAV bytes by hand, independently of the decoder under test, and
// measures how many bytes a call leaves on the JS heap, for the "allocates nothing"
// promises of the audio-thread code.
import { getHeapStatistics } from 'node:v8';

/** A minimal WAV writer, independent of the decoder under test. */
export function wavBytes(opts: { rate: number; bits: number; float?: boolean; frames: number[][] }): Uint8Array {
  const { rate, bits, float = false, frames } = opts;
  const nch = frames[0].length;
  const bps = bits / 8;
  const dataLen = frames.length * nch * bps;
  const buf = new ArrayBuffer(44 + dataLen);
  const v = new DataView(buf);
  const str = (o: number, s: string) => [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)));
  str(0, 'RIFF'); v.setUint32(4, 36 + dataLen, true); str(8, 'WAVE');
  str(12, 'fmt '); v.setUint32(16, 16, true); v.setUint16(20, float ? 3 : 1, true);
  v.setUint16(22, nch, true); v.setUint32(24, rate, true); v.setUint32(28, rate * nch * bps, true);
  v.setUint16(32, nch * bps, true); v.setUint16(34, bits, true);
  str(36, 'data'); v.setUint32(40, dataLen, true);
  let o = 44;
  for (const fr of frames) {
    for (const s of fr) {
      if (float) v.setFloat32(o, s, true);
      else if (bits === 8) v.setUint8(o, s + 128);
      else if (bits === 16) v.setInt16(o, s, true);
      else if (bits === 32) v.setInt32(o, s, true);
      else if (bits === 24) { v.setUint8(o, s & 0xff); v.setUint8(o + 1, (s >> 8) & 0xff); v.setInt8(o + 2, s >> 16); }
      o += bps;
    }
  }
  return new Uint8Array(buf);
}

// Heap growth per call: no timing and no --expose-gc. It reads V8's used heap size around a
// batch of calls, and takes the smallest result of a few consecutive batches, because a
// garbage collection can hide allocations in one batch (the heap shrinks) and a JIT
// compilation can add a few kilobytes to another.

/** Consecutive clean batches that must all stay low (a GC cannot hide in all of them). */
const RUN = 3;

/**
 * Calls `fn` `calls` times per batch, up to `batches` batches (the first ones also warm it
 * up), and returns the least, over every RUN consecutive batches without a visible
 * collection, of their largest heap growth per call, in bytes. A call that allocates any
 * object (16 bytes at least) gives >= 16, or Infinity when it fills the young generation in
 * every batch; one that allocates nothing gives well under 1.
 */
export function heapBytesPerCall(fn: () => void, calls = 20_000, batches = 40): number {
  let best = Infinity;
  const recent: number[] = [];
  for (let b = 0; b < batches; b++) {
    const before = getHeapStatistics().used_heap_size;
    for (let i = 0; i < calls; i++) fn();
    const after = getHeapStatistics().used_heap_size;
    if (after < before) {
      recent.length = 0; // a collection ran: this batch says nothing
      continue;
    }
    recent.push((after - before) / calls);
    if (recent.length > RUN) recent.shift();
    if (recent.length === RUN) best = Math.min(best, Math.max(...recent));
    if (best < 0.05) break;
  }
  return best;
}
