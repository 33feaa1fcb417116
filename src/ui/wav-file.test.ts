import { describe, expect, it } from 'vitest';
import { floatWav } from './wav-file.ts';
import { decodeWav } from '../audio/decode-wav.ts';

describe('floatWav', () => {
  it('round-trips float samples bit for bit through the project decoder', () => {
    const x = Float32Array.from({ length: 1001 }, (_, i) => Math.fround(Math.sin(i) * 0.9));
    const d = decodeWav(floatWav(x, 44100));
    expect(d.sampleRate).toBe(44100);
    expect(d.channels).toHaveLength(1);
    expect(Array.from(d.channels[0])).toEqual(Array.from(x));
  });
});
