import { describe, expect, it } from 'vitest';
import { speechGate } from './speech-gate.ts';
import { WINDOW_LENGTH } from './params.ts';

const tone = (n: number, amp: number) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin(i * 0.31) * (0.5 + 0.5 * Math.sin(i / 400)));
const noise = (n: number, amp: number, seed = 3) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 2 * amp);
};

describe('speechGate', () => {
  it('says silence for digital zeros and a quiet room', () => {
    expect(speechGate(new Float32Array(WINDOW_LENGTH)).speech).toBe(false);
    expect(speechGate(noise(WINDOW_LENGTH, 0.0005)).speech).toBe(false);
  });

  it('says speech for a voice at the end of the window, even after zero-filled history', () => {
    const w = new Float32Array(WINDOW_LENGTH);
    w.set(tone(16000, 0.3), WINDOW_LENGTH - 16000);
    const g = speechGate(w);
    expect(g.speech).toBe(true);
    expect(g.levelDb).toBeGreaterThan(-20);
  });

  it('ignores steady loud noise, and speech that ended more than the recent span ago', () => {
    expect(speechGate(noise(WINDOW_LENGTH, 0.1)).speech).toBe(false);
    const w = new Float32Array(WINDOW_LENGTH);
    w.set(tone(16000, 0.3), 0); // speech at the start, 5.7 s of silence after it
    expect(speechGate(w).speech).toBe(false);
  });

  it('finds speech over background noise', () => {
    const w = noise(WINDOW_LENGTH, 0.01);
    const v = tone(12000, 0.3);
    for (let i = 0; i < v.length; i++) w[WINDOW_LENGTH - v.length + i] += v[i];
    expect(speechGate(w).speech).toBe(true);
  });

  it('refuses bad options', () => {
    expect(() => speechGate(new Float32Array(10), { frameLength: 0 })).toThrow(/frameLength/);
    expect(() => speechGate(new Float32Array(10), { noisePercentile: 2 })).toThrow(/noisePercentile/);
  });
});
