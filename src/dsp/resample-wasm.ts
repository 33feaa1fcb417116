// The resampler's inner loop as a tiny WebAssembly SIMD module, its bytes written out here
// (no toolchain, no file to fetch): compiled synchronously, it works the same in Node, in
// the page and in the analysis worker. JS's scalar loop did one multiply-add per step,
// with bounds checks and float32->float64 conversions; this loop does 8 per step (two
// f32x4 vectors), which took 1 s of 48 kHz from 0.8 ms to 0.07 ms.
//
// conv(taps, lo, off, newF, orig, p, frame, count, buf, out), all addresses in bytes:
// for each of `count` outputs, starting at phase p whose frame begins at input `frame`
// (an index into the f32 array at `buf`), out[i] = dot(taps[off[p] .. off[p+1]),
// buf[frame + lo[p] ...]), then p advances (frame += orig when it wraps to 0). Each
// phase's taps are padded with zeros to a multiple of 8, so a phase is whole pairs of
// vectors. The arithmetic, the same for every output wherever its inputs sit: two f32x4
// partial sums a (taps 8i..8i+3) and b (8i+4..8i+7), each term rounded to float32 as it
// is added, then s = a + b lane-wise and out = (s0 + s1) + (s2 + s3).

/** f32x4 partial sums, independent chains the CPU can overlap (4 measured no faster, and pads more). */
const ACCS = 2;
/** Taps per phase are padded to a multiple of this. */
export const TAP_BLOCK = 4 * ACCS;

const I32 = 0x7f;
const V128 = 0x7b;

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

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

// Parameters and locals of conv, by index.
const [TAPS, LO, OFF, NEWF, ORIG, P, FRAME, COUNT, BUF, OUT, TP, TEND, SP, A] = Array.from({ length: 14 }, (_, i) => i);
const accs = Array.from({ length: ACCS }, (_, i) => A + i);

const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const i32c = (n: number) => [0x41, ...sleb(n)];
const add = [0x6a];
const shl2 = [...i32c(2), 0x74];
const i32load = (offset: number) => [0x28, 2, ...uleb(offset)];
const v128load = (offset: number) => [0xfd, 0x00, 0, ...uleb(offset)];
const f32x4add = [0xfd, 0xe4, 0x01];
const f32x4mul = [0xfd, 0xe6, 0x01];
const lane = (l: number) => [0xfd, 0x1f, l];
const f32add = [0x92];

/** acc += taps[tp + offset] * buf[sp + offset], one f32x4 of each. */
const madd = (acc: number, offset: number) => [...get(acc), ...get(TP), ...v128load(offset), ...get(SP), ...v128load(offset), ...f32x4mul, ...f32x4add, ...set(acc)];

/** s = (acc0 + acc1) + (acc2 + acc3) lane-wise (pairwise for any ACCS), left in A. */
const sumAccs: number[] = [];
for (let step = 1; step < ACCS; step *= 2) {
  for (let i = 0; i + step < ACCS; i += 2 * step) sumAccs.push(...get(accs[i]), ...get(accs[i + step]), ...f32x4add, ...set(accs[i]));
}
sumAccs.push(...get(A));

const body = [
  ...vec([
    [3, I32], // tp, tEnd, sp
    [ACCS, V128], // the partial sums
  ]),
  0x03, 0x40, // loop over outputs
  // tp = taps + 4 * off[p]; tEnd = taps + 4 * off[p + 1]
  ...get(OFF), ...get(P), ...shl2, ...add, ...tee(TEND),
  ...i32load(0), ...shl2, ...get(TAPS), ...add, ...set(TP),
  ...get(TEND), ...i32load(4), ...shl2, ...get(TAPS), ...add, ...set(TEND),
  // sp = buf + 4 * (frame + lo[p])
  ...get(LO), ...get(P), ...shl2, ...add, ...i32load(0), ...get(FRAME), ...add, ...shl2, ...get(BUF), ...add, ...set(SP),
  ...accs.flatMap((acc) => [0xfd, 0x0c, ...new Array<number>(16).fill(0), ...set(acc)]),
  0x02, 0x40, // block: an empty support skips the loop
  ...get(TP), ...get(TEND), 0x4f, 0x0d, 0, // i32.ge_u; br_if 0
  0x03, 0x40,
  ...accs.flatMap((acc, i) => madd(acc, 16 * i)),
  ...get(SP), ...i32c(4 * TAP_BLOCK), ...add, ...set(SP),
  ...get(TP), ...i32c(4 * TAP_BLOCK), ...add, ...tee(TP), ...get(TEND), 0x49, 0x0d, 0, // i32.lt_u; br_if 0
  0x0b,
  0x0b,
  // out[0] = (s0 + s1) + (s2 + s3), s = a + b
  ...get(OUT),
  ...sumAccs,
  ...lane(0), ...get(A), ...lane(1), ...f32add,
  ...get(A), ...lane(2), ...get(A), ...lane(3), ...f32add,
  ...f32add,
  0x38, 2, 0, // f32.store
  ...get(OUT), ...i32c(4), ...add, ...set(OUT),
  // next phase; a new frame when it wraps
  ...get(P), ...i32c(1), ...add, ...tee(P), ...get(NEWF), 0x46, // i32.eq
  0x04, 0x40,
  ...i32c(0), ...set(P),
  ...get(FRAME), ...get(ORIG), ...add, ...set(FRAME),
  0x0b,
  ...get(COUNT), ...i32c(1), 0x6b, ...tee(COUNT), 0x0d, 0, // i32.sub; br_if 0 (loop)
  0x0b,
  0x0b,
];

