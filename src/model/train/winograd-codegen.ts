// Writes the Winograd transforms (the WinogradKernels of winograd-kernels.ts) of every F(m, r)
// as straight-line TypeScript with the matrices' coefficients as literal constants: a
// generic loop over the coefficients ran several times slower. The output is committed, one
// file per tile under winograd-kernels/ plus an index of them (`npm run gen:winograd`,
// scripts/gen-winograd.ts), so the code that runs can be read, and winograd-codegen.test.ts
// keeps the files and the generator in step.
import { MAX_WINOGRAD_ALPHA, hasWinogradPoints, winogradMatrices, type WinogradMatrices } from './winograd-matrices.ts';

/** The folder of the generated modules, relative to the repository root. */
export const GENERATED_DIR = 'src/model/train/winograd-kernels';

/** The index module (the table of every tile), inside GENERATED_DIR. */
export const INDEX_FILE = 'index.generated.ts';

/** The file name of F(m, r)'s module inside GENERATED_DIR. */
export const tileFileName = (m: number, r: number): string => `f${m}-${r}.generated.ts`;

/** One generated module: its name inside GENERATED_DIR and its full text. */
export interface GeneratedFile {
  name: string;
  text: string;
}

/** Every F(m, r) that has interpolation points, by r then m: the tiles the table holds. */
export function generatedTiles(): [number, number][] {
  const tiles: [number, number][] = [];
  for (let r = 2; r <= MAX_WINOGRAD_ALPHA; r++) {
    for (let m = 1; m + r - 1 <= MAX_WINOGRAD_ALPHA; m++) if (hasWinogradPoints(m, r)) tiles.push([m, r]);
  }
  return tiles;
}

/**
 * A linear combination as source, skipping zero coefficients: "(2 * d0 - d3 + 0.5 * d5)".
 * Sums keep their parentheses: `b + (g0 + g1)` rounds differently from `b + g0 + g1`.
 */
