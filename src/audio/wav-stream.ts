// A WAV file read block by block, for files of any length: the header from the file's first
// bytes, then the samples a block of frames at a time, mixed to mono, so memory holds one
// block rather than the file (the CLI's analyze and the page's file analysis). The bytes come
// from a ByteSource (a Node file handle, a browser Blob); the decoding is decode-wav.ts's,
// the mixing mono.ts's, so the blocks put together equal toMono(decodeWav(file).channels).
import { AudioDecodeError, decodeFrames, frameBytes, truncationOf, wavHeader, type WavHeader, type WavTruncation } from './decode-wav.ts';
import { toMono } from '../dsp/mono.ts';

/** Random access to a file's bytes. */
export interface ByteSource {
  /** The file's length in bytes. */
  readonly size: number;
  /** `length` bytes from `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Frames per block: 2^16 (4.1 s at 16 kHz; 256 KiB of mono float32). */
export const BLOCK_FRAMES = 1 << 16;
/** The first read for the header; doubled until it reaches the data chunk (metadata chunks may come first). */
const HEAD_BYTES = 1 << 16;

export interface WavStream {
  sampleRate: number;
  channels: number;
  /** Whole frames the file holds. */
  frames: number;
  /** Set when the file is cut short (the frames present are read). */
  truncation?: WavTruncation;
  /** The mono samples in blocks of `blockFrames` frames (the last one shorter), from the start. */
  blocks(blockFrames?: number): AsyncGenerator<Float32Array>;
}

/** Reads a WAV file's header from `source`. Throws AudioDecodeError where decodeWav would. */
export async function openWavStream(source: ByteSource): Promise<WavStream> {
  let head = await source.read(0, Math.min(source.size, HEAD_BYTES));
  let header: WavHeader | null;
  while ((header = wavHeader(head, source.size)) === null) head = await source.read(0, Math.min(source.size, 2 * head.byteLength));
  const h = header;
  const bytesPerFrame = frameBytes(h);
  async function* blocks(blockFrames = BLOCK_FRAMES): AsyncGenerator<Float32Array> {
    if (!(Number.isInteger(blockFrames) && blockFrames > 0)) throw new RangeError(`blockFrames must be a whole number > 0, got ${blockFrames}`);
    for (let f = 0; f < h.frames; f += blockFrames) {
      const n = Math.min(blockFrames, h.frames - f);
      const bytes = await source.read(h.dataStart + f * bytesPerFrame, n * bytesPerFrame);
      if (bytes.byteLength < n * bytesPerFrame) throw new AudioDecodeError('the WAV file changed while it was read (it is shorter now)');
      yield toMono(decodeFrames(h, bytes));
    }
  }
  const stream: WavStream = { sampleRate: h.sampleRate, channels: h.channels, frames: h.frames, blocks };
  const truncation = truncationOf(h);
  if (truncation) stream.truncation = truncation;
  return stream;
}

/** A ByteSource over a Blob (a File the user picked): each read is a slice, so the file is never in memory whole. */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** A ByteSource over bytes already in memory (tests; a small file). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.byteLength, read: (offset, length) => Promise.resolve(bytes.subarray(offset, Math.min(bytes.byteLength, offset + length))) };
}
