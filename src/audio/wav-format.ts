// Which sample encoding a WAV's fmt chunk declares: integer or IEEE float, and its width.
// The format code decides, and for WAVE_FORMAT_EXTENSIBLE (0xFFFE) the sub-format GUID
// does: its bit depth alone cannot tell 32-bit float from 32-bit integer. Anything else is
// refused with the format named, never read as some other encoding.

/** The fmt chunk's fields this needs (as the `wavefile` package reads them). */
export interface WavFmtFields {
  audioFormat: number;
  bitsPerSample: number;
  /** Bytes of the fmt chunk: 40 for a full extensible header. */
  chunkSize: number;
  /** The extensible sub-format GUID as four little-endian 32-bit words ([] when absent). */
  subformat: number[];
}

/** How each sample is stored. */
export interface SampleEncoding {
  kind: 'int' | 'float';
  bits: 8 | 16 | 24 | 32 | 64;
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/** KSDATAFORMAT_SUBTYPE_xxx = {code}-0000-0010-8000-00aa00389b71: the words after the code. */
const GUID_TAIL = [0x00100000, 0xaa000080, 0x719b3800];

/** Names of format codes users meet, for the refusal message. */
const FORMAT_NAMES: Record<number, string> = {
  1: 'PCM',
  2: 'MS ADPCM',
  3: 'IEEE float',
  6: 'A-law',
  7: 'µ-law',
  0x11: 'IMA ADPCM',
  0x31: 'GSM 6.10',
  0x55: 'MP3',
  0xfffe: 'extensible',
};

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');

/** The GUID in its usual written form (e.g. 00000003-0000-0010-8000-00aa00389b71). */
function guidText(words: number[]): string {
  const bytes = words.slice(2).flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);
  const b = bytes.map((x) => hex(x, 2)).join('');
  return `${hex(words[0] >>> 0, 8)}-${hex(words[1] & 0xffff, 4)}-${hex(words[1] >>> 16, 4)}-${b.slice(0, 4)}-${b.slice(4)}`;
}

function formatName(code: number): string {
  return `${FORMAT_NAMES[code] ?? 'format'} (0x${hex(code, 4)})`;
}

const SUPPORTED = 'this reads PCM 8/16/24/32-bit integer and IEEE float 32/64-bit';

/** The encoding of `code` at `bits`, or why it is not one this reads. */
function encodingOf(code: number, bits: number, what: string): SampleEncoding | { unsupported: string } {
  if (code === PCM && (bits === 8 || bits === 16 || bits === 24 || bits === 32)) return { kind: 'int', bits };
  if (code === IEEE_FLOAT && (bits === 32 || bits === 64)) return { kind: 'float', bits };
  return { unsupported: `unsupported WAV encoding: ${what}, ${bits}-bit samples; ${SUPPORTED}` };
}

/** The sample encoding a fmt chunk declares, or why it is not one this reads. */
export function wavSampleEncoding(fmt: WavFmtFields): SampleEncoding | { unsupported: string } {
  const bits = fmt.bitsPerSample;
  if (fmt.audioFormat !== EXTENSIBLE) return encodingOf(fmt.audioFormat, bits, formatName(fmt.audioFormat));
  if (fmt.chunkSize < 40 || fmt.subformat.length !== 4) {
    return { unsupported: `unsupported WAV encoding: extensible (0xfffe) without its sub-format GUID (fmt chunk of ${fmt.chunkSize} bytes)` };
  }
  const words = fmt.subformat.map((w) => w >>> 0);
  const standard = GUID_TAIL.every((w, i) => words[i + 1] === w);
  const code = standard ? words[0] : -1;
  const what = `extensible (0xfffe) with sub-format ${guidText(words)}${standard ? ` = ${formatName(code)}` : ''}`;
  return encodingOf(code, bits, what);
}
