// Renders rows as an aligned text table, CSV or JSON for the command-line tools.

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

function show(v: Cell, digits: number | undefined): string {
  if (v === null) return '';
  if (typeof v === 'number' && Number.isNaN(v)) return 'n/a'; // an undefined metric
  if (typeof v === 'number') return digits === undefined ? String(v) : v.toFixed(digits);
  return v;
}

/** `digits`: decimals per numeric column (numbers print as they are where none is given). */
export function toTable(columns: string[], rows: Row[], digits: Record<string, number> = {}): string {
  const cells = rows.map((r) => columns.map((c) => show(r[c] ?? null, digits[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const numeric = columns.map((c) => rows.some((r) => typeof r[c] === 'number'));
  const line = (vals: string[]) =>
    vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: string[], rows: Row[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? null)).join(','))].join('\n');
}
