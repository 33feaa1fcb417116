// safetensors reader/writer: the reference file (written by Python), exact round trips,
// and refusal of other dtypes and of truncated or corrupt files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureSet } from './reference-fixtures.ts';
import { parseSafetensors, SafetensorsError, serializeSafetensors, type TensorMap } from './safetensors.ts';
import { firstBitDifference, randomArray, rng } from './test-support.ts';

const refBytes = () => new Uint8Array(readFileSync(fixtureSet().path('seed_cnn.safetensors')));

/** Builds a file from a raw header object and data bytes (to forge broken files). */
function forge(header: unknown, data: Uint8Array, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** The header JSON of a file, as Python wrote it. */
function headerOf(bytes: Uint8Array): Record<string, unknown> {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
}

describe('parseSafetensors on the reference file', () => {
  it('reads every tensor the header lists, with its shape and little-endian values', () => {
    const bytes = refBytes();
    const header = headerOf(bytes);
    const { tensors, metadata } = parseSafetensors(bytes);
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    expect([...tensors.keys()]).toEqual(names);
    const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const data = new DataView(bytes.buffer, bytes.byteOffset + 8 + n);
    for (const name of names) {
      const h = header[name] as { shape: number[]; data_offsets: [number, number] };
      const t = tensors.get(name)!;
      expect(t.shape).toEqual(h.shape);
      expect(t.data.length).toBe((h.data_offsets[1] - h.data_offsets[0]) / 4);
      // Spot-check first and last values straight from the bytes.
      expect(t.data[0]).toBe(data.getFloat32(h.data_offsets[0], true));
      expect(t.data[t.data.length - 1]).toBe(data.getFloat32(h.data_offsets[1] - 4, true));
    }
    expect(metadata).toEqual(header.__metadata__);
  });

  it('re-serializes the reference file to the same tensors and metadata', () => {
    const a = parseSafetensors(refBytes());
    const b = parseSafetensors(serializeSafetensors(a.tensors, a.metadata));
    expect([...b.tensors.keys()]).toEqual([...a.tensors.keys()]);
    for (const [name, t] of a.tensors) {
      expect(b.tensors.get(name)!.shape).toEqual(t.shape);
      expect(firstBitDifference(b.tensors.get(name)!.data, t.data)).toBe(-1);
    }
    expect(b.metadata).toEqual(a.metadata);
  });

  it('accepts a buffer that does not start at offset 0 (unaligned data)', () => {
    const bytes = refBytes();
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const a = parseSafetensors(bytes);
    const b = parseSafetensors(shifted.subarray(3));
    for (const [name, t] of a.tensors) expect(firstBitDifference(b.tensors.get(name)!.data, t.data)).toBe(-1);
  });
});

describe('serializeSafetensors', () => {
  it('round-trips values bit-exactly, including signed zero, subnormals and extremes', () => {
    const rand = rng(7);
    const special = Float32Array.of(-0, 0, 1.4e-45, -3.4028234663852886e38, 3.4028234663852886e38, 1e-30);
    const tensors: TensorMap = new Map([
      ['a', { shape: [2, 3], data: special }],
      ['b.weight', { shape: [4, 1, 2, 2], data: randomArray(16, rand) }],
      ['empty', { shape: [0, 5], data: new Float32Array(0) }],
      ['scalar', { shape: [], data: Float32Array.of(42.5) }],
    ]);
    const bytes = serializeSafetensors(tensors, { format: 'pt' });
    // Data starts 8-byte aligned (header padded with spaces).
    expect(new DataView(bytes.buffer).getUint32(0, true) % 8).toBe(0);
    const back = parseSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    for (const [name, t] of tensors) {
      const u = back.tensors.get(name)!;
      expect(u.shape).toEqual(t.shape);
      expect(firstBitDifference(u.data, t.data)).toBe(-1);
    }
  });

  it('refuses a tensor whose value count does not match its shape', () => {
    const bad: TensorMap = new Map([['x', { shape: [2, 2], data: new Float32Array(3) }]]);
    expect(() => serializeSafetensors(bad)).toThrow(/"x" has 3 values but shape \[2, 2\]/);
  });
});

describe('parseSafetensors refuses broken files', () => {
  const ok = { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const eight = new Uint8Array(8);

  const cases: [string, () => Uint8Array, RegExp][] = [
    ['an empty file', () => new Uint8Array(0), /truncated.*needs 8/],
    ['a file cut inside the header', () => refBytes().subarray(0, 500), /truncated: header needs \d+ bytes/],
    ['a file cut inside the data', () => refBytes().subarray(0, refBytes().length - 1), /truncated: tensor "[^"]+" ends at data byte/],
    ['an absurd header length', () => Uint8Array.of(255, 255, 255, 255, 255, 255, 0, 0, 123), /header length .* implausible/],
    ['a header that is not JSON', () => forge(null, eight, '{"x": {'), /not valid UTF-8 JSON/],
    ['a header that is a JSON array', () => forge([], eight), /not a JSON object/],
    ['another dtype', () => forge({ x: { dtype: 'F16', shape: [4], data_offsets: [0, 8] } }, eight), /"x" has dtype "F16"; only F32/],
    ['a shape that does not fit the offsets', () => forge({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, eight), /spans 8 bytes but shape \[3\] needs 12/],
    ['a negative dimension', () => forge({ x: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, eight), /invalid shape/],
    ['reversed offsets', () => forge({ x: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, eight), /invalid data_offsets/],
    ['trailing bytes', () => forge(ok, new Uint8Array(12)), /4 trailing bytes/],
    [
      'a hole between tensors',
      () => forge({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eight),
      /4 unaccounted bytes before tensor "x"/,
    ],
    [
      'overlapping tensors',
      () =>
        forge(
          { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } },
          eight,
        ),
      /"y" overlaps/,
    ],
    ['non-string metadata', () => forge({ __metadata__: { n: 3 }, ...ok }, eight), /__metadata__ value "n" must be a string/],
    ['an entry that is not an object', () => forge({ x: 3 }, eight), /entry "x" is not an object/],
  ];
  for (const [what, make, message] of cases) {
    it(`refuses ${what}`, () => {
      const bytes = make();
      expect(() => parseSafetensors(bytes)).toThrow(SafetensorsError);
      expect(() => parseSafetensors(bytes)).toThrow(message);
    });
  }
});
