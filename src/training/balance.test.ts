// Balanced epochs: equal shares per corpus, no repeats before a corpus is used up, and the
// plain shuffle when there is one corpus (the seed preset's reproducibility).
import { describe, expect, it } from 'vitest';
import { epochOrder } from './balance.ts';
import { createRng, shuffled } from './random.ts';

const count = (order: number[], corpusOf: string[]) =>
  order.reduce<Record<string, number>>((m, i) => ((m[corpusOf[i]] = (m[corpusOf[i]] ?? 0) + 1), m), {});

describe('epochOrder', () => {
  it('is the plain seeded shuffle for one corpus and for balance none', () => {
    const one = Array<string>(10).fill('a');
    const plain = shuffled(Array.from({ length: 10 }, (_, i) => i), createRng(7));
    expect(epochOrder(one, 'corpus', createRng(7))).toEqual(plain);
    const two = [...Array<string>(8).fill('a'), 'b', 'b'];
    expect(epochOrder(two, 'none', createRng(7))).toEqual(plain);
  });

  it('gives each corpus an equal share, cycling the small one without early repeats', () => {
    const corpusOf = [...Array<string>(9).fill('big'), 'small', 'small', 'small'];
    const order = epochOrder(corpusOf, 'corpus', createRng(3));
    expect(order).toHaveLength(12);
    expect(count(order, corpusOf)).toEqual({ big: 6, small: 6 });
    // The small corpus's 3 clips each come exactly twice; the big one's 6 draws are distinct.
    const small = order.filter((i) => corpusOf[i] === 'small').sort((x, y) => x - y);
    expect(small).toEqual([9, 9, 10, 10, 11, 11]);
    const big = order.filter((i) => corpusOf[i] === 'big');
    expect(new Set(big).size).toBe(6);
  });

  it('gives the remainder to the first corpora by name', () => {
    const corpusOf = ['b', 'a', 'c', 'c', 'c', 'c', 'c'];
    expect(count(epochOrder(corpusOf, 'corpus', createRng(1)), corpusOf)).toEqual({ a: 3, b: 2, c: 2 });
  });
});
