// The order of one training epoch when clips come from several corpora: each corpus gets an
// equal share of the epoch's steps ("a small corpus is not drowned"), drawn without
// replacement from its own shuffled clips (cycling when its share exceeds its size), then
// the shares are shuffled together. With one corpus (or --balance none) it is exactly the
// plain shuffle the single-corpus trainer has always used, so seeded runs stay reproducible.
import { type Rng, shuffled } from './random.ts';

export type Balance = 'corpus' | 'none';

/**
 * Indices into the training items for one epoch of `corpusOf.length` draws. `corpusOf[i]`
 * names item i's corpus; with `balance` 'corpus' every corpus gets n / (number of corpora)
 * draws (the remainder to the first corpora in name order).
 */
export function epochOrder(corpusOf: readonly string[], balance: Balance, rng: Rng): number[] {
  const n = corpusOf.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(corpusOf[i]);
    if (g) g.push(i);
    else groups.set(corpusOf[i], [i]);
  }
  if (balance === 'none' || groups.size <= 1) return shuffled(all, rng);
  const names = [...groups.keys()].sort();
  const base = Math.floor(n / names.length);
  const order: number[] = [];
  names.forEach((name, k) => {
    const members = groups.get(name)!;
    const share = base + (k < n - base * names.length ? 1 : 0);
    let pass: number[] = [];
    for (let d = 0; d < share; d++) {
      if (pass.length === 0) pass = shuffled(members, rng).reverse();
      order.push(pass.pop()!);
    }
  });
  return shuffled(order, rng);
}
