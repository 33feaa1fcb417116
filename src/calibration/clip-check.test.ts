// Which clips calibration takes: real speech (the e2e fixture) passes the live monitor's
// speech gate; the fixture's quiet room, digital silence and a steady tone do not; clips
// under 1 s or over 30 s are refused with their length.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../audio/decode-wav.ts';
import { toMono } from '../dsp/mono.ts';
import { clipProblem } from './clip-check.ts';

function fixture(name: string): { samples: Float32Array<ArrayBuffer>; rate: number } {
  const audio = decodeWav(new Uint8Array(readFileSync(new URL(`../../e2e/fixtures/${name}`, import.meta.url))));
  return { samples: new Float32Array(toMono(audio.channels)), rate: audio.sampleRate };
}

describe('clipProblem', () => {
  it('takes a clip of speech', () => {
    const speech = fixture('speech.wav'); // 4.6 s at 16 kHz
    expect(clipProblem(speech.samples, speech.rate)).toBeNull();
    expect(clipProblem(speech.samples.subarray(0, 2 * speech.rate), speech.rate)).toBeNull();
  });

  it('refuses a quiet room (the silent fake microphone), digital silence and a steady hum', () => {
    const room = fixture('silence.wav'); // 1 s of noise at about -71 dBFS, 48 kHz
    const threeSeconds = new Float32Array(3 * room.rate).map((_, i) => room.samples[i % room.samples.length]);
    expect(clipProblem(threeSeconds, room.rate)).toMatch(/^No speech was heard in this clip \(its loudest moment is -\d+ dBFS\): speak closer/);
    expect(clipProblem(new Float32Array(16000 * 2), 16000)).toBe(
      'No speech was heard in this clip (it is digital silence): speak closer to the microphone or louder, and record it again.',
    );
    // 200 Hz at amplitude 0.1: RMS 0.1 / sqrt(2), 20 log10(0.0707) = -23.0 dBFS, the same in every frame.
    const hum = Float32Array.from({ length: 16000 * 2 }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 200 * i) / 16000));
    expect(clipProblem(hum, 16000, 'imported')).toBe('No speech was heard in this clip (its loudest moment is -23 dBFS): pick a file with speech in it.');
  });

  it('refuses clips too short or too long, and a bad rate', () => {
    const speech = fixture('speech.wav');
    expect(clipProblem(speech.samples.subarray(0, 8000), 16000)).toBe(
      'The clip is only 0.5 s long: a clip needs at least 1 s (read the whole sentence).',
    );
    expect(clipProblem(new Float32Array(31 * 100), 100)).toBe('The clip is 31 s long: a calibration clip is a few seconds, at most 30 s.');
    expect(clipProblem(speech.samples, 0)).toMatch(/sample rate 0/);
  });
});
