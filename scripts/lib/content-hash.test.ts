// The content hash is sha256 of the rate and the decoded mono samples: the same samples
// stored as 16-bit or as float give one hash, other samples or another rate another.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wavBytes } from '../../src/audio/test-support.ts';
import { ContentHashes, audioContentHash } from './content-hash.ts';

const ints = [0, 1000, -2000, 32767, -32768, 12];

describe('audioContentHash', () => {
  it('is sha256 of "16000\\0" and the samples as float32, whatever the storage', () => {
    const floats = Float32Array.from(ints, (v) => v / 32768);
    const expected = createHash('sha256').update('16000\0').update(new Uint8Array(floats.buffer)).digest('hex');
    expect(audioContentHash(wavBytes({ rate: 16000, bits: 16, frames: ints.map((v) => [v]) }))).toBe(expected);
    expect(audioContentHash(wavBytes({ rate: 16000, bits: 32, float: true, frames: [...floats].map((v) => [v]) }))).toBe(expected);
    expect(audioContentHash(wavBytes({ rate: 16000, bits: 16, extensible: true, frames: ints.map((v) => [v]) }))).toBe(expected);
    // A float file may hold -0 where the 16-bit one holds 0: the same sample.
    expect(audioContentHash(wavBytes({ rate: 16000, bits: 32, float: true, frames: [...floats].map((v) => [v === 0 ? -0 : v]) }))).toBe(expected);
    // Stereo with both channels equal: the mono mix is the same samples.
    expect(audioContentHash(wavBytes({ rate: 16000, bits: 16, frames: ints.map((v) => [v, v]) }))).toBe(expected);
  });

  it('differs for another rate or one sample changed', () => {
    const base = audioContentHash(wavBytes({ rate: 16000, bits: 16, frames: ints.map((v) => [v]) }));
    expect(audioContentHash(wavBytes({ rate: 22050, bits: 16, frames: ints.map((v) => [v]) }))).not.toBe(base);
    expect(audioContentHash(wavBytes({ rate: 16000, bits: 16, frames: ints.map((v, i) => [i === 2 ? v + 1 : v]) }))).not.toBe(base);
  });
});

describe('ContentHashes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-content-hash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes readable files and leaves out the unreadable (the loaders report those)', () => {
    const good = join(dir, 'a.wav');
    writeFileSync(good, wavBytes({ rate: 16000, bits: 16, frames: ints.map((v) => [v]) }));
    writeFileSync(join(dir, 'broken.wav'), 'RIFF\x10\x00\x00\x00WAVEjunkjunk');
    const hashes = new ContentHashes();
    const clips = hashes.clips([{ path: good }, { path: join(dir, 'broken.wav') }, { path: join(dir, 'missing.wav') }]);
    expect(clips).toEqual([{ path: good, hash: audioContentHash(wavBytes({ rate: 16000, bits: 16, frames: ints.map((v) => [v]) })) }]);
  });
});
