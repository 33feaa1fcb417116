// decodeWav against sox, on every encoding a WAV can declare: format 1 (PCM), 3 (IEEE float)
// and 0xFFFE (extensible, PCM or float GUID), each bit depth, 1 to 3 channels. Files sox
// writes are compared with sox's own decoding (`-t f32`); the variants sox does not write
// (extensible float; extensible 8/16-bit at 1-2 channels) are built from sox's samples with
// the test's own header writer, and sox decodes them too, which checks the header. Runs
// where sox is installed (Debian's sox package).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, AudioDecodeError } from './decode-wav.ts';
import { wavBytes } from './test-support.ts';

const hasSox = spawnSync('sox', ['--version'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'vm-wav-sox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FRAMES = 1601; // odd: an 8-bit mono data chunk then ends with a pad byte
const TONES = ['sine 440', 'sine 660', 'sine 880'];

function sox(args: string[]): Buffer {
  const r = spawnSync('sox', args, { maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`sox ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** sox writes a tone per channel (±0.05, the issue's level, for float; ±0.5 for integers). */
function soxWrite(name: string, opts: { bits: number; encoding: string; channels: number; type?: string }): string {
  const path = join(dir, name);
  const vol = opts.encoding === 'floating-point' ? '0.05' : '0.5';
  sox(['-r', '16000', '-n', '-b', String(opts.bits), '-e', opts.encoding, '-c', String(opts.channels),
    ...(opts.type ? ['-t', opts.type] : []), path, 'synth', `${FRAMES}s`, ...TONES.slice(0, opts.channels).join(' ').split(' '), 'vol', vol]);
  return path;
}

/** sox's decoding, per channel: its doubles (integers scaled by 2^(bits-1), as decodeWav does) rounded to float32. */
function soxDecode(path: string, channels: number): number[][] {
  const b = sox([path, '-t', 'f64', '-']);
  const all = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return Array.from({ length: channels }, (_, c) => Array.from(all.filter((_, i) => i % channels === c), Math.fround));
}

/** The doubles stored in a 64-bit float file's data chunk, per channel, rounded to float32. */
function storedDoubles(path: string, channels: number): number[][] {
  const b = readFileSync(path);
  const at = b.indexOf('data') + 8;
  const all = new Float64Array(b.buffer.slice(b.byteOffset + at, b.byteOffset + at + b.readUInt32LE(at - 4)));
  return Array.from({ length: channels }, (_, c) => Array.from(all.filter((_, i) => i % channels === c), Math.fround));
}

/** Largest difference between two sets of channels of equal shape. */
function maxDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.map((ch, c) => Math.max(...ch.map((v, i) => Math.abs(v - b[c][i])))));
}

/** The format code in a file's header, and the extensible sub-format code (0 if none). */
function header(path: string): { format: number; sub: number } {
  const b = readFileSync(path);
  const format = b.readUInt16LE(20);
  return { format, sub: format === 0xfffe ? b.readUInt32LE(44) : 0 };
}

const decoded = (path: string) => decodeWav(new Uint8Array(readFileSync(path))).channels.map((c) => Array.from(c));

describe.skipIf(!hasSox)('decodeWav = sox, every format, bit depth and channel count', () => {
  // [bits, sox encoding, sox file type, the header sox writes]
  const written: [number, string, string | undefined, { format: number; sub: number }, number[]][] = [
    [8, 'unsigned-integer', undefined, { format: 1, sub: 0 }, [1, 2]],
    [16, 'signed-integer', undefined, { format: 1, sub: 0 }, [1, 2]],
    [24, 'signed-integer', 'wavpcm', { format: 1, sub: 0 }, [1, 2]],
    [32, 'signed-integer', 'wavpcm', { format: 1, sub: 0 }, [1, 2]],
    [32, 'floating-point', undefined, { format: 3, sub: 0 }, [1, 2]],
    [64, 'floating-point', undefined, { format: 3, sub: 0 }, [1, 2]],
    [24, 'signed-integer', undefined, { format: 0xfffe, sub: 1 }, [1, 2, 3]],
    [32, 'signed-integer', undefined, { format: 0xfffe, sub: 1 }, [1, 2, 3]],
    [8, 'unsigned-integer', undefined, { format: 0xfffe, sub: 1 }, [3]], // sox goes extensible past 2 channels
    [16, 'signed-integer', undefined, { format: 0xfffe, sub: 1 }, [3]],
  ];
  for (const [bits, encoding, type, hdr, channelCounts] of written) {
    for (const channels of channelCounts) {
      it(`sox's ${bits}-bit ${encoding}, format 0x${hdr.format.toString(16)}${hdr.sub ? ` sub ${hdr.sub}` : ''}, ${channels} ch`, () => {
        const path = soxWrite(`${bits}-${encoding}-${type ?? 'wav'}-${channels}.wav`, { bits, encoding, channels, type });
        expect(header(path)).toEqual(hdr);
        const ours = decoded(path);
        expect(ours.map((c) => c.length)).toEqual(Array(channels).fill(FRAMES));
        if (bits === 64) {
          // sox holds samples as 32-bit integers, so it reads doubles to within 2^-32 (plus
          // float32 rounding): compare with the stored doubles exactly, and with sox that closely.
          expect(ours).toEqual(storedDoubles(path, channels));
          expect(maxDiff(ours, soxDecode(path, channels))).toBeLessThan(2 ** -31);
        } else {
          expect(ours).toEqual(soxDecode(path, channels));
        }
      });
    }
  }

  // Extensible headers sox does not write: the same samples behind a 0xFFFE header with the PCM or float GUID.
  const built: [number, boolean][] = [[8, false], [16, false], [32, true], [64, true]];
  for (const [bits, float] of built) {
    for (const channels of [1, 2]) {
      it(`extensible ${float ? 'float' : 'PCM'} GUID, ${bits}-bit, ${channels} ch (built), as sox reads it`, () => {
        const plain = soxWrite(`plain-${bits}-${float}-${channels}.wav`, {
          bits, encoding: float ? 'floating-point' : bits === 8 ? 'unsigned-integer' : 'signed-integer', channels,
        });
        // The stored values: floats as sox decodes them, integers rescaled to their codes.
        const raw = sox([plain, '-t', 'f64', '-']);
        const doubles = Array.from(new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)));
        const values = float ? doubles : doubles.map((v) => Math.round(v * 2 ** (bits - 1)));
        const frames = Array.from({ length: values.length / channels }, (_, i) => values.slice(i * channels, (i + 1) * channels));
        const path = join(dir, `ext-${bits}-${float}-${channels}.wav`);
        writeFileSync(path, wavBytes({ rate: 16000, bits, float, extensible: true, frames }));
        expect(header(path)).toEqual({ format: 0xfffe, sub: float ? 3 : 1 });
        const reference = soxDecode(path, channels);
        expect(reference).toEqual(soxDecode(plain, channels)); // sox reads the built header as the plain one
        expect(decoded(path)).toEqual(reference);
      });
    }
  }

});

