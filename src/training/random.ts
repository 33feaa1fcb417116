// Seeded pseudo-random numbers for training (shuffles, splits, augmentation): mulberry32,
// small and deterministic in every JS engine, so a seed reproduces a run exactly.
// Not for security.

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32 generator for a 32-bit seed (any number: it is taken modulo 2^32). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Uniform whole number in [lo, hi] (both included). */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Standard normal numbers (Box-Muller; the second value of each pair is kept for the next call). */
export function createGaussian(rng: Rng): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    // 1 - u is in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const theta = 2 * Math.PI * rng();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** A shuffled copy (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A fresh 32-bit seed derived from a seed and a stream number (e.g. epoch, fold), so streams do not overlap. */
export function deriveSeed(seed: number, stream: number): number {
  const r = createRng((seed >>> 0) ^ Math.imul((stream + 1) >>> 0, 0x9e3779b1));
  return Math.floor(r() * 4294967296) >>> 0;
}
