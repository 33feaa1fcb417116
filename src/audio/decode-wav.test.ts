import { describe, expect, it } from 'vitest';
import { decodeWav, AudioDecodeError } from './decode-wav.ts';
import { wavBytes } from './test-support.ts';

describe('decodeWav', () => {
  it('scales 16-bit integers as torchaudio.load does (x / 2^15)', () => {
    const d = decodeWav(wavBytes({ rate: 16000, bits: 16, frames: [[-32768], [0], [16384], [32767]] }));
    expect(d.sampleRate).toBe(16000);
    expect(Array.from(d.channels[0])).toEqual([-1, 0, 0.5, 32767 / 32768].map(Math.fround));
  });

  it('reads 24-bit, 32-bit integer, 8-bit unsigned and 32-bit float', () => {
    const d24 = decodeWav(wavBytes({ rate: 44100, bits: 24, frames: [[-(2 ** 23)], [2 ** 22], [-1]] }));
    expect(Array.from(d24.channels[0])).toEqual([-1, 0.5, Math.fround(-1 / 2 ** 23)]);
    const d32 = decodeWav(wavBytes({ rate: 48000, bits: 32, frames: [[-(2 ** 31)], [2 ** 30]] }));
    expect(Array.from(d32.channels[0])).toEqual([-1, 0.5]);
    const d8 = decodeWav(wavBytes({ rate: 8000, bits: 8, frames: [[-128], [0], [64]] }));
    expect(Array.from(d8.channels[0])).toEqual([-1, 0, 0.5]);
    const df = decodeWav(wavBytes({ rate: 22050, bits: 32, float: true, frames: [[0.25], [-0.75]] }));
    expect(df.sampleRate).toBe(22050);
    expect(Array.from(df.channels[0])).toEqual([0.25, -0.75]);
  });

  it('keeps channels apart', () => {
    const d = decodeWav(wavBytes({ rate: 48000, bits: 16, frames: [[16384, -16384], [0, 8192]] }));
    expect(d.channels.length).toBe(2);
    expect(Array.from(d.channels[0])).toEqual([0.5, 0]);
    expect(Array.from(d.channels[1])).toEqual([-0.5, 0.25]);
  });

  it('refuses what is not a WAV file, with a message naming the problem', () => {
    expect(() => decodeWav(new Uint8Array(0))).toThrow(AudioDecodeError);
    expect(() => decodeWav(new TextEncoder().encode('ID3 this is an mp3, honestly'))).toThrow(/not a WAV file/);
    const good = wavBytes({ rate: 16000, bits: 16, frames: [[1], [2], [3]] });
    expect(() => decodeWav(good.subarray(0, 30))).toThrow(AudioDecodeError);
  });
});
