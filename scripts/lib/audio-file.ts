// Reads an audio file from disk for the command-line tools (WAV, via src/audio/decode-wav).
import { readFileSync, statSync } from 'node:fs';
import { decodeWav, type DecodedAudio, AudioDecodeError } from '../../src/audio/decode-wav.ts';

export function readAudioFile(path: string): DecodedAudio {
  let bytes: Uint8Array;
  try {
    if (statSync(path).isDirectory()) throw new AudioDecodeError('is a folder, not an audio file');
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new AudioDecodeError('no such file');
    if (err instanceof AudioDecodeError) throw err;
    throw new AudioDecodeError(err.message);
  }
  return decodeWav(bytes);
}
