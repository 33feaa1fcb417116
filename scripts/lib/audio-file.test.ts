// Reading audio files: a missing file and a folder are told in plain words, the same by
// analyze's reader and by the feature cache that training and evaluation read through.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioDecodeError } from '../../src/audio/decode-wav.ts';
import { wavBytes } from '../../src/audio/test-support.ts';
import { readAudioFile } from './audio-file.ts';
import { ClipReadError, FeatureCache } from './feature-cache.ts';

const root = mkdtempSync(join(tmpdir(), 'vm-audio-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The error `f` throws. */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('readAudioFile', () => {
  it('decodes a WAV', () => {
    const path = join(root, 'tone.wav');
    writeFileSync(path, wavBytes({ rate: 16000, bits: 16, frames: [[0], [16384], [-16384]] }));
    const audio = readAudioFile(path);
    expect(audio.sampleRate).toBe(16000);
    expect(Array.from(audio.channels[0])).toEqual([0, 0.5, -0.5]);
  });

  it('says "no such file" and "is a folder", as the feature cache does', () => {
    const missing = join(root, 'missing.wav');
    const folder = join(root, 'folder.wav');
    mkdirSync(folder);
    const cache = new FeatureCache({ enabled: false });
    for (const [path, reason] of [
      [missing, 'no such file'],
      [folder, 'is a folder, not an audio file'],
    ]) {
      const a = thrown(() => readAudioFile(path));
      expect(a).toBeInstanceOf(AudioDecodeError);
      expect(a.message).toBe(reason);
      const c = thrown(() => cache.signal(path));
      expect(c).toBeInstanceOf(ClipReadError);
      expect(c.message).toBe(reason);
    }
  });
});
