// Test support: writes WAV bytes by hand, independently of the decoder under test.

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
