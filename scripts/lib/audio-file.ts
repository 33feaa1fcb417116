// Reads an audio file from disk for the command-line tools (WAV, via src/audio/decode-wav),
// and words the file-system errors users meet (a missing file, a folder) the same everywhere.
import { readFileSync } from 'node:fs';
import { decodeWav, type DecodedAudio, AudioDecodeError } from '../../src/audio/decode-wav.ts';

/** Why reading a file failed, for the user: plain words for a missing file or a folder, else the system's message. */
export function readFailureReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EISDIR') return 'is a folder, not an audio file';
  return err.message;
}

export function readAudioFile(path: string): DecodedAudio {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new AudioDecodeError(readFailureReason(e));
  }
  return decodeWav(bytes);
}
