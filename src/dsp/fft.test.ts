import { describe, expect, it } from 'vitest';
import { createPowerSpectrum } from './fft.ts';
import { SignalError } from './validate.ts';

/** Direct float64 DFT power spectrum: the independent reference. */
function dftPower(x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array((n >> 1) + 1);
  for (let k = 0; k < out.length; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const a = (2 * Math.PI * ((k * t) % n)) / n;
      re += x[t] * Math.cos(a);
      im -= x[t] * Math.sin(a);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

function frame(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let t = 0; t < n; t++) x[t] = Math.sin(0.37 * t) + 0.25 * Math.cos(2.1 * t + 0.3) + ((t * 7919) % 13) / 50;
  return x;
}

describe('createPowerSpectrum', () => {
  for (const n of [2, 4, 8, 64, 1024, 2048, 400, 300, 6]) {
    it(`equals a direct DFT for n = ${n}`, () => {
      const x = frame(n);
      const want = dftPower(x);
      const fft = createPowerSpectrum(n);
      const out = new Float64Array((n >> 1) + 1);
      fft.power(x, out);
      fft.power(x, out); // reusable: a second call gives the same
      const max = Math.max(...want);
      for (let k = 0; k < want.length; k++) expect(Math.abs(out[k] - want[k])).toBeLessThan(1e-12 * max);
    });
  }

  it('refuses bad sizes and short buffers', () => {
    expect(() => createPowerSpectrum(1)).toThrow(SignalError);
    expect(() => createPowerSpectrum(10.5)).toThrow(SignalError);
    const fft = createPowerSpectrum(16);
    expect(() => fft.power(new Float64Array(8), new Float64Array(9))).toThrow(SignalError);
    expect(() => fft.power(new Float64Array(16), new Float64Array(8))).toThrow(SignalError);
  });
});
