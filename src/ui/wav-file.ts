// Encodes mono float samples as a 32-bit float WAV file, for "download this session's
// audio": float keeps the captured samples bit for bit, so `npm run analyze` on the file
// sees exactly what the live monitor saw. Pure, so it is tested in Node.

/** A WAV (RIFF, format 3 = IEEE float, mono) holding `samples` at `sampleRate`. */
export function floatWav(samples: Float32Array, sampleRate: number): Uint8Array<ArrayBuffer> {
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) throw new RangeError(`bad sample rate ${sampleRate}`);
  const dataBytes = samples.length * 4;
  const bytes = new Uint8Array(44 + dataBytes);
  const v = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 3, true); // IEEE float
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 4, true); // bytes per second
  v.setUint16(32, 4, true); // block align
  v.setUint16(34, 32, true); // bits per sample
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) v.setFloat32(44 + 4 * i, samples[i], true);
  return bytes;
}
