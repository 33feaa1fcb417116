import { describe, expect, it } from 'vitest';
import { decodeAudioFile } from './decode-audio-file.ts';
import { wavBytes } from './test-support.ts';

describe('decodeAudioFile', () => {
  it('reads a WAV with the project decoder at its own rate, averaging the channels', async () => {
    // 16-bit: 16384 is 0.5, 8192 is 0.25; the mono sample is the channels' mean.
    const bytes = wavBytes({ rate: 22050, bits: 16, frames: [[16384, 8192], [-16384, 0], [8192, -8192]] });
    const audio = await decodeAudioFile(new File([new Uint8Array(bytes)], 'two-channels.wav'));
    expect(audio.decoder).toBe('wav');
    expect(audio.sampleRate).toBe(22050);
    expect(Array.from(audio.samples)).toEqual([0.375, -0.25, 0]);
  });

  it('keeps a mono WAV as it is', async () => {
    const bytes = wavBytes({ rate: 8000, bits: 32, float: true, frames: [[0.25], [-0.75]] });
    const audio = await decodeAudioFile(new File([new Uint8Array(bytes)], 'mono.wav'));
    expect(audio.decoder).toBe('wav');
    expect(audio.sampleRate).toBe(8000);
    expect(Array.from(audio.samples)).toEqual([0.25, -0.75]);
  });
});