export function combination(coefs: readonly number[], terms: readonly string[]): string {
  const parts: string[] = [];
  coefs.forEach((c, i) => {
    if (c === 0) return;
    const mag = Math.abs(c);
    parts.push(`${c < 0 ? '-' : '+'} ${mag === 1 ? '' : `${mag} * `}${terms[i]}`);
  });
  if (parts.length === 0) return '0';
  // A leading sign hugs its term: "-d0 + d1", "-2 * d3".
  const s = parts.join(' ').replace(/^\+ /, '').replace(/^- /, '-');
  return parts.length === 1 ? s : `(${s})`;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `base + j * stride + rest` without the zero and unit factors. */
function at(base: string, j: number, stride: string, rest: string): string {
  const step = j === 0 ? '' : j === 1 ? ` + ${stride}` : ` + ${j} * ${stride}`;
  return `${base}${step}${rest ? ` + ${rest}` : ''}`;
}

/** Indented lines; `open` / `close` nest blocks. */
class Source {
  private readonly lines: string[] = [];
  private depth = 0;

  line(text: string): void {
    this.lines.push(text === '' ? '' : `${'  '.repeat(this.depth)}${text}`);
  }

  /** A line that opens a block (`head {`, or `head` as given when it ends in a bracket). */
  open(head: string): void {
    this.line(/[[{(]$/.test(head) ? head : `${head} {`);
    this.depth++;
  }

  close(tail = '}'): void {
    this.depth--;
    this.line(tail);
  }

  /** `const [V0, V1, ...] = V;`: one local per phase array. */
  unpack(name: string, count: number): void {
    this.line(`const [${range(count).map((i) => `${name}${i}`).join(', ')}] = ${name};`);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** for-loops over the given variables (`[name, bound]`), nested in order; returns how many it opened. */
function loops(src: Source, vars: [string, string][]): number {
  for (const [v, bound] of vars) src.open(`for (let ${v} = 0; ${v} < ${bound}; ${v}++)`);
  return vars.length;
}

function closeLoops(src: Source, count: number): void {
  for (let i = 0; i < count; i++) src.close();
}

function input(src: Source, { m, alpha, BT }: WinogradMatrices): void {
  const A = range(alpha);
  src.open('input(x, n, h, wp, c, t, pr, V, VT)');
  src.unpack('V', alpha);
  src.unpack('VT', alpha);
  src.line('const s = n * t;');
  const open = loops(src, [['nn', 'n'], ['row', 'h'], ['tt', 't']]);
  src.line(`const src = ((nn * h + row) * wp + ${m} * tt) * c;`);
  src.line('const col = nn * t + tt;');
  src.line('const dst = (row * s + col) * c;');
  src.line('const dstT = (row + pr) * c * s + col;');
  src.open('for (let ci = 0; ci < c; ci++)');
  for (const j of A) src.line(`const d${j} = x[${at('src', j, 'c', 'ci')}];`);
  for (const xi of A) src.line(`V${xi}[dst + ci] = VT${xi}[dstT + ci * s] = ${combination(BT[xi], A.map((j) => `d${j}`))};`);
  src.close();
  closeLoops(src, open);
  src.close('},');
}

function inputAdjoint(src: Source, { m, alpha, BT }: WinogradMatrices): void {
  const A = range(alpha);
  src.open('inputAdjoint(dV, n, h, wp, c, t, dxp)');
  src.unpack('dV', alpha);
  src.line('const s = n * t;');
  const open = loops(src, [['nn', 'n'], ['row', 'h'], ['tt', 't']]);
  src.line(`const dst = ((nn * h + row) * wp + ${m} * tt) * c;`);
  src.line('const src = (row * s + nn * t + tt) * c;');
  src.open('for (let ci = 0; ci < c; ci++)');
  for (const xi of A) src.line(`const g${xi} = dV${xi}[src + ci];`);
  for (const j of A) src.line(`dxp[${at('dst', j, 'c', 'ci')}] += ${combination(A.map((xi) => BT[xi][j]), A.map((xi) => `g${xi}`))};`);
  src.close();
  closeLoops(src, open);
  src.close('},');
}

function filter(src: Source, { r, alpha, G }: WinogradMatrices): void {
  const A = range(alpha);
  const R = range(r);
  src.open('filter(w, k, cin, cout, U, UF)');
  src.unpack('U', alpha);
  src.unpack('UF', alpha);
  src.line('const cio = cin * cout;');
  const open = loops(src, [['a', 'k'], ['ci', 'cin'], ['co', 'cout']]);
  src.line(`const src = a * ${r} * cio + ci * cout + co;`);
  for (const b of R) src.line(`const w${b} = w[${at('src', b, 'cio', '')}];`);
  src.line('const dst = a * cio + ci * cout + co;');
  src.line('const dstF = (k - 1 - a) * cio + co * cin + ci;');
  for (const xi of A) src.line(`U${xi}[dst] = UF${xi}[dstF] = ${combination(G[xi], R.map((b) => `w${b}`))};`);
  closeLoops(src, open);
  src.close('},');
}

function filterAdjoint(src: Source, { r, alpha, G }: WinogradMatrices): void {
  const A = range(alpha);
  src.open('filterAdjoint(dU, k, cio, dw)');
  src.unpack('dU', alpha);
  const open = loops(src, [['a', 'k'], ['i', 'cio']]);
  src.line('const src = a * cio + i;');
  for (const xi of A) src.line(`const g${xi} = dU${xi}[src];`);
  src.line(`const dst = a * ${r} * cio + i;`);
  for (const b of range(r)) src.line(`dw[${at('dst', b, 'cio', '')}] = ${combination(A.map((xi) => G[xi][b]), A.map((xi) => `g${xi}`))};`);
  closeLoops(src, open);
  src.close('},');
}

function output(src: Source, { m, alpha, AT }: WinogradMatrices): void {
  const A = range(alpha);
  src.open('output(M, n, ho, wo, c, t, e, bias, y)');
  src.unpack('M', alpha);
  src.line('const s = n * t;');
  src.line('const wf = wo + 2 * e;');
  src.line('const hf = ho + 2 * e;');
  const open = loops(src, [['nn', 'n'], ['row', 'ho'], ['tt', 't']]);
  src.line('const src = (row * s + nn * t + tt) * c;');
  src.line(`const dst = ((nn * hf + row + e) * wf + ${m} * tt + e) * c;`);
  src.line(`const valid = Math.min(${m}, wo - ${m} * tt);`);
  src.open('for (let co = 0; co < c; co++)');
  for (const xi of A) src.line(`const g${xi} = M${xi}[src + co];`);
  src.line('const b = bias[co];');
  for (const o of range(m)) {
    // The last tile of a row may hang over the output's end.
    const guard = o > 0 ? `if (valid > ${o}) ` : '';
    src.line(`${guard}y[${at('dst', o, 'c', 'co')}] = b + ${combination(AT[o], A.map((xi) => `g${xi}`))};`);
  }
  src.close();
  closeLoops(src, open);
  src.close('},');
}

function outputAdjoint(src: Source, { m, alpha, AT }: WinogradMatrices): void {
  const M = range(m);
  src.open('outputAdjoint(dy, n, ho, wo, c, t, e, dM)');
  src.unpack('dM', alpha);
  src.line('const s = n * t;');
  src.line('const wf = wo + 2 * e;');
  const open = loops(src, [['nn', 'n'], ['row', 'ho'], ['tt', 't']]);
  src.line(`const src = ((nn * (ho + 2 * e) + row + e) * wf + ${m} * tt + e) * c;`);
  src.line('const dst = (row * s + nn * t + tt) * c;');
  src.line(`const valid = Math.min(${m}, wo - ${m} * tt);`);
  src.open('for (let co = 0; co < c; co++)');
  for (const o of M) src.line(`const q${o} = ${o > 0 ? `valid > ${o} ? dy[${at('src', o, 'c', 'co')}] : 0` : 'dy[src + co]'};`);
  for (const xi of range(alpha)) src.line(`dM${xi}[dst + co] = ${combination(M.map((o) => AT[o][xi]), M.map((o) => `q${o}`))};`);
  src.close();
  closeLoops(src, open);
  src.close('},');
}

const tileName = (m: number, r: number) => `F${m}x${r}`;

/** The header every generated module starts with. */
function banner(src: Source, what: readonly string[]): void {
  src.line('// GENERATED by `npm run gen:winograd` (scripts/gen-winograd.ts) from');
  src.line('// src/model/train/winograd-codegen.ts: do not edit by hand; change the generator and rerun.');
  for (const line of what) src.line(`// ${line}`);
}

/** The module of one F(m, r): its six transforms. */
function tileModule(m: number, r: number): string {
  const mat = winogradMatrices(m, r);
  const src = new Source();
  banner(src, [
    `The Winograd transforms of F(${m}, ${r}) as straight-line code with the matrices`,
    '(winograd-matrices.ts) as literal coefficients. What each transform reads and writes:',
    '../winograd-kernels.ts.',
  ]);
  src.line("import type { WinogradKernels } from '../winograd-kernels.ts';");
  src.line('');
  src.line(`/** F(${m}, ${r}): ${mat.alpha} phases. */`);
  src.open(`export const ${tileName(m, r)}: WinogradKernels =`);
  for (const part of [input, inputAdjoint, filter, filterAdjoint, output, outputAdjoint]) part(src, mat);
  src.close('};');
  return `${src.text()}\n`;
}

/** The index module: every tile's transforms by kernelKey(m, r). */
function indexModule(tiles: readonly [number, number][]): string {
  const src = new Source();
  banner(src, [
    'The Winograd transforms of every F(m, r) with interpolation points, one module per tile.',
    "winograd-codegen.test.ts checks that these files equal the generator's output.",
  ]);
  src.line("import { kernelKey, type WinogradKernels } from '../winograd-kernels.ts';");
  for (const [m, r] of tiles) src.line(`import { ${tileName(m, r)} } from './${tileFileName(m, r)}';`);
  src.line('');
  src.line('/** The transforms by kernelKey(m, r). */');
  src.open('export const WINOGRAD_KERNELS: ReadonlyMap<string, WinogradKernels> = new Map([');
  for (const [m, r] of tiles) src.line(`[kernelKey(${m}, ${r}), ${tileName(m, r)}],`);
  src.close(']);');
  return `${src.text()}\n`;
}

/** Every generated module (what GENERATED_DIR must hold): one per tile, then the index. */
export function generateKernelFiles(): GeneratedFile[] {
  const tiles = generatedTiles();
  return [
    ...tiles.map(([m, r]) => ({ name: tileFileName(m, r), text: tileModule(m, r) })),
    { name: INDEX_FILE, text: indexModule(tiles) },
  ];
}
