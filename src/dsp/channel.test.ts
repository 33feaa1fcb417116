import { describe, expect, it } from 'vitest';
import { simulateChannel } from './channel.ts';
import { gatedLevelDb } from './loudness.ts';
import { createRng } from '../training/random.ts';

const tone = (hz: number, n = 8000) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / 8000));
const rmsDb = (x: Float32Array, from = 2000) => {
  let s = 0;
  for (let i = from; i < x.length; i++) s += x[i] * x[i];
  return 10 * Math.log10(s / (x.length - from));
};

describe('simulateChannel', () => {
  it('telephone: passes 1 kHz, cuts 60 Hz, and is -3 dB at its band edges (Butterworth)', () => {
    const rand = createRng(1);
    const gain = (hz: number) => rmsDb(simulateChannel(tone(hz), 'telephone', rand)) - rmsDb(tone(hz));
    expect(Math.abs(gain(1000))).toBeLessThan(0.5);
    expect(gain(60)).toBeLessThan(-20);
    expect(gain(300)).toBeCloseTo(-3, 0);
    expect(gain(3400)).toBeCloseTo(-3, 0);
  });

  it('quiet is 20 dB down; noisy adds noise 10 dB under the speech level', () => {
    const x = tone(440);
    expect(rmsDb(simulateChannel(x, 'quiet', createRng(1))) - rmsDb(x)).toBeCloseTo(-20, 5);
    const y = simulateChannel(x, 'noisy', createRng(2));
    const noise = y.map((v, i) => v - x[i]);
    expect(rmsDb(noise, 0) - gatedLevelDb(x)!).toBeCloseTo(-10, 0);
  });
});
