// Reads an audio file from disk for the command-line tools (WAV, block by block via
// src/audio/wav-stream.ts, so a file of any length fits in memory), and words the
// file-system errors users meet (a missing file, a folder) the same everywhere.
import { readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { AudioDecodeError, decodeWav, type DecodedAudio } from '../../src/audio/decode-wav.ts';
import { openWavStream, type ByteSource, type WavStream } from '../../src/audio/wav-stream.ts';

/** Why reading a file failed, for the user: plain words for a missing file or a folder, else the system's message. */
export function readFailureReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EISDIR') return 'is a folder, not an audio file';
  return err.message;
}

/** A whole WAV file decoded at once (the tests' and short files' reader; analyze streams instead). */
export function readAudioFile(path: string): DecodedAudio {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new AudioDecodeError(readFailureReason(e));
  }
  return decodeWav(bytes);
}

/** A file's bytes through a Node file handle; file-system errors become AudioDecodeErrors in plain words. */
function fileSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const buffer = new Uint8Array(length);
      try {
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      } catch (e) {
        throw new AudioDecodeError(readFailureReason(e));
      }
    },
  };
}

/**
 * Opens a WAV file, reads its header and runs `use` on its stream of mono blocks; the file
 * is closed after, whatever happens. Throws AudioDecodeError for a file that cannot be read.
 */
export async function withAudioFile<T>(path: string, use: (audio: WavStream) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new AudioDecodeError(readFailureReason(e));
  }
  try {
    const { size } = await handle.stat();
    return await use(await openWavStream(fileSource(handle, size)));
  } finally {
    await handle.close();
  }
}
