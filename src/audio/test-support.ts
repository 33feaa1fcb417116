// Test support: writes WAV bytes by hand, independently of the decoder under test, and
// measures how many bytes a call leaves on the JS heap, for the "allocates nothing"
// promises of the audio-thread code.
import { getHeapStatistics } from 'node:v8';

/** KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT: the format code, then this fixed GUID tail. */
const GUID_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

export interface WavBytesOptions {
  rate: number;
  /** Bits per stored sample: 8, 16, 24, 32 (integer) or 32, 64 (float). */
  bits: number;
  float?: boolean;
  /**
   * Write a WAVE_FORMAT_EXTENSIBLE (0xFFFE) header whose sub-format GUID carries this format
   * code (1 PCM, 3 float by default from `float`): as sox writes it for >16-bit integer or >2 channels.
   */
  extensible?: boolean | { subFormat: number };
  /** Format code in a plain (non-extensible) header, overriding 1 / 3 from `float`. */
  formatCode?: number;
  /** Frames of samples (integers as stored, but 8-bit as signed; floats as they are). */
  frames: number[][];
}

/** A minimal WAV writer, independent of the decoder under test. */
export function wavBytes(opts: WavBytesOptions): Uint8Array {
  const { rate, bits, float = false, frames } = opts;
  const nch = frames[0].length;
  const bps = bits / 8;
  const dataLen = frames.length * nch * bps;
  const code = float ? 3 : 1;
  const ext = opts.extensible === undefined || opts.extensible === false ? null : opts.extensible === true ? { subFormat: code } : opts.extensible;
  const fmtLen = ext ? 40 : 16;
  const head = 20 + fmtLen + 8;
  const buf = new ArrayBuffer(head + dataLen + (dataLen % 2)); // odd data is padded to even
  const v = new DataView(buf);
  const str = (o: number, s: string) => [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)));
  str(0, 'RIFF'); v.setUint32(4, buf.byteLength - 8, true); str(8, 'WAVE');
  str(12, 'fmt '); v.setUint32(16, fmtLen, true); v.setUint16(20, ext ? 0xfffe : (opts.formatCode ?? code), true);
  v.setUint16(22, nch, true); v.setUint32(24, rate, true); v.setUint32(28, rate * nch * bps, true);
  v.setUint16(32, nch * bps, true); v.setUint16(34, bits, true);
  if (ext) {
    v.setUint16(36, 22, true); // cbSize
    v.setUint16(38, bits, true); // valid bits
    v.setUint32(40, nch === 2 ? 3 : nch === 1 ? 4 : 0, true); // channel mask: FL|FR, or FC
    v.setUint32(44, ext.subFormat, true);
    GUID_TAIL.forEach((b, i) => v.setUint8(48 + i, b));
  }
  str(head - 8, 'data'); v.setUint32(head - 4, dataLen, true);
  let o = head;
  for (const fr of frames) {
    for (const s of fr) {
      if (float && bits === 64) v.setFloat64(o, s, true);
      else if (float) v.setFloat32(o, s, true);
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
