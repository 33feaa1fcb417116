// The committed Winograd transforms (winograd-kernels/*.generated.ts) are exactly what the
// generator writes now, and cover every tile that has interpolation points. (Their numbers
// are checked in winograd.test.ts, against tf.grad on cpu.)
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { combination, GENERATED_DIR, generatedTiles, generateKernelFiles, INDEX_FILE, tileFileName } from './winograd-codegen.ts';
import { WINOGRAD_KERNELS } from './winograd-kernels/index.generated.ts';
import { kernelKey } from './winograd-kernels.ts';
import { hasWinogradPoints } from './winograd-matrices.ts';

const dir = new URL(`../../../${GENERATED_DIR}/`, import.meta.url);

describe('generated Winograd transforms', () => {
  it('the committed files equal the generator output (else run npm run gen:winograd)', () => {
    const files = generateKernelFiles();
    for (const f of files) {
      const committed = readFileSync(new URL(f.name, dir), 'utf8');
      expect(committed === f.text, `${GENERATED_DIR}/${f.name} is stale: run npm run gen:winograd`).toBe(true);
    }
    // No generated module the generator no longer writes.
    const present = readdirSync(dir).filter((n) => n.endsWith('.generated.ts'));
    expect(present.sort()).toEqual(files.map((f) => f.name).sort());
  });

  it('holds every F(m, r) with interpolation points, and nothing else, one module each', () => {
    const expected: string[] = [];
    for (let r = 1; r <= 12; r++) for (let m = 0; m <= 12; m++) if (hasWinogradPoints(m, r)) expected.push(kernelKey(m, r));
    expect(generatedTiles().map(([m, r]) => kernelKey(m, r)).sort()).toEqual([...expected].sort());
    expect([...WINOGRAD_KERNELS.keys()].sort()).toEqual([...expected].sort());
    expect(generateKernelFiles().map((f) => f.name)).toEqual([...generatedTiles().map(([m, r]) => tileFileName(m, r)), INDEX_FILE]);
  });

  it('writes combinations with their sums parenthesised and zero terms skipped', () => {
    expect(combination([0, -1, 2, 1], ['a', 'b', 'c', 'd'])).toBe('(-b + 2 * c + d)');
    expect(combination([0, -0.5], ['a', 'b'])).toBe('-0.5 * b');
    expect(combination([1], ['a'])).toBe('a');
    expect(combination([0, 0], ['a', 'b'])).toBe('0');
  });
});
