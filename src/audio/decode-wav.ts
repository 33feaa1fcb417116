// Decodes a WAV file's bytes to float samples: the header (wavHeader: the RIFF chunks walked
// to the data chunk, the fmt chunk read by the `wavefile` package) says where the samples
// lie, src/audio/wav-format.ts how they are stored (PCM 8/16/24/32-bit integer, 32/64-bit
// float, plain or WAVE_FORMAT_EXTENSIBLE), and decodeFrames decodes them, for the whole
// file or block by block (src/audio/wav-stream.ts). A file cut short is decoded as far as
// it goes and says so. Pure: no Node or DOM APIs, so scripts, tests and the browser share it.
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

/** What the header says: how the samples are stored, and where they lie in the file. */
export interface WavHeader {
  sampleRate: number;
  channels: number;
  encoding: SampleEncoding;
  littleEndian: boolean;
  /** Offset in the file of the data chunk's first sample byte. */
  dataStart: number;
  /** Bytes of audio the file holds: the data chunk's, or fewer where the file ends first. */
  presentBytes: number;
  /** Bytes the data chunk's header declares (null: the 0xFFFFFFFF placeholder). */
  declaredBytes: number | null;
  /** Whole frames the file holds. */
  frames: number;
}

const ascii = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

/**
 * Where the data chunk's samples start, walking the RIFF chunks from the file's start (each
 * padded to an even size); null when `head`, the file's first bytes, ends before the data
 * chunk's header (read more and ask again). Throws when the file has no data chunk.
 */
function findDataChunk(head: Uint8Array, fileLength: number, littleEndian: boolean): { start: number; declared: number } | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let at = 12;
  while (at + 8 <= head.byteLength) {
    const size = view.getUint32(at + 4, littleEndian);
    if (ascii(head, at) === 'data') return { start: at + 8, declared: size };
    at += 8 + size + (size % 2);
  }
  if (at + 8 > fileLength || head.byteLength >= fileLength) throw new AudioDecodeError('broken WAV file: no data chunk');
  return null;
}

/**
 * Reads the header from the file's first bytes (`head`; the whole file will do) and finds
 * the samples; wavefile reads the fmt chunk. Null when `head` ends before the data chunk's
 * header: read more of the file and call again. Throws AudioDecodeError.
 */
export function wavHeader(head: Uint8Array, fileLength: number): WavHeader | null {
  if (fileLength < 12 || head.byteLength < 12) throw new AudioDecodeError(`not a WAV file (${fileLength} bytes)`);
  const tag = ascii(head, 0);
  if ((tag !== 'RIFF' && tag !== 'RIFX' && tag !== 'RF64') || ascii(head, 8) !== 'WAVE') {
    throw new AudioDecodeError('not a WAV file (no RIFF/WAVE header)');
  }
  const littleEndian = tag !== 'RIFX';
  const chunk = findDataChunk(head, fileLength, littleEndian);
  if (chunk === null) return null;
  let wav: InstanceType<WaveFileClass>;
  try {
    // Only the chunks before the samples: wavefile would copy the whole data chunk.
    wav = new WaveFile(head.subarray(0, chunk.start));
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
  const declaredBytes = chunk.declared === SIZE_UNKNOWN ? null : chunk.declared;
  // A data chunk that runs past the end of the file (cut short, or no length declared) ends there.
  const presentBytes = Math.max(0, Math.min(fileLength - chunk.start, declaredBytes ?? Infinity));
  const { sampleRate, numChannels: channels } = fmt;
  const frames = Math.floor(presentBytes / ((channels * encoding.bits) / 8));
  return { sampleRate, channels, encoding, littleEndian, dataStart: chunk.start, presentBytes, declaredBytes, frames };
}

/** The header of a whole file's bytes. */
function wholeFileHeader(bytes: Uint8Array): WavHeader {
  const header = wavHeader(bytes, bytes.byteLength);
  if (header === null) throw new AudioDecodeError('broken WAV file: no data chunk'); // cannot happen: wavHeader throws for a whole file
  return header;
}

/** Bytes of one frame (a sample of every channel). */
export const frameBytes = (h: WavHeader) => (h.channels * h.encoding.bits) / 8;

/** Whether a header's file is cut short: how many bytes its data chunk declares and holds. */
export function truncationOf(h: WavHeader): WavTruncation | undefined {
  if (h.declaredBytes === null || h.presentBytes >= h.declaredBytes) return undefined;
  return { declaredBytes: h.declaredBytes, presentBytes: h.presentBytes, presentSeconds: h.frames / h.sampleRate };
}

/**
 * Whether a WAV file is cut short, without decoding it (for callers that skip the decoding,
 * e.g. on a cache hit). Throws AudioDecodeError where decodeWav would.
 */
export function wavTruncation(bytes: Uint8Array): WavTruncation | undefined {
  return truncationOf(wholeFileHeader(bytes));
}

/**
 * Decodes whole frames of sample bytes (`data`: from a frame's start; a partial frame at
 * the end is left out), one Float32Array per channel. The whole file and a stream of
 * blocks both decode through here, so a block boundary never changes a sample.
 */
export function decodeFrames(h: WavHeader, data: Uint8Array): Float32Array[] {
  const nch = h.channels;
  const sampleBytes = h.encoding.bits / 8;
  const frames = Math.floor(data.byteLength / (nch * sampleBytes));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read = sampleReader(view, h.encoding, h.littleEndian);
  return Array.from({ length: nch }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0, at = c * sampleBytes; i < frames; i++, at += nch * sampleBytes) out[i] = read(at);
    return out;
  });
}

export function decodeWav(bytes: Uint8Array): DecodedAudio {
  const h = wholeFileHeader(bytes);
  const channels = decodeFrames(h, bytes.subarray(h.dataStart, h.dataStart + h.frames * frameBytes(h)));
  const audio: DecodedAudio = { sampleRate: h.sampleRate, channels };
  const truncation = truncationOf(h);
  if (truncation) audio.truncation = truncation;
  return audio;
}
