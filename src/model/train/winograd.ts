// A k x k convolution (stride 1) with Winograd's minimal filtering F(m, k) along the width:
// each run of m output columns takes alpha = m + k - 1 "phase" products instead of m * k, so
// the XNNPACK work becomes alpha phase convolutions with k x 1 kernels, alpha * k / m taps per
// output column instead of k * k (F(4, 5), the default: 10 instead of 25). XNNPACK's 128-bit
// SIMD with no FMA is what bounds the training step on wasm, so fewer multiplications is the
// lever left.
//
// Transforms (Toom-Cook with the point at infinity, matrices built in winogradMatrices):
//   forward   V_xi = BT x (per tile of alpha input columns), U_xi = G w, M_xi = V_xi (*) U_xi,
//             y = AT M  (M_xi summed into m output columns);
//   backward  dM = A dy, dU_xi = dW(V_xi, dM_xi), dw = G^T dU, dV_xi = dX(dM_xi, U_xi),
//             dx = B dV (overlapping tiles add up).
// Every phase tensor is one image [1, rows, S, C] with S = N * tiles: a k x 1 kernel never
// mixes columns, so the samples' tiles can sit side by side. The transforms are straight-line
// JavaScript generated once per (m, k) from the matrices (a generic loop over coefficients
// ran several times slower); the phase convolutions run on the active backend (wasm).
import * as tf from '@tensorflow/tfjs';

/** The Winograd F(m, r) matrices (rows as arrays): AT [m][alpha], G [alpha][r], BT [alpha][alpha]. */
export interface WinogradMatrices {
  m: number;
  r: number;
  alpha: number;
  AT: number[][];
  G: number[][];
  BT: number[][];
}

/** Interpolation points by alpha - 1: small magnitudes first (float32 error grows with them). */
const POINTS: Record<number, number[]> = {
  3: [0, 1],
  4: [0, 1, -1],
  5: [0, 1, -1, 2],
  6: [0, 1, -1, 2, -2],
  7: [0, 1, -1, 2, -2, 0.5],
  8: [0, 1, -1, 2, -2, 0.5, -0.5],
};

function polyMul(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] += x * y)));
  return out;
}

/**
 * F(m, r) for the correlation y[o] = sum_b g[b] d[o + b] (o < m, b < r), from the modified
 * Toom-Cook construction: transposing the polynomial-product algorithm (evaluate at the
 * points and at infinity, multiply, interpolate) gives y = AT [(G g) * (BT d)].
 */
export function winogradMatrices(m: number, r: number): WinogradMatrices {
  const alpha = m + r - 1;
  const pts = POINTS[alpha];
  if (!pts || m < 1 || r < 2) throw new Error(`no Winograd points for F(${m}, ${r})`);
  // AT: evaluation of the m-coefficient polynomial (transposed); last column = infinity.
  const AT = Array.from({ length: m }, (_, o) => [...pts.map((p) => p ** o), o === m - 1 ? 1 : 0]);
  // G: evaluation of the filter polynomial, scaled by the Lagrange denominators.
  const G = [
    ...pts.map((p, i) => {
      const f = pts.reduce((acc, q, j) => (j === i ? acc : acc * (p - q)), 1);
      return Array.from({ length: r }, (_, b) => p ** b / f);
    }),
    Array.from({ length: r }, (_, b) => (b === r - 1 ? 1 : 0)),
  ];
  // BT: Lagrange numerators prod_{j != i} (x - p_j), and prod_j (x - p_j) for infinity.
  const BT = pts.map((_, i) => {
    let poly = [1];
    pts.forEach((q, j) => {
      if (j !== i) poly = polyMul(poly, [-q, 1]);
    });
    return [...poly, 0];
  });
  let full = [1];
  for (const q of pts) full = polyMul(full, [-q, 1]);
  BT.push(full);
  return { m, r, alpha, AT, G, BT };
}

