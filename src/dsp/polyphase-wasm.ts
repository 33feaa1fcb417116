// The resampler's inner loop as a tiny WebAssembly module with 128-bit SIMD, assembled here
// from its bytes (no toolchain, no file to fetch): for each output, the dot product of its
// phase's taps with the input around it, four products at a time in two f64x2 halves.
// Returns null where WebAssembly or its SIMD is missing; the caller then runs the same
// arithmetic in JS (polyphase.ts), which gives the same bits.
//
// Exported function: run(lo, off, taps, buf, out, count, p, frame, orig, newF), all i32
// (the first five are byte addresses in the module's memory). For count outputs from phase
// p with frame offset `frame` (input index of the frame's first sample relative to buf):
//   j0 = off[p], j1 = off[p + 1], x = buf + frame + lo[p]
//   a_i += taps[j0 + 4q + i] * x[4q + i] (i = 0..3, in float64) for whole groups of four,
//   then a_0 += taps[j] * x[j - j0] for the rest, out[m] = float32((a_0 + a_1) + (a_2 + a_3));
//   p += 1, and at p = newF: p = 0, frame += orig.
// float64 sums, not float32: a float32 accumulation (tried first, f32x4, twice as fast)
// moved quiet clips' normalised dB features past SPEC's 1e-4 dB against torchaudio.

const I32 = 0x7f;
const V128 = 0x7b;
const F64 = 0x7c;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

// Parameters 0-9, then locals 10-12 (i32 tj, tEnd, bj), 13-14 (v128: lanes a0 a1, a2 a3), 15 (f64 a0).
const [LO, OFF, TAPS, BUF, OUT, COUNT, P, FRAME, ORIG, NEWF, TJ, TEND, BJ, ACC01, ACC23, A0] = Array.from({ length: 16 }, (_, i) => i);

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const ADD = 0x6a;
const SUB = 0x6b;
const SHL = 0x74;
const EQ = 0x46;
const EQZ = 0x45;
const GT_U = 0x4b;
const GE_U = 0x4f;
const LOAD = (offset: number) => [0x28, 0x02, ...uleb(offset)];
const F32_LOAD = [0x2a, 0x02, 0x00];
const F32_STORE = [0x38, 0x02, 0x00];
const F64_PROMOTE = 0xbb;
const F32_DEMOTE = 0xb6;
const F64_ADD = 0xa0;
const F64_MUL = 0xa2;
/** Two float32 at the address (+ offset) as an f64x2. */
const load2 = (offset: number) => [0xfd, ...uleb(93), 0x00, ...uleb(offset), 0xfd, ...uleb(95)];
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const F64X2_ADD = [0xfd, ...uleb(240)];
const F64X2_MUL = [0xfd, ...uleb(242)];
const lane = (l: number) => [0xfd, ...uleb(33), l];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const END = 0x0b;
const br = (depth: number) => [0x0c, depth];
const brIf = (depth: number) => [0x0d, depth];
/** local += step (i32). */
const bump = (i: number, step: number) => [...get(i), ...i32(step), ADD, ...set(i)];
/** base + 4 * value-on-stack, where `loadIndex` pushes the index. */
const addr4 = (base: number, loadIndex: number[]) => [...get(base), ...loadIndex, ...i32(2), SHL, ADD];
/** The i32 at table + 4p + offset. */
const tableAt = (table: number, offset = 0) => [...addr4(table, get(P)), ...LOAD(offset)];

const BODY: number[] = [
  ...BLOCK,
  ...get(COUNT), EQZ, ...brIf(0),
  ...LOOP,
  // tj = taps + 4 off[p]; tEnd = taps + 4 off[p + 1]; bj = buf + 4 (frame + lo[p])
  ...addr4(TAPS, tableAt(OFF)), ...set(TJ),
  ...addr4(TAPS, tableAt(OFF, 4)), ...set(TEND),
  ...addr4(BUF, [...get(FRAME), ...tableAt(LO), ADD]), ...set(BJ),
  ...V128_ZERO, ...set(ACC01),
  ...V128_ZERO, ...set(ACC23),
  ...BLOCK, ...LOOP,
  ...get(TJ), ...i32(16), ADD, ...get(TEND), GT_U, ...brIf(1),
  ...get(ACC01), ...get(TJ), ...load2(0), ...get(BJ), ...load2(0), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC01),
  ...get(ACC23), ...get(TJ), ...load2(8), ...get(BJ), ...load2(8), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC23),
  ...bump(TJ, 16), ...bump(BJ, 16),
  ...br(0),
  END, END,
  ...get(ACC01), ...lane(0), ...set(A0),
  ...BLOCK, ...LOOP,
  ...get(TJ), ...get(TEND), GE_U, ...brIf(1),
  ...get(A0), ...get(TJ), ...F32_LOAD, F64_PROMOTE, ...get(BJ), ...F32_LOAD, F64_PROMOTE, F64_MUL, F64_ADD, ...set(A0),
  ...bump(TJ, 4), ...bump(BJ, 4),
  ...br(0),
  END, END,
  ...get(OUT),
  ...get(A0), ...get(ACC01), ...lane(1), F64_ADD,
  ...get(ACC23), ...lane(0), ...get(ACC23), ...lane(1), F64_ADD, F64_ADD, F32_DEMOTE,
  ...F32_STORE,
  ...bump(OUT, 4),
  ...get(P), ...i32(1), ADD, ...tee(P), ...get(NEWF), EQ,
  ...IF, ...i32(0), ...set(P), ...get(FRAME), ...get(ORIG), ADD, ...set(FRAME), END,
  ...get(COUNT), ...i32(1), SUB, ...tee(COUNT), ...brIf(0),
  END,
  END,
  END, // function
];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([[0x60, ...vec(new Array<number>(10).fill(I32).map((t) => [t])), 0x00]]));
  const func = section(3, vec([uleb(0)]));
  const memory = section(5, vec([[0x00, ...uleb(1)]]));
  const exports = section(7, vec([
    [...vec('run'.split('').map((c) => [c.charCodeAt(0)])), 0x00, 0x00],
    [...vec('memory'.split('').map((c) => [c.charCodeAt(0)])), 0x02, 0x00],
  ]));
  const locals = vec([[...uleb(3), I32], [...uleb(2), V128], [...uleb(1), F64]]);
  const fn = [...locals, ...BODY];
  const code = section(10, vec([[...uleb(fn.length), ...fn]]));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...func, ...memory, ...exports, ...code]);
}

export interface PolyphaseWasm {
  run(lo: number, off: number, taps: number, buf: number, out: number, count: number, p: number, frame: number, orig: number, newF: number): void;
  memory: WebAssembly.Memory;
}

let instance: PolyphaseWasm | null | undefined;

/** The module, compiled once (synchronously: it is a few hundred bytes); null without WebAssembly SIMD. */
export function polyphaseWasm(): PolyphaseWasm | null {
  if (instance !== undefined) return instance;
  instance = null;
  try {
    if (typeof WebAssembly === 'undefined') return null;
    const bytes = moduleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as PolyphaseWasm;
    instance = exports;
  } catch {
    // A page whose CSP forbids compiling (no 'wasm-unsafe-eval') keeps the JS loop.
    instance = null;
  }
  return instance;
}

/** Forgets the compiled module, so the next call compiles again or, with `disable`, keeps the JS loop (tests). */
export function setPolyphaseWasmForTests(disable: boolean): void {
  instance = disable ? null : undefined;
}
