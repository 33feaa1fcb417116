// Shared by the model tests only: fixture access, the check that a fixture case passed, a
// seeded RNG, a leak check, and a plain loop implementation of PyTorch's forward pass
// (NCHW) to check the TF.js port against something that shares none of its code.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { casesOfKind, fixtureSet, SHARED_REFERENCE, type ModelCase } from './reference-fixtures.ts';
import type { CaseResult } from './reference-check.ts';
import type { CnnConfig } from './config.ts';
import { parseSafetensors, type TensorMap } from './safetensors.ts';
import { configFromTorchTensors, torchParamShapes } from './torch-weights.ts';
import { createRng } from '../training/random.ts';

/** The fixture set (MODEL_FIXTURES may point at another set in the same format). */
export const FIXTURE_DIR = process.env.MODEL_FIXTURES ?? SHARED_REFERENCE;

export interface LoadedModelCase {
  case: ModelCase;
  config: CnnConfig;
  tensors: TensorMap;
  /** Each input spectrogram, mels x frames row-major. */
  inputs: Float32Array[];
  expected: Float32Array;
}

/** Every model case, loaded; throws, saying what is missing, without the fixture set. */
export function modelCases(dir = FIXTURE_DIR): LoadedModelCase[] {
  const set = fixtureSet(dir);
  return casesOfKind(set.manifest(), 'model').map((c) => {
    const { tensors } = parseSafetensors(readFileSync(set.path(c.weights)));
    const [n, channels, h, w] = c.input.shape;
    if (channels !== 1) throw new Error(`${c.name}: input has ${channels} channels`);
    const config = configFromTorchTensors(tensors, c.config ?? {}, [h, w]);
    const all = set.array(c.input);
    const inputs = Array.from({ length: n }, (_, i) => all.slice(i * h * w, (i + 1) * h * w));
    return { case: c, config, tensors, inputs, expected: set.array(c.output) };
  });
}

/** A fixture case ran and every measure is within its SPEC section 5 tolerance. */
export function expectCasePasses(r: CaseResult): void {
  expect(r.failure, `${r.name} could not run`).toBeUndefined();
  expect(r.measures.length, `${r.name} measured nothing`).toBeGreaterThan(0);
  for (const m of r.measures) expect(m.error, `${r.name}: ${m.what}`).toBeLessThanOrEqual(m.tolerance);
}

/** Deterministic uniform [0, 1) numbers. */
export const rng = createRng;

export function randomArray(n: number, rand: () => number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
}

/** Random PyTorch-layout weights for a config, scaled like PyTorch's default init. */
export function randomTorchTensors(config: CnnConfig, seed: number): TensorMap {
  const rand = rng(seed);
  const out: TensorMap = new Map();
  for (const [name, shape] of torchParamShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const fanIn = name.endsWith('.bias') ? n : shape.slice(1).reduce((a, b) => a * b, 1);
    const b = 1 / Math.sqrt(fanIn);
    out.set(name, { shape, data: randomArray(n, rand, -b, b) });
  }
  return out;
}

/** Runs `fn` and checks the live tensor count is back where it started. */
export async function expectNoLeak<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** PyTorch's forward pass in float64 loops: NCHW, conv with zero padding, floor pooling, (C,H,W) flatten. */
export function torchForward(config: CnnConfig, t: TensorMap, input: Float32Array): number {
  const k = config.kernelSize;
  const p = config.padding;
  let [h, w] = config.inputShape;
  let c = 1;
  let x: Float64Array = Float64Array.from(input);
  config.channels.forEach((cout, b) => {
    const wt = t.get(`conv${b + 1}.weight`)!.data;
    const bias = t.get(`conv${b + 1}.bias`)!.data;
    const oh = h + 2 * p - k + 1;
    const ow = w + 2 * p - k + 1;
    const y = new Float64Array(cout * oh * ow);
    for (let o = 0; o < cout; o++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let s = bias[o];
          for (let ci = 0; ci < c; ci++)
            for (let u = 0; u < k; u++) {
              const r = i + u - p;
              if (r < 0 || r >= h) continue;
              for (let v = 0; v < k; v++) {
                const q = j + v - p;
                if (q < 0 || q >= w) continue;
                s += wt[((o * c + ci) * k + u) * k + v] * x[(ci * h + r) * w + q];
              }
            }
          y[(o * oh + i) * ow + j] = config.activation === 'relu' ? Math.max(0, s) : 1 / (1 + Math.exp(-s));
        }
    const ph = Math.floor(oh / 2);
    const pw = Math.floor(ow / 2);
    const z = new Float64Array(cout * ph * pw);
    for (let o = 0; o < cout; o++)
      for (let i = 0; i < ph; i++)
        for (let j = 0; j < pw; j++) {
          const at = (di: number, dj: number) => y[(o * oh + 2 * i + di) * ow + 2 * j + dj];
          const four = [at(0, 0), at(0, 1), at(1, 0), at(1, 1)];
          z[(o * ph + i) * pw + j] = config.pooling === 'avg' ? (four[0] + four[1] + four[2] + four[3]) / 4 : Math.max(...four);
        }
    x = z;
    h = ph;
    w = pw;
    c = cout;
  });
  const fw = t.get('fc.weight')!.data;
  let s = t.get('fc.bias')!.data[0];
  for (let i = 0; i < x.length; i++) s += fw[i] * x[i];
  return s;
}

/** Index of the first value whose bits differ (-1: identical); quicker than toEqual on big arrays. */
export function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
