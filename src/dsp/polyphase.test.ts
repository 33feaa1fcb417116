// The resampler's inner loop runs as WebAssembly SIMD where it can and in JS otherwise: the
// two must give the same bits, for every rate pair and any chunking, so a reading never
// depends on the platform (torchaudio's agreement is resample.test.ts's).
import { afterEach, describe, expect, it } from 'vitest';
import { polyphaseWasm, setPolyphaseWasmForTests } from './polyphase-wasm.ts';
import { resample, StreamingResampler } from './resample.ts';

function noise(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

function streamed(x: Float32Array, from: number, to: number, chunk: number): Float32Array {
  const r = new StreamingResampler(from, to);
  const parts: Float32Array[] = [];
  for (let i = 0; i < x.length; i += chunk) parts.push(r.push(x.subarray(i, i + chunk)));
  parts.push(r.flush());
  return Float32Array.from(parts.flatMap((p) => Array.from(p)));
}

const PAIRS: [number, number][] = [[48000, 8000], [44100, 8000], [16000, 8000], [22050, 8000], [11025, 8000], [8000, 16000], [44100, 48000], [96000, 8000]];

describe('the polyphase loop: WebAssembly SIMD and JS', () => {
  afterEach(() => setPolyphaseWasmForTests(false));

  it('runs as WebAssembly SIMD in Node', () => {
    expect(polyphaseWasm()).not.toBeNull();
  });

  for (const [from, to] of PAIRS) {
    it(`${from} Hz -> ${to} Hz: the same bits, batch and streamed in 128- and 333-sample chunks`, () => {
      const x = noise(Math.round(from * 0.37) + 11, from + to);
      const run = () => [resample(x, from, to), streamed(x, from, to, 128), streamed(x, from, to, 333)];
      const simd = run();
      setPolyphaseWasmForTests(true);
      const js = run();
      for (let i = 0; i < simd.length; i++) {
        expect(simd[i].length).toBe(js[i].length);
        expect(Buffer.from(simd[i].buffer).equals(Buffer.from(js[i].buffer))).toBe(true);
      }
      // And streamed equals batch, whichever form ran.
      expect(Array.from(js[1])).toEqual(Array.from(js[0]));
      expect(Array.from(simd[2])).toEqual(Array.from(simd[0]));
    });
  }
});
