// The JavaScript stand-in for the SIMD loop (engines without WebAssembly SIMD) gives the
// SIMD module's outputs bit for bit: same kernels, same inputs, same memory layout.
import { describe, expect, it } from 'vitest';
import { getKernel } from './resample-kernel.ts';
import { jsConvModule } from './resample-js.ts';
import { instantiateConv, type ConvModule } from './resample-wasm.ts';

/** Runs `count` outputs of kernel k from phase 0 on `input` in module m; returns them. */
function run(m: ConvModule, k: ReturnType<typeof getKernel>, input: Float32Array, count: number): Float32Array {
  const offAt = 4 * k.newF;
  const tapsAt = offAt + 4 * (k.newF + 1);
  const bufAt = Math.ceil((tapsAt + 4 * k.taps.length) / 32) * 32;
  const outAt = bufAt + 4 * input.length;
  const need = outAt + 4 * count;
  if (need > m.memory.buffer.byteLength) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  new Int32Array(m.memory.buffer).set(k.lo, 0);
  new Int32Array(m.memory.buffer).set(k.off, offAt / 4);
  new Float32Array(m.memory.buffer).set(k.taps, tapsAt / 4);
  new Float32Array(m.memory.buffer).set(input, bufAt / 4);
  // The first output's support starts at input readLo relative to frame 0: put frame 0 there.
  m.conv(tapsAt, 0, offAt, k.newF, k.orig, 0, -k.readLo, count, bufAt, outAt);
  return new Float32Array(m.memory.buffer, outAt, count).slice();
}

describe('the JavaScript resampling loop', () => {
  for (const [from, to] of [[48000, 8000], [44100, 8000], [16000, 8000], [22050, 8000]]) {
    it(`equals the SIMD module bit for bit, ${from} Hz to ${to} Hz`, () => {
      const k = getKernel(from, to, undefined);
      let seed = 7;
      const input = Float32Array.from({ length: 20000 }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 1.8);
      const frames = Math.floor((input.length - (k.readEnd - k.readLo)) / k.orig);
      const count = frames * k.newF;
      const simd = run(instantiateConv(), k, input, count);
      const js = run(jsConvModule(), k, input, count);
      expect(count).toBeGreaterThan(1000);
      expect(Array.from(js)).toEqual(Array.from(simd));
    });
  }

  it('finds a NaN or an infinity as the module does', () => {
    const m = jsConvModule();
    const f = new Float32Array(m.memory.buffer);
    f.set([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(m.finite(0, 32)).toBe(0);
    f[6] = Infinity;
    expect(m.finite(0, 32)).toBe(1);
    expect(instantiateConv().finite(0, 32)).toBe(0);
  });
});
