// The CLI tables: aligned columns, numbers to the given decimals, an undefined metric as n/a.
import { describe, expect, it } from 'vitest';
import { toTable } from './format-table.ts';

describe('toTable', () => {
  it('right-aligns numbers to their decimals and prints NaN (an undefined metric) as n/a', () => {
    const t = toTable(['lr', 'ccc', 'pearson'], [{ lr: 'a', ccc: 0.25, pearson: NaN }, { lr: 'bb', ccc: -0.5, pearson: 0.125 }], { ccc: 4, pearson: 3 });
    expect(t.split('\n')).toEqual(['lr      ccc  pearson', '--  -------  -------', 'a    0.2500      n/a', 'bb  -0.5000    0.125']);
  });
});
