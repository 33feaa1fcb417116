// Decodes a WAV file's bytes to float samples, with the `wavefile` package parsing the
// container (PCM 8/16/24/32-bit integer, 32/64-bit float, and the WAVE_FORMAT_EXTENSIBLE
// variants). Pure: no Node or DOM APIs, so scripts, tests and the browser can share it.
import * as wavefileModule from 'wavefile';

// Bundlers resolve wavefile's ES module (named export); Node's ESM loader gets its UMD build,
// whose exports sit on `default`. Take the class from whichever shape arrived.
type WaveFileClass = typeof wavefileModule.WaveFile;
const WaveFile: WaveFileClass =
  wavefileModule.WaveFile ?? (wavefileModule as unknown as { default: { WaveFile: WaveFileClass } }).default.WaveFile;

/** Audio as the signal path takes it: one Float32Array per channel, in [-1, 1]. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
}

export class AudioDecodeError extends Error {
  override name = 'AudioDecodeError';
}

interface WavFmt {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/** Scale from stored integers to [-1, 1), as torchaudio.load normalises them. */
function integerScale(bits: number): { offset: number; scale: number } {
  if (bits === 8) return { offset: 128, scale: 1 / 128 }; // 8-bit WAV is unsigned
  return { offset: 0, scale: 1 / 2 ** (bits - 1) };
}

export function decodeWav(bytes: Uint8Array): DecodedAudio {
  if (bytes.byteLength < 12) throw new AudioDecodeError(`not a WAV file (${bytes.byteLength} bytes)`);
  const tag = String.fromCharCode(...bytes.subarray(0, 4));
  const wave = String.fromCharCode(...bytes.subarray(8, 12));
  if ((tag !== 'RIFF' && tag !== 'RIFX' && tag !== 'RF64') || wave !== 'WAVE') {
    throw new AudioDecodeError('not a WAV file (no RIFF/WAVE header)');
  }
  let wav: InstanceType<WaveFileClass>;
  try {
    wav = new WaveFile(bytes);
  } catch (e) {
    throw new AudioDecodeError(`broken WAV file: ${(e as Error).message}`);
  }
  const fmt = wav.fmt as unknown as WavFmt;
  const bits = fmt.bitsPerSample;
  // 1 = PCM, 3 = IEEE float, 0xFFFE = extensible (its sub-format follows bitDepth).
  const isFloat = wav.bitDepth === '32f' || wav.bitDepth === '64';
  const isInt = ['8', '16', '24', '32'].includes(wav.bitDepth);
  if (!isFloat && !isInt) {
    throw new AudioDecodeError(`unsupported WAV encoding (format ${fmt.audioFormat}, ${bits} bits): use PCM or float`);
  }
  const nch = fmt.numChannels;
  if (!(nch >= 1)) throw new AudioDecodeError('WAV file declares no channels');
  if (!(fmt.sampleRate > 0)) throw new AudioDecodeError(`WAV file declares sample rate ${fmt.sampleRate}`);
  let raw: Float64Array | Float64Array[];
  try {
    raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  } catch (e) {
    throw new AudioDecodeError(`broken WAV file: ${(e as Error).message}`);
  }
  const planes = nch === 1 && !Array.isArray(raw) ? [raw as Float64Array] : (raw as Float64Array[]);
  const { offset, scale } = isFloat ? { offset: 0, scale: 1 } : integerScale(bits);
  const channels = planes.map((plane) => {
    const out = new Float32Array(plane.length);
    for (let i = 0; i < plane.length; i++) out[i] = (plane[i] - offset) * scale;
    return out;
  });
  return { sampleRate: fmt.sampleRate, channels };
}