// finite(ptr, bytes) -> 1 when any of the f32s at ptr .. ptr+bytes-1 (bytes a multiple
// of 16) is NaN or infinite: v - v is +0 for a finite v and NaN otherwise, so OR-ing
// the differences' bits leaves a non-zero lane exactly then.
const [PTR, BYTES, FEND, FACC] = [0, 1, 2, 3];
const finiteBody = [
  ...vec([
    [1, I32],
    [2, V128], // acc, v
  ]),
  ...get(PTR), ...get(BYTES), ...add, ...set(FEND),
  0xfd, 0x0c, ...new Array<number>(16).fill(0), ...set(FACC),
  0x02, 0x40,
  ...get(PTR), ...get(FEND), 0x4f, 0x0d, 0, // i32.ge_u; br_if 0
  0x03, 0x40,
  ...get(FACC), ...get(PTR), ...v128load(0), 0x22, 4, 0x20, 4, 0xfd, 0xe5, 0x01, // tee v; get v; f32x4.sub
  0xfd, 0x50, ...set(FACC), // v128.or
  ...get(PTR), ...i32c(16), ...add, ...tee(PTR), ...get(FEND), 0x49, 0x0d, 0, // i32.lt_u; br_if 0
  0x0b,
  0x0b,
  ...get(FACC), 0xfd, 0x53, // v128.any_true
  0x0b,
];

const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([
    [0x60, ...vec(new Array<number[]>(10).fill([I32])), 0],
    [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])],
  ])),
  ...section(3, vec([[0], [1]])),
  ...section(5, vec([[0x00, 1]])), // one memory, 1 page to start
  ...section(7, vec([
    [...name('conv'), 0x00, 0],
    [...name('finite'), 0x00, 1],
    [...name('mem'), 0x02, 0],
  ])),
  ...section(10, vec([
    [...uleb(body.length), ...body],
    [...uleb(finiteBody.length), ...finiteBody],
  ])),
]);

/** What the loop needs of its memory: WebAssembly.Memory, or resample-js.ts's stand-in. */
export interface ConvMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface ConvModule {
  readonly memory: ConvMemory;
  /** See the head of this file; requires count >= 1. */
  conv(taps: number, lo: number, off: number, newF: number, orig: number, p: number, frame: number, count: number, buf: number, out: number): void;
  /** 1 when a sample in [ptr, ptr + bytes) is NaN or infinite; bytes a multiple of 16. */
  finite(ptr: number, bytes: number): number;
}

/** Whether this engine runs the SIMD module (Node 16.4+, Chrome 91+, Firefox 89+, Safari 16.4+). */
export function simdSupported(): boolean {
  return typeof WebAssembly !== 'undefined' && WebAssembly.validate(MODULE);
}

/** A fresh instance of the SIMD module (its own memory). Throws when the engine lacks WebAssembly SIMD. */
export function instantiateConv(): ConvModule {
  if (!simdSupported()) throw new Error('the resampler needs WebAssembly SIMD (Node 16.4+, Chrome 91+, Firefox 89+, Safari 16.4+)');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE), {});
  const exports = instance.exports as unknown as Omit<ConvModule, 'memory'> & { mem: WebAssembly.Memory };
  return { memory: exports.mem, conv: exports.conv, finite: exports.finite };
}
