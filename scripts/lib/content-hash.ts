// The content hash of an audio file for finding the same audio on two sides of a split
// (src/training/shared-content.ts): sha256 of the sample rate and the decoded mono samples,
// i.e. of what the signal path hears. Hashing the decoded samples rather than the file's
// bytes also finds a copy whose header differs (an added LIST chunk, extensible format, or
// 16-bit samples re-saved as float); decoding costs little beside the reading (the 2935
// RAVDESS + TurEV-DB clips: 1.3 s, 3 s on a loaded machine, against 0.8 s for sha256 of the
// bytes; no resampling). A resampled copy is other samples and is not found.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeWav } from '../../src/audio/decode-wav.ts';
import { toMono } from '../../src/dsp/mono.ts';
import type { HashedClip } from '../../src/training/shared-content.ts';

/** sha256 (hex) of a WAV file's sample rate and decoded mono samples. Throws where decodeWav does. */
export function audioContentHash(bytes: Uint8Array): string {
  const audio = decodeWav(bytes);
  const mono = toMono(audio.channels);
  // -0 and 0 are the same sample, but not the same bytes: a float file may hold -0 where
  // its 16-bit copy holds 0. (mono is this call's own array: decoded just now.)
  for (let i = 0; i < mono.length; i++) if (mono[i] === 0) mono[i] = 0;
  return createHash('sha256')
    .update(`${audio.sampleRate}\0`)
    .update(new Uint8Array(mono.buffer, mono.byteOffset, mono.byteLength))
    .digest('hex');
}

/** Content hashes by path, each file read once per run. */
export class ContentHashes {
  private readonly memo = new Map<string, string | null>();

  /** The file's content hash; null for a file that cannot be read or decoded (the loaders report and skip those). */
  of(path: string): string | null {
    if (!this.memo.has(path)) {
      let hash: string | null;
      try {
        hash = audioContentHash(readFileSync(path)); // a Buffer is a Uint8Array: no copy
      } catch {
        hash = null;
      }
      this.memo.set(path, hash);
    }
    return this.memo.get(path)!;
  }

  /** The clips that can be read, with their hashes. */
  clips(clips: readonly { path: string }[]): HashedClip[] {
    return clips.flatMap((c) => {
      const hash = this.of(c.path);
      return hash === null ? [] : [{ path: c.path, hash }];
    });
  }
}
