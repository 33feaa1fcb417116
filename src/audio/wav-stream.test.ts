// A WAV read block by block gives exactly the whole file's decoding, mixed to mono, for every
// block size; the header is found past metadata chunks larger than the first read, and a
// file cut short says so as decodeWav does.
import { describe, expect, it } from 'vitest';
import { decodeWav } from './decode-wav.ts';
import { bytesSource, openWavStream, type ByteSource } from './wav-stream.ts';
import { wavBytes } from './test-support.ts';
import { toMono } from '../dsp/mono.ts';

/** A pseudo-random integer in [-2^(bits-1), 2^(bits-1)), from a seed. */
const sample = (i: number, bits: number) => {
  const x = Math.sin(i * 12.9898 + bits) * 43758.5453;
  return Math.floor((x - Math.floor(x)) * 2 ** bits) - 2 ** (bits - 1);
};

async function streamed(source: ByteSource, blockFrames?: number): Promise<Float32Array> {
  const stream = await openWavStream(source);
  const samples: number[] = [];
  for await (const block of stream.blocks(blockFrames)) samples.push(...block);
  return Float32Array.from(samples);
}

/** Inserts a chunk (id, payload) after the 16-byte fmt chunk of a plain wavBytes file, fixing the RIFF size. */
function withChunkBeforeData(bytes: Uint8Array, id: string, payload: number): Uint8Array {
  const pad = payload % 2;
  const extra = new Uint8Array(8 + payload + pad);
  [...id].forEach((c, i) => (extra[i] = c.charCodeAt(0)));
  new DataView(extra.buffer).setUint32(4, payload, true);
  extra.fill(0x55, 8, 8 + payload);
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes.subarray(0, 36));
  out.set(extra, 36);
  out.set(bytes.subarray(36), 36 + extra.length);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

describe('openWavStream', () => {
  const cases = [
    { name: '16-bit stereo', opts: { rate: 44100, bits: 16, frames: Array.from({ length: 5000 }, (_, i) => [sample(i, 16), sample(i + 7, 16)]) } },
    { name: '24-bit mono', opts: { rate: 16000, bits: 24, frames: Array.from({ length: 3001 }, (_, i) => [sample(i, 24)]) } },
    { name: '8-bit, 3 channels, odd data', opts: { rate: 8000, bits: 8, frames: Array.from({ length: 333 }, (_, i) => [sample(i, 8), sample(i + 1, 8), sample(i + 2, 8)]) } },
    { name: '64-bit float stereo', opts: { rate: 48000, bits: 64, float: true, frames: Array.from({ length: 999 }, (_, i) => [sample(i, 16) / 40000, sample(i + 3, 16) / 30000]) } },
  ];
  for (const { name, opts } of cases) {
    it(`${name}: the blocks put together are toMono(decodeWav(...)), for every block size`, async () => {
      const bytes = wavBytes(opts);
      const whole = toMono(decodeWav(bytes).channels);
      const stream = await openWavStream(bytesSource(bytes));
      expect(stream.frames).toBe(opts.frames.length);
      expect(stream.sampleRate).toBe(opts.rate);
      expect(stream.channels).toBe(opts.frames[0].length);
      for (const blockFrames of [1, 7, 1000, 1 << 16]) expect(await streamed(bytesSource(bytes), blockFrames)).toEqual(whole);
    });
  }

  it('finds the data chunk past an odd-sized chunk and metadata larger than the first read', async () => {
    const plain = wavBytes({ rate: 16000, bits: 16, frames: [[16384], [-16384], [8192]] });
    const odd = withChunkBeforeData(plain, 'junk', 3); // 3 bytes and a pad byte
    expect(Array.from(await streamed(bytesSource(odd)))).toEqual([0.5, -0.5, 0.25]);
    expect(Array.from(decodeWav(odd).channels[0])).toEqual([0.5, -0.5, 0.25]);
    const big = withChunkBeforeData(plain, 'LIST', 300_000); // past the 64 KiB first read, twice doubled
    expect(Array.from(await streamed(bytesSource(big)))).toEqual([0.5, -0.5, 0.25]);
    expect(Array.from(decodeWav(big).channels[0])).toEqual([0.5, -0.5, 0.25]);
  });

  it('reads only what it needs: the header, then one block at a time', async () => {
    const bytes = wavBytes({ rate: 16000, bits: 16, frames: Array.from({ length: 100_000 }, (_, i) => [sample(i, 16)]) });
    const reads: number[] = [];
    const source: ByteSource = { size: bytes.length, read: (o, n) => (reads.push(n), bytesSource(bytes).read(o, n)) };
    const stream = await openWavStream(source);
    const blocks = stream.blocks(10_000);
    await blocks.next();
    expect(reads).toEqual([65536, 20_000]);
  });

  it('says a file is cut short, as decodeWav does, and refuses what is no WAV or has no data chunk', async () => {
    const whole = wavBytes({ rate: 16000, bits: 16, frames: [[16384], [-16384], [8192], [0]] });
    const cut = whole.subarray(0, whole.length - 3);
    const stream = await openWavStream(bytesSource(cut));
    expect(stream.truncation).toEqual(decodeWav(cut).truncation);
    expect(stream.truncation).toEqual({ declaredBytes: 8, presentBytes: 5, presentSeconds: 2 / 16000 });
    expect(Array.from(await streamed(bytesSource(cut)))).toEqual([0.5, -0.5]);
    await expect(openWavStream(bytesSource(new TextEncoder().encode('ID3 this is an mp3, honestly')))).rejects.toThrow(/not a WAV file/);
    await expect(openWavStream(bytesSource(whole.subarray(0, 30)))).rejects.toThrow('broken WAV file: no data chunk');
  });
});
