// The committed Winograd transforms (winograd-kernels.generated.ts) are exactly what the
// generator writes now, and cover every tile that has interpolation points. (Their numbers
// are checked in winograd.test.ts, against tf.grad on cpu.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { combination, GENERATED_PATH, generatedTiles, generateKernelsModule } from './winograd-codegen.ts';
import { WINOGRAD_KERNELS } from './winograd-kernels.generated.ts';
import { kernelKey } from './winograd-kernels.ts';
import { hasWinogradPoints } from './winograd-matrices.ts';

describe('generated Winograd transforms', () => {
  it('the committed file equals the generator output (else run npm run gen:winograd)', () => {
    const committed = readFileSync(new URL(`../../../${GENERATED_PATH}`, import.meta.url), 'utf8');
    expect(committed === generateKernelsModule(), `${GENERATED_PATH} is stale: run npm run gen:winograd`).toBe(true);
  });

  it('holds every F(m, r) with interpolation points, and nothing else', () => {
    const expected: string[] = [];
    for (let r = 1; r <= 12; r++) for (let m = 0; m <= 12; m++) if (hasWinogradPoints(m, r)) expected.push(kernelKey(m, r));
    expect(generatedTiles().map(([m, r]) => kernelKey(m, r)).sort()).toEqual([...expected].sort());
    expect([...WINOGRAD_KERNELS.keys()].sort()).toEqual([...expected].sort());
  });

  it('writes combinations with their sums parenthesised and zero terms skipped', () => {
    expect(combination([0, -1, 2, 1], ['a', 'b', 'c', 'd'])).toBe('(-b + 2 * c + d)');
    expect(combination([0, -0.5], ['a', 'b'])).toBe('-0.5 * b');
    expect(combination([1], ['a'])).toBe('a');
    expect(combination([0, 0], ['a', 'b'])).toBe('0');
  });
});
