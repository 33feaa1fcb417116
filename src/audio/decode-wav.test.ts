import { describe, expect, it } from 'vitest';
import { decodeWav, AudioDecodeError, truncationWarning } from './decode-wav.ts';
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

  it('reads WAVE_FORMAT_EXTENSIBLE by its sub-format GUID: IEEE float is float, PCM is integer', () => {
    // The container's bit depth alone (32) says nothing: the GUID says float.
    const f32 = decodeWav(wavBytes({ rate: 16000, bits: 32, float: true, extensible: true, frames: [[0.05], [-0.05], [0.25]] }));
    expect(Array.from(f32.channels[0])).toEqual([0.05, -0.05, 0.25].map(Math.fround));
    const f64 = decodeWav(wavBytes({ rate: 16000, bits: 64, float: true, extensible: true, frames: [[0.5, -0.125], [-1, 0.75]] }));
    expect(f64.channels.map((c) => Array.from(c))).toEqual([[0.5, -1], [-0.125, 0.75]]);
    const p32 = decodeWav(wavBytes({ rate: 16000, bits: 32, extensible: true, frames: [[2 ** 30], [-(2 ** 31)]] }));
    expect(Array.from(p32.channels[0])).toEqual([0.5, -1]);
    const p24 = decodeWav(wavBytes({ rate: 16000, bits: 24, extensible: true, frames: [[2 ** 22, -(2 ** 21)]] }));
    expect(p24.channels.map((c) => Array.from(c))).toEqual([[0.5], [-0.25]]);
    const p16 = decodeWav(wavBytes({ rate: 16000, bits: 16, extensible: true, frames: [[-16384]] }));
    expect(Array.from(p16.channels[0])).toEqual([-0.5]);
    const p8 = decodeWav(wavBytes({ rate: 16000, bits: 8, extensible: true, frames: [[32], [-64]] }));
    expect(Array.from(p8.channels[0])).toEqual([0.25, -0.5]);
  });

  it('reads 64-bit float (format 3), and no pad byte as a sample', () => {
    const d = decodeWav(wavBytes({ rate: 16000, bits: 64, float: true, frames: [[0.1], [-0.3]] }));
    expect(Array.from(d.channels[0])).toEqual([0.1, -0.3].map(Math.fround));
    // 3 frames of 8-bit mono: 3 data bytes, then the RIFF pad byte that is not audio.
    const odd = decodeWav(wavBytes({ rate: 8000, bits: 8, frames: [[64], [0], [-64]] }));
    expect(Array.from(odd.channels[0])).toEqual([0.5, 0, -0.5]);
  });

  it('refuses encodings it cannot read, naming the format, instead of reading wrong samples', () => {
    const refuse = (bytes: Uint8Array, message: RegExp) => {
      expect(() => decodeWav(bytes)).toThrow(AudioDecodeError);
      expect(() => decodeWav(bytes)).toThrow(message);
    };
    // 64-bit integer PCM is not float, whatever its bit depth suggests.
    refuse(wavBytes({ rate: 16000, bits: 64, float: true, formatCode: 1, frames: [[0.5]] }), /PCM.*64-bit/);
    refuse(wavBytes({ rate: 16000, bits: 16, formatCode: 3, frames: [[1]] }), /IEEE float.*16-bit/);
    refuse(wavBytes({ rate: 16000, bits: 16, extensible: { subFormat: 3 }, frames: [[1]] }), /extensible.*IEEE float.*16-bit/);
    refuse(wavBytes({ rate: 16000, bits: 8, formatCode: 6, frames: [[1]] }), /A-law/);
    refuse(wavBytes({ rate: 16000, bits: 16, extensible: { subFormat: 2 }, frames: [[1]] }), /extensible.*00000002-0000-0010-8000-00aa00389b71 = MS ADPCM/);
    // A GUID outside the KSDATAFORMAT family, although it starts with 1.
    const odd = wavBytes({ rate: 16000, bits: 16, extensible: true, frames: [[1]] });
    odd[59] ^= 0xff; // the GUID's last byte
    refuse(odd, /sub-format 00000001-0000-0010-8000-00aa00389b8e/);
  });

  it('decodes a file cut short as far as it goes, and says how much is missing', () => {
    const whole = wavBytes({ rate: 16000, bits: 16, frames: [[16384], [-16384], [8192], [0]] }); // 8 data bytes
    expect(decodeWav(whole).truncation).toBeUndefined();
    const cut = decodeWav(whole.subarray(0, whole.length - 3)); // 5 of the 8 bytes: 2 whole frames
    expect(Array.from(cut.channels[0])).toEqual([0.5, -0.5]);
    expect(cut.truncation).toEqual({ declaredBytes: 8, presentBytes: 5, presentSeconds: 2 / 16000 });
    expect(truncationWarning('a/cut.wav', cut.truncation!)).toBe(
      'a/cut.wav: the WAV file is cut short: its data chunk declares 8 bytes but holds 5 (3 bytes missing); only the 0.000 s present are analysed',
    );
    // An odd chunk without its pad byte at the very end is whole: the pad byte is not audio.
    const odd = wavBytes({ rate: 8000, bits: 8, frames: [[64], [0], [-64]] });
    expect(decodeWav(odd.subarray(0, odd.length - 1)).truncation).toBeUndefined();
    // 0xFFFFFFFF is the placeholder of a writer that could not seek back: no length declared, nothing missing.
    const streamed = whole.slice();
    new DataView(streamed.buffer).setUint32(40, 0xffffffff, true);
    const s = decodeWav(streamed);
    expect(s.truncation).toBeUndefined();
    expect(Array.from(s.channels[0])).toEqual([0.5, -0.5, 0.25, 0]);
  });
});
