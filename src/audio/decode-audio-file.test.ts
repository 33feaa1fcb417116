import { describe, expect, it } from 'vitest';
import { openAudioFile } from './decode-audio-file.ts';
import { blobSource, openWavStream } from './wav-stream.ts';
import { wavBytes } from './test-support.ts';

/** The mono samples the worker reads from an opened WAV: its blocks, put together. */
async function samplesOf(source: Awaited<ReturnType<typeof openAudioFile>>['source']): Promise<number[]> {
  if (!('wav' in source)) throw new Error('expected the WAV file itself');
  const out: number[] = [];
  for await (const block of (await openWavStream(blobSource(source.wav))).blocks(2)) out.push(...block);
  return out;
}

describe('openAudioFile', () => {
  it('reads a WAV with the project decoder at its own rate, the worker averaging the channels', async () => {
    // 16-bit: 16384 is 0.5, 8192 is 0.25; the mono sample is the channels' mean.
    const bytes = wavBytes({ rate: 22050, bits: 16, frames: [[16384, 8192], [-16384, 0], [8192, -8192]] });
    const audio = await openAudioFile(new File([new Uint8Array(bytes)], 'two-channels.wav'));
    expect(audio.decoder).toBe('wav');
    expect(audio.sampleRate).toBe(22050);
    expect(audio.frames).toBe(3);
    expect(await samplesOf(audio.source)).toEqual([0.375, -0.25, 0]);
  });

  it('hands the worker the File itself, not its samples', async () => {
    const file = new File([new Uint8Array(wavBytes({ rate: 8000, bits: 32, float: true, frames: [[0.25], [-0.75]] }))], 'mono.wav');
    const audio = await openAudioFile(file);
    expect(audio.source).toEqual({ wav: file });
    expect(audio.sampleRate).toBe(8000);
    expect(await samplesOf(audio.source)).toEqual([0.25, -0.75]);
  });

  it('reads a WAV cut short as far as it goes, with a warning naming the file and the missing bytes', async () => {
    const whole = wavBytes({ rate: 8000, bits: 16, frames: [[16384], [-16384], [8192], [0]] }); // 8 data bytes
    expect((await openAudioFile(new File([new Uint8Array(whole)], 'whole.wav'))).warning).toBe('');
    const audio = await openAudioFile(new File([new Uint8Array(whole.subarray(0, whole.length - 4))], 'cut.wav'));
    expect(audio.decoder).toBe('wav');
    expect(audio.frames).toBe(2);
    expect(await samplesOf(audio.source)).toEqual([0.5, -0.5]);
    expect(audio.warning).toBe(
      'cut.wav: the WAV file is cut short: its data chunk declares 8 bytes but holds 4 (4 bytes missing); only the 0.000 s present are analysed',
    );
  });
});
