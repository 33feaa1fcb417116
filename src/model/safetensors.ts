// Reads and writes the safetensors format (https://github.com/huggingface/safetensors),
// float32 tensors only: the interchange format for PyTorch weights (SPEC section 2).
// Pure bytes in, bytes out: no TF.js, no file system, so the browser and scripts share it.
//
// Layout: 8-byte little-endian header length N, N bytes of UTF-8 JSON
// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {string: string}}),
// then the data buffer, which the offsets must cover exactly (no holes, no overlap).

/** A float32 tensor in C (row-major) order. */
export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

/** Tensors by name, in file order. */
export type TensorMap = Map<string, NamedTensor>;

export interface SafetensorsContents {
  tensors: TensorMap;
  /** The optional `__metadata__` map (string to string). */
  metadata: Record<string, string>;
}

/** Thrown for a file that is not a well-formed float32 safetensors file; the message says why. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

const METADATA_KEY = '__metadata__';
/** The reference implementation's limit: a bigger header means a corrupt length field. */
const MAX_HEADER_BYTES = 100_000_000;
const F32_BYTES = 4;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

interface HeaderEntry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, raw: unknown, dataBytes: number): HeaderEntry {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SafetensorsError(`safetensors: entry "${name}" is not an object`);
  }
  const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (e.dtype !== 'F32') {
    throw new SafetensorsError(
      `safetensors: tensor "${name}" has dtype ${JSON.stringify(e.dtype)}; only F32 is supported (save the weights as float32)`,
    );
  }
  if (!Array.isArray(e.shape) || !e.shape.every(isNonNegInt)) {
    throw new SafetensorsError(`safetensors: tensor "${name}" has an invalid shape ${JSON.stringify(e.shape)}`);
  }
  const offsets = e.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegInt) || offsets[0] > offsets[1]) {
    throw new SafetensorsError(`safetensors: tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const shape = e.shape as number[];
  const need = elementCount(shape) * F32_BYTES;
  if (end - begin !== need) {
    throw new SafetensorsError(
      `safetensors: tensor "${name}" spans ${end - begin} bytes but shape [${shape.join(', ')}] needs ${need}`,
    );
  }
  if (end > dataBytes) {
    throw new SafetensorsError(
      `safetensors: file is truncated: tensor "${name}" ends at data byte ${end} but only ${dataBytes} data bytes are present`,
    );
  }
  return { name, shape: [...shape], begin, end };
}

function parseMetadata(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SafetensorsError('safetensors: __metadata__ must be an object of strings');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') {
      throw new SafetensorsError(`safetensors: __metadata__ value "${k}" must be a string, got ${typeof v}`);
    }
    out[k] = v;
  }
  return out;
}

/** The offsets must tile the data buffer exactly: a hole or overlap means a corrupt file. */
function checkCoverage(entries: HeaderEntry[], dataBytes: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const e of sorted) {
    if (e.begin !== pos) {
      throw new SafetensorsError(
        e.begin < pos
          ? `safetensors: tensor "${e.name}" overlaps the previous tensor (starts at ${e.begin}, expected ${pos})`
          : `safetensors: ${e.begin - pos} unaccounted bytes before tensor "${e.name}" (corrupt header)`,
      );
    }
    pos = e.end;
  }
  if (pos !== dataBytes) {
    throw new SafetensorsError(`safetensors: ${dataBytes - pos} trailing bytes after the last tensor (corrupt file)`);
  }
}

function toBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** Parses a safetensors file; throws SafetensorsError for any other dtype or a corrupt/truncated file. */
export function parseSafetensors(input: Uint8Array | ArrayBuffer): SafetensorsContents {
  const bytes = toBytes(input);
  if (bytes.byteLength < 8) {
    throw new SafetensorsError(`safetensors: file is truncated: ${bytes.byteLength} bytes, the header length alone needs 8`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const headerBytes = hi * 2 ** 32 + lo;
  if (hi !== 0 || headerBytes > MAX_HEADER_BYTES) {
    throw new SafetensorsError(`safetensors: header length ${headerBytes} is implausible (not a safetensors file?)`);
  }
  if (8 + headerBytes > bytes.byteLength) {
    throw new SafetensorsError(
      `safetensors: file is truncated: header needs ${headerBytes} bytes, only ${bytes.byteLength - 8} follow the length field`,
    );
  }
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes));
    header = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsError(`safetensors: header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) {
    throw new SafetensorsError('safetensors: header is not a JSON object');
  }
  const dataStart = 8 + headerBytes;
  const dataBytes = bytes.byteLength - dataStart;
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(raw);
    else entries.push(parseEntry(name, raw, dataBytes));
  }
  checkCoverage(entries, dataBytes);

  const tensors: TensorMap = new Map();
  for (const e of entries) {
    const n = (e.end - e.begin) / F32_BYTES;
    const data = new Float32Array(n);
    // DataView: the data may be unaligned in the buffer, and the file is little-endian whatever the host.
    const base = dataStart + e.begin;
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(base + i * F32_BYTES, true);
    tensors.set(e.name, { shape: e.shape, data });
  }
  return { tensors, metadata };
}

/** Serializes float32 tensors (in the map's order) with optional string metadata. */
export function serializeSafetensors(
  tensors: ReadonlyMap<string, NamedTensor>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header[METADATA_KEY] = { ...metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === METADATA_KEY) throw new SafetensorsError(`safetensors: "${METADATA_KEY}" cannot name a tensor`);
    if (!t.shape.every((d) => isNonNegInt(d))) {
      throw new SafetensorsError(`safetensors: tensor "${name}" has an invalid shape [${t.shape.join(', ')}]`);
    }
    if (elementCount(t.shape) !== t.data.length) {
      throw new SafetensorsError(
        `safetensors: tensor "${name}" has ${t.data.length} values but shape [${t.shape.join(', ')}]`,
      );
    }
    const size = t.data.length * F32_BYTES;
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces (the format allows it) so the data starts 8-byte aligned.
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.byteLength, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let pos = 8 + json.byteLength;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++, pos += F32_BYTES) view.setFloat32(pos, t.data[i], true);
  }
  return out;
}