/** A linear combination as JS source, skipping zero coefficients: "(2*d0 - d3 + 0.5*d5)". */
function combination(coefs: readonly number[], terms: readonly string[]): string {
  const parts: string[] = [];
  coefs.forEach((c, i) => {
    if (c === 0) return;
    const sign = c < 0 ? '-' : '+';
    const mag = Math.abs(c);
    parts.push(`${sign} ${mag === 1 ? '' : `${mag} * `}${terms[i]}`);
  });
  if (parts.length === 0) return '0';
  const s = parts.join(' ');
  return `(${s.startsWith('+ ') ? s.slice(2) : s})`;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The generated transforms of one F(m, r); see the comment at the top for the data layout. */
interface Kernels {
  /** x [N, H, Wp, C] (columns already zero padded to Wp = m T + r - 1) -> V[xi] [H, S, C] and VT[xi] [H + 2 pr, C, S]. */
  input(x: Float32Array, n: number, h: number, wp: number, c: number, t: number, pr: number, v: Float32Array[], vt: Float32Array[]): void;
  /** Adjoint of input: dV[xi] [H, S, C] -> dxp [N, H, Wp, C] (accumulates; dxp starts at 0). */
  inputAdjoint(dv: Float32Array[], n: number, h: number, wp: number, c: number, t: number, dxp: Float32Array): void;
  /** w [k, k, Cin, Cout] -> U[xi] [k, Cin, Cout] and UF[xi] [k, Cout, Cin] (rows reversed, in / out swapped). */
  filter(w: Float32Array, k: number, cin: number, cout: number, u: Float32Array[], uf: Float32Array[]): void;
  /** Adjoint of filter (U part): dU[xi] [k, Cin, Cout] -> dw [k, k, Cin, Cout]. */
  filterAdjoint(du: Float32Array[], k: number, cio: number, dw: Float32Array): void;
  /** M[xi] [Ho, S, C] -> y [N, Ho + 2e, Wo + 2e, C] (every value written: bias + product). */
  output(mm: Float32Array[], n: number, ho: number, wo: number, c: number, t: number, e: number, bias: Float32Array, y: Float32Array): void;
  /** Adjoint of output: dy [N, Ho + 2e, Wo + 2e, C] (core read only) -> dM[xi] [Ho, S, C]. */
  outputAdjoint(dy: Float32Array, n: number, ho: number, wo: number, c: number, t: number, e: number, dm: Float32Array[]): void;
}

type Generated = (...args: unknown[]) => void;

/** Builds a function from generated source (the matrices become literal constants in it). */
function compile(name: string, params: string[], body: string): Generated {
  // sourceURL names the code in stack traces and profiles.
  return new Function(...params, `${body}\n//# sourceURL=winograd-${name}.js`) as Generated;
}

function generate(mat: WinogradMatrices): Kernels {
  const { m, r, alpha, AT, G, BT } = mat;
  const A = range(alpha);
  const unpack = (name: string, count: number) => range(count).map((i) => `const ${name}${i} = ${name}[${i}];`).join('\n');

  const input = compile(
    `input-F(${m},${r})`,
    ['x', 'n', 'h', 'wp', 'c', 't', 'pr', 'V', 'VT'],
    `${unpack('V', alpha)}\n${unpack('VT', alpha)}
    const s = n * t;
    for (let nn = 0; nn < n; nn++) for (let row = 0; row < h; row++) for (let tt = 0; tt < t; tt++) {
      const src = ((nn * h + row) * wp + ${m} * tt) * c;
      const col = nn * t + tt;
      const dst = (row * s + col) * c;
      const dstT = (row + pr) * c * s + col;
      for (let ci = 0; ci < c; ci++) {
        ${A.map((j) => `const d${j} = x[src + ${j} * c + ci];`).join(' ')}
        ${A.map((xi) => `const v${xi} = ${combination(BT[xi], A.map((j) => `d${j}`))}; V${xi}[dst + ci] = v${xi}; VT${xi}[dstT + ci * s] = v${xi};`).join('\n')}
      }
    }`,
  );

  const inputAdjoint = compile(
    `inputAdjoint-F(${m},${r})`,
    ['dV', 'n', 'h', 'wp', 'c', 't', 'dxp'],
    `${unpack('dV', alpha)}
    const s = n * t;
    for (let nn = 0; nn < n; nn++) for (let row = 0; row < h; row++) for (let tt = 0; tt < t; tt++) {
      const dst = ((nn * h + row) * wp + ${m} * tt) * c;
      const src = (row * s + nn * t + tt) * c;
      for (let ci = 0; ci < c; ci++) {
        ${A.map((xi) => `const g${xi} = dV${xi}[src + ci];`).join(' ')}
        ${A.map((j) => `dxp[dst + ${j} * c + ci] += ${combination(A.map((xi) => BT[xi][j]), A.map((xi) => `g${xi}`))};`).join('\n')}
      }
    }`,
  );

  const R = range(r);
  const filter = compile(
    `filter-F(${m},${r})`,
    ['w', 'k', 'cin', 'cout', 'U', 'UF'],
    `${unpack('U', alpha)}\n${unpack('UF', alpha)}
    const cio = cin * cout;
    for (let a = 0; a < k; a++) for (let ci = 0; ci < cin; ci++) for (let co = 0; co < cout; co++) {
      const src = a * ${r} * cio + ci * cout + co;
      ${R.map((b) => `const w${b} = w[src + ${b} * cio];`).join(' ')}
      const dst = a * cio + ci * cout + co;
      const dstF = (k - 1 - a) * cio + co * cin + ci;
      ${A.map((xi) => `const u${xi} = ${combination(G[xi], R.map((b) => `w${b}`))}; U${xi}[dst] = u${xi}; UF${xi}[dstF] = u${xi};`).join('\n')}
    }`,
  );

  const filterAdjoint = compile(
    `filterAdjoint-F(${m},${r})`,
    ['dU', 'k', 'cio', 'dw'],
    `${unpack('dU', alpha)}
    for (let a = 0; a < k; a++) for (let i = 0; i < cio; i++) {
      const src = a * cio + i;
      ${A.map((xi) => `const g${xi} = dU${xi}[src];`).join(' ')}
      const dst = a * ${r} * cio + i;
      ${R.map((b) => `dw[dst + ${b} * cio] = ${combination(A.map((xi) => G[xi][b]), A.map((xi) => `g${xi}`))};`).join('\n')}
    }`,
  );

  const M = range(m);
  const output = compile(
    `output-F(${m},${r})`,
    ['M', 'n', 'ho', 'wo', 'c', 't', 'e', 'bias', 'y'],
    `${unpack('M', alpha)}
    const s = n * t;
    const wf = wo + 2 * e;
    const hf = ho + 2 * e;
    // The border (outputs that see only padding) is the bias.
    const fill = (from, count) => { for (let i = from; i < from + count * c; i += c) for (let co = 0; co < c; co++) y[i + co] = bias[co]; };
    for (let nn = 0; nn < n; nn++) {
      for (let row = 0; row < hf; row++) {
        const at = (nn * hf + row) * wf * c;
        if (row < e || row >= ho + e) fill(at, wf);
        else if (e > 0) { fill(at, e); fill(at + (wo + e) * c, e); }
      }
    }
    for (let nn = 0; nn < n; nn++) for (let row = 0; row < ho; row++) for (let tt = 0; tt < t; tt++) {
      const src = (row * s + nn * t + tt) * c;
      const dst = ((nn * hf + row + e) * wf + ${m} * tt + e) * c;
      const valid = Math.min(${m}, wo - ${m} * tt);
      for (let co = 0; co < c; co++) {
        ${A.map((xi) => `const g${xi} = M${xi}[src + co];`).join(' ')}
        const b = bias[co];
        ${M.map((o) => `${o > 0 ? `if (valid > ${o}) ` : ''}y[dst + ${o} * c + co] = b + ${combination(AT[o], A.map((xi) => `g${xi}`))};`).join('\n')}
      }
    }`,
  );

  const outputAdjoint = compile(
    `outputAdjoint-F(${m},${r})`,
    ['dy', 'n', 'ho', 'wo', 'c', 't', 'e', 'dM'],
    `${unpack('dM', alpha)}
    const s = n * t;
    const wf = wo + 2 * e;
    for (let nn = 0; nn < n; nn++) for (let row = 0; row < ho; row++) for (let tt = 0; tt < t; tt++) {
      const src = ((nn * (ho + 2 * e) + row + e) * wf + ${m} * tt + e) * c;
      const dst = (row * s + nn * t + tt) * c;
      const valid = Math.min(${m}, wo - ${m} * tt);
      for (let co = 0; co < c; co++) {
        ${M.map((o) => `const q${o} = ${o > 0 ? `valid > ${o} ? dy[src + ${o} * c + co] : 0` : `dy[src + co]`};`).join(' ')}
        ${A.map((xi) => `dM${xi}[dst + co] = ${combination(M.map((o) => AT[o][xi]), M.map((o) => `q${o}`))};`).join('\n')}
      }
    }`,
  );

  return {
    input: input as Kernels['input'],
    inputAdjoint: inputAdjoint as Kernels['inputAdjoint'],
    filter: filter as Kernels['filter'],
    filterAdjoint: filterAdjoint as Kernels['filterAdjoint'],
    output: output as Kernels['output'],
    outputAdjoint: outputAdjoint as Kernels['outputAdjoint'],
  };
}

const kernelCache = new Map<string, Kernels>();

function kernelsFor(m: number, r: number): Kernels {
  const key = `${m},${r}`;
  let k = kernelCache.get(key);
  if (!k) {
    k = generate(winogradMatrices(m, r));
    kernelCache.set(key, k);
  }
  return k;
}

/**
 * Reusable scratch arrays: a training step needs the same sizes every time, and fresh
 * arrays per step showed up as garbage-collector time. Only for arrays that no tensor
 * outlives (the cpu backend keeps the arrays it is given), so one workspace per thread, and
 * a forward's saved arrays are valid until the next forward with the same tag.
 */
export class WinogradWorkspace {
  private readonly arrays = new Map<string, Float32Array>();

  /** An array of `size` values with unspecified contents (the caller overwrites all of it). */
  array(key: string, size: number): Float32Array {
    let a = this.arrays.get(key);
    if (!a || a.length !== size) {
      a = new Float32Array(size);
      this.arrays.set(key, a);
    }
    return a;
  }

  /** An array of `size` zeros. */
  zeros(key: string, size: number): Float32Array {
    const a = this.arrays.get(key);
    if (a && a.length === size) return a.fill(0);
    return this.array(key, size);
  }
}

/** Fresh arrays, for callers without a workspace. */
const noWorkspace = {
  array: (_key: string, size: number) => new Float32Array(size),
  zeros: (_key: string, size: number) => new Float32Array(size),
};

/** What the backward pass needs from the forward (plain arrays: no tensors to dispose). */
export interface WinogradSaved {
  m: number;
  k: number;
  padding: number;
  /** Core padding min(padding, k - 1), and the border of constant output (see convGeometry). */
  corePadding: number;
  border: number;
  xShape: [number, number, number, number];
  cout: number;
  tiles: number;
  /** Transformed input per phase, [H + 2 pc, Cin, S] (the weight gradient's layout). */
  vt: Float32Array[];
  /** Flipped phase kernels [k, Cout, Cin] (the input gradient's). */
  uf: Float32Array[];
  /** Where the backward pass takes its scratch arrays from (see WinogradWorkspace). */
  workspace?: WinogradWorkspace;
  tag: string;
}

/** What readInto uses of the wasm backend (tfjs-backend-wasm 4.x internals). */
interface WasmHeap {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

/**
 * Copies a float32 tensor's values into `out` (a workspace array). On wasm straight from the
 * heap: dataSync allocates a new array per call, and those showed up as garbage-collector
 * time. Other backends: dataSync.
 */
function readInto(t: tf.Tensor, out: Float32Array): Float32Array {
  if (tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as Partial<WasmHeap>;
    const entry = backend.dataIdMap?.get(t.dataId);
    if (entry && backend.wasm) {
      out.set(new Float32Array(backend.wasm.HEAPU8.buffer, entry.memoryOffset, t.size));
      return out;
    }
  }
  out.set(t.dataSync() as Float32Array);
  return out;
}

const rowPad = (p: number): [[number, number], [number, number], [number, number], [number, number]] => [
  [0, 0],
  [p, p],
  [0, 0],
  [0, 0],
];

/**
 * y = conv2d(pad(x, padding), w) + b like convForward (conv-grad.ts), computed with F(m, k)
 * along the width. w and b are the weight values (HWIO [k, k, Cin, Cout], [Cout]).
 */
export function winogradForward(
  x: tf.Tensor4D,
  w: Float32Array,
  b: Float32Array,
  k: number,
  padding: number,
  m: number,
  workspace?: WinogradWorkspace,
  tag = '',
): { y: tf.Tensor4D; saved: WinogradSaved } {
  const ws = workspace ?? noWorkspace;
  const [n, h, wIn, cin] = x.shape;
  const cout = b.length;
  if (w.length !== k * k * cin * cout) throw new Error(`winogradForward: ${w.length} weights do not fit [${k}, ${k}, ${cin}, ${cout}]`);
  const kern = kernelsFor(m, k);
  const alpha = m + k - 1;
  const pc = Math.min(padding, k - 1);
  const e = padding - pc;
  const ho = h + 2 * pc - k + 1;
  const wo = wIn + 2 * pc - k + 1;
  const t = Math.ceil(wo / m);
  const wp = m * t + k - 1;
  const s = n * t;

  // Zero-pad the columns once so the transform's loads need no bounds checks.
  const xs = readInto(x, ws.array(`${tag}x`, x.size));
  const xp = ws.zeros(`${tag}xp`, n * h * wp * cin);
  for (let row = 0; row < n * h; row++) xp.set(xs.subarray(row * wIn * cin, (row + 1) * wIn * cin), (row * wp + pc) * cin);
  const v = range(alpha).map((xi) => ws.array(`${tag}v${xi}`, h * s * cin));
  const vt = range(alpha).map((xi) => ws.zeros(`${tag}vt${xi}`, (h + 2 * pc) * cin * s));
  kern.input(xp, n, h, wp, cin, t, pc, v, vt);
  const u = range(alpha).map((xi) => ws.array(`${tag}u${xi}`, k * cin * cout));
  const uf = range(alpha).map((xi) => ws.array(`${tag}uf${xi}`, k * cin * cout));
  kern.filter(w, k, cin, cout, u, uf);

  const mm: Float32Array[] = [];
  for (let xi = 0; xi < alpha; xi++) {
    // (Not returned from tidy: tidy walks a returned typed array's every index.)
    tf.tidy(() => {
      const out = tf.conv2d(tf.tensor4d(v[xi], [1, h, s, cin]), tf.tensor4d(u[xi], [k, 1, cin, cout]), 1, rowPad(pc));
      mm.push(readInto(out, ws.array(`${tag}mm${xi}`, out.size)));
    });
  }
  const y = new Float32Array(n * (ho + 2 * e) * (wo + 2 * e) * cout);
  kern.output(mm, n, ho, wo, cout, t, e, b, y);
  return {
    y: tf.tensor4d(y, [n, ho + 2 * e, wo + 2 * e, cout]),
    saved: { m, k, padding, corePadding: pc, border: e, xShape: [n, h, wIn, cin], cout, tiles: t, vt, uf, workspace, tag },
  };
}

/**
 * Gradients of winogradForward given dy (the loss gradient for y): dw and db always, dx
 * when asked for. Same results as convBackward up to float rounding.
 */
export function winogradBackward(saved: WinogradSaved, dy: tf.Tensor4D, needDx: boolean): { dx?: tf.Tensor4D; dw: tf.Tensor4D; db: tf.Tensor1D } {
  const { m, k, corePadding: pc, border: e, cout, tiles: t, vt, uf, tag } = saved;
  const ws = saved.workspace ?? noWorkspace;
  const [n, h, wIn, cin] = saved.xShape;
  const kern = kernelsFor(m, k);
  const alpha = m + k - 1;
  const ho = h + 2 * pc - k + 1;
  const wo = wIn + 2 * pc - k + 1;
  const s = n * t;
  const wp = m * t + k - 1;

  const dys = readInto(dy, ws.array(`${tag}dy`, dy.size));
  const db = tf.sum(dy, [0, 1, 2]) as tf.Tensor1D; // (wasm's sum: ~3x a JS loop here)
  const dm = range(alpha).map((xi) => ws.array(`${tag}dm${xi}`, ho * s * cout));
  kern.outputAdjoint(dys, n, ho, wo, cout, t, e, dm);

  const du: Float32Array[] = [];
  const dv: Float32Array[] = [];
  for (let xi = 0; xi < alpha; xi++) {
    tf.tidy(() => {
      const dmT = tf.tensor4d(dm[xi], [1, ho, s, cout]);
      // dU[a, ci, co] = sum_(row, col) VT[row + a, ci, col] dM[row, col, co]: a conv whose
      // taps are dM's rows and whose contraction runs over the S columns (as in
      // convBackpropFilterShifted, with kernel width 1).
      const input = tf.tensor4d(vt[xi], [1, h + 2 * pc, cin, s]);
      const filter = tf.reshape(dmT, [ho, 1, s, cout]) as tf.Tensor4D;
      const g = tf.conv2d(input, filter, 1, 'valid'); // [1, k, Cin, Cout]
      du.push(readInto(g, ws.array(`${tag}du${xi}`, g.size)));
      if (needDx) {
        const gx = tf.conv2d(dmT, tf.tensor4d(uf[xi], [k, 1, cout, cin]), 1, rowPad(k - 1 - pc)); // [1, H, S, Cin]
        dv.push(readInto(gx, ws.array(`${tag}dv${xi}`, gx.size)));
      }
    });
  }
  const dw = new Float32Array(k * k * cin * cout);
  kern.filterAdjoint(du, k, cin * cout, dw);
  const grads: { dx?: tf.Tensor4D; dw: tf.Tensor4D; db: tf.Tensor1D } = {
    dw: tf.tensor4d(dw, [k, k, cin, cout]),
    db,
  };
  if (needDx) {
    const dxp = ws.zeros(`${tag}dxp`, n * h * wp * cin);
    kern.inputAdjoint(dv, n, h, wp, cin, t, dxp);
    const dx = new Float32Array(n * h * wIn * cin);
    for (let row = 0; row < n * h; row++) dx.set(dxp.subarray((row * wp + pc) * cin, (row * wp + pc + wIn) * cin), row * wIn * cin);
    grads.dx = tf.tensor4d(dx, [n, h, wIn, cin]);
  }
  return grads;
}
