import { describe, expect, it } from 'vitest';
import { fixLength } from './fix-length.ts';
import { WINDOW_LENGTH } from './params.ts';
import { SignalError } from './validate.ts';

describe('fixLength', () => {
  it('zero-pads a short clip at the end', () => {
    const x = new Float32Array([1, 2, 3]);
    expect(fixLength(x, 5)).toEqual(new Float32Array([1, 2, 3, 0, 0]));
  });

  it('keeps the first n samples of a long clip', () => {
    const x = new Float32Array([1, 2, 3, 4, 5]);
    expect(fixLength(x, 3)).toEqual(new Float32Array([1, 2, 3]));
  });

  it('defaults to the SPEC window and always returns a new array', () => {
    const x = new Float32Array(WINDOW_LENGTH).fill(0.5);
    const y = fixLength(x);
    expect(y.length).toBe(WINDOW_LENGTH);
    expect(y.every((v, i) => v === x[i])).toBe(true);
    expect(y === x).toBe(false);
    expect(fixLength(new Float32Array(10)).length).toBe(WINDOW_LENGTH);
  });

  it('refuses a bad target length', () => {
    expect(() => fixLength(new Float32Array(3), -1)).toThrow(SignalError);
    expect(() => fixLength(new Float32Array(3), 2.5)).toThrow(SignalError);
  });
});
