// Decodes a WAV file's bytes to float samples: the `wavefile` package finds the chunks,
// src/audio/wav-format.ts says how the samples are stored (PCM 8/16/24/32-bit integer,
// 32/64-bit float, plain or WAVE_FORMAT_EXTENSIBLE), and a file cut short is decoded as far
// as it goes and says so. Pure: no Node or DOM APIs, so scripts, tests and the browser share it.
import * as wavefileModule from 'wavefile';
import { wavSampleEncoding, type SampleEncoding, type WavFmtFields } from './wav-format.ts';

// Bundlers resolve wavefile's ES module (named export); Node's ESM loader gets its UMD build,
// whose exports sit on `default`. Take the class from whichever shape arrived. Reflect.get,
// not `.default`: the bundler knows the ES module has no default and warned on every build.
type WaveFileClass = typeof wavefileModule.WaveFile;
const WaveFile: WaveFileClass =
  wavefileModule.WaveFile ?? (Reflect.get(wavefileModule, 'default') as { WaveFile: WaveFileClass }).WaveFile;

/** A data chunk that ends before its header says: the file was cut short (a copy or a recording stopped). */
export interface WavTruncation {
  /** Bytes of audio the data chunk's header declares. */
  declaredBytes: number;
  /** Bytes of audio the file holds. */
  presentBytes: number;
  /** Seconds of audio read (the whole frames present). */
  presentSeconds: number;
}

/** Audio as the signal path takes it: one Float32Array per channel, in [-1, 1]. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
  /** Set when the file is cut short: the frames present are decoded, the reader should be warned. */
  truncation?: WavTruncation;
}

export class AudioDecodeError extends Error {
  override name = 'AudioDecodeError';
}

/** The warning for a cut-short file, in the same words wherever it is read (CLI, training, page). */
export function truncationWarning(file: string, t: WavTruncation): string {
  const missing = t.declaredBytes - t.presentBytes;
  return (
    `${file}: the WAV file is cut short: its data chunk declares ${t.declaredBytes} bytes but holds ${t.presentBytes} ` +
    `(${missing} bytes missing); only the ${t.presentSeconds.toFixed(3)} s present are analysed`
  );
}

interface WavFmt extends WavFmtFields {
  numChannels: number;
  sampleRate: number;
}

/** A data chunk size of 0xFFFFFFFF is a placeholder (RF64, or a writer that could not seek back): no length is declared. */
const SIZE_UNKNOWN = 0xffffffff;

/** Reads the sample at byte offset `at`, integers scaled to [-1, 1) as torchaudio.load does. */
function sampleReader(view: DataView, enc: SampleEncoding, le: boolean): (at: number) => number {
  if (enc.kind === 'float') return enc.bits === 64 ? (at) => view.getFloat64(at, le) : (at) => view.getFloat32(at, le);
  switch (enc.bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128; // 8-bit WAV is unsigned
    case 16:
      return (at) => view.getInt16(at, le) / 2 ** 15;
    case 24:
      return le
        ? (at) => (view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 2 ** 23
        : (at) => ((view.getInt8(at) << 16) | (view.getUint8(at + 1) << 8) | view.getUint8(at + 2)) / 2 ** 23;
    default:
      return (at) => view.getInt32(at, le) / 2 ** 31;
  }
}

/** What the header says: how the samples are stored, and where they lie in the file's bytes. */
interface WavLayout {
  sampleRate: number;
  channels: number;
  encoding: SampleEncoding;
  littleEndian: boolean;
  /** The data chunk's bytes as wavefile copies them (to the pad byte, or to the end of a file cut short). */
  data: Uint8Array;
  /** Bytes of audio the file holds: the data chunk's, or fewer where the file ends first. */
  presentBytes: number;
  /** Bytes the data chunk's header declares (null: the 0xFFFFFFFF placeholder). */
  declaredBytes: number | null;
}

/** Reads the header and finds the samples (wavefile finds the chunks). Throws AudioDecodeError. */
function wavLayout(bytes: Uint8Array): WavLayout {
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
  // The encoding comes from the fmt chunk (and its GUID), not from wavefile's bit-depth code,
  // which takes only format 3 as float.
  const fmt = wav.fmt as unknown as WavFmt;
  const encoding = wavSampleEncoding(fmt);
  if ('unsupported' in encoding) throw new AudioDecodeError(encoding.unsupported);
  if (!(fmt.numChannels >= 1)) throw new AudioDecodeError('WAV file declares no channels');
  if (!(fmt.sampleRate > 0)) throw new AudioDecodeError(`WAV file declares sample rate ${fmt.sampleRate}`);
  // wavefile's internals (findChunk, the chunk offsets) are renamed in its Node build: only
  // `data` (size, and the bytes to the pad byte or the end of the file) is there in both.
  const { chunkSize, samples: data } = wav.data as unknown as { chunkSize: number; samples: Uint8Array };
  const declaredBytes = chunkSize === SIZE_UNKNOWN ? null : chunkSize;
  const presentBytes = Math.min(data.byteLength, declaredBytes ?? Infinity);
  const { sampleRate, numChannels: channels } = fmt;
  return { sampleRate, channels, encoding, littleEndian: tag !== 'RIFX', data, presentBytes, declaredBytes };
}

/** Whole frames the file holds. */
const framesOf = (l: WavLayout) => Math.floor(l.presentBytes / ((l.channels * l.encoding.bits) / 8));

function truncationOf(l: WavLayout): WavTruncation | undefined {
  if (l.declaredBytes === null || l.presentBytes >= l.declaredBytes) return undefined;
  return { declaredBytes: l.declaredBytes, presentBytes: l.presentBytes, presentSeconds: framesOf(l) / l.sampleRate };
}

/**
 * Whether a WAV file is cut short, without decoding it (for callers that skip the decoding,
 * e.g. on a cache hit). Throws AudioDecodeError where decodeWav would.
 */
export function wavTruncation(bytes: Uint8Array): WavTruncation | undefined {
  return truncationOf(wavLayout(bytes));
}

export function decodeWav(bytes: Uint8Array): DecodedAudio {
  const layout = wavLayout(bytes);
  const { channels: nch, encoding } = layout;
  const sampleBytes = encoding.bits / 8;
  const frames = framesOf(layout);
  const view = new DataView(layout.data.buffer, layout.data.byteOffset, layout.presentBytes);
  const read = sampleReader(view, encoding, layout.littleEndian);
  const channels = Array.from({ length: nch }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0, at = c * sampleBytes; i < frames; i++, at += nch * sampleBytes) out[i] = read(at);
    return out;
  });
  const audio: DecodedAudio = { sampleRate: layout.sampleRate, channels };
  const truncation = truncationOf(layout);
  if (truncation) audio.truncation = truncation;
  return audio;
}