describe('decodeWav refusals', () => {
  it('refuses the encodings that are not PCM 8-32 or float 32/64, naming the format', () => {
    const cases: [Parameters<typeof wavBytes>[0], RegExp][] = [
      [{ rate: 16000, bits: 64, float: true, formatCode: 1, frames: [[0.5]] }, /PCM \(0x0001\), 64-bit/],
      [{ rate: 16000, bits: 64, float: true, extensible: { subFormat: 1 }, frames: [[0.5]] }, /extensible.* = PCM \(0x0001\), 64-bit/],
      ...[8, 16, 24].map((bits): [Parameters<typeof wavBytes>[0], RegExp] =>
        [{ rate: 16000, bits, formatCode: 3, frames: [[1]] }, new RegExp(`IEEE float \\(0x0003\\), ${bits}-bit`)]),
      ...[8, 16, 24].map((bits): [Parameters<typeof wavBytes>[0], RegExp] =>
        [{ rate: 16000, bits, extensible: { subFormat: 3 }, frames: [[1]] }, new RegExp(`extensible.* = IEEE float \\(0x0003\\), ${bits}-bit`)]),
      [{ rate: 16000, bits: 8, extensible: { subFormat: 7 }, frames: [[1]] }, /extensible.* = µ-law \(0x0007\)/],
    ];
    for (const [opts, message] of cases) {
      const bytes = wavBytes(opts);
      expect(() => decodeWav(bytes)).toThrow(AudioDecodeError);
      expect(() => decodeWav(bytes)).toThrow(message);
    }
  });
});
