// A training/evaluation corpus as a list of labelled clips, and the pure part of reading
// one: the CSV manifest's text (`path,valence[,speaker[,arousal]]`, SPEC section 3).
// File-system work (listing RAVDESS / TurEV-DB folders, resolving paths) lives in
// scripts/lib/corpus.ts.
import { parseDecimal } from './decimal.ts';

/** One labelled audio file. */
export interface Clip {
  /** Absolute (or cwd-relative) path of the audio file. */
  path: string;
  /** Valence label in [-1, 1]; null: unknown (no part in that dimension's loss or metrics). */
  valence: number | null;
  /** Arousal label in [-1, 1]; null: unknown. */
  arousal: number | null;
  /** Speaker id within its corpus: splits never put one speaker on both sides. */
  speaker: string;
  /** The corpus the clip belongs to (its folder's or manifest's name). */
  corpus: string;
}

/** A manifest row before its path is resolved; `speaker` is absent when the row has none. */
export interface ManifestRow {
  /** 1-based line number in the file, for messages. */
  line: number;
  /** The path as written (relative paths are relative to the manifest's folder). */
  path: string;
  /** null: an empty cell (unknown). */
  valence: number | null;
  /** null: an empty cell or no arousal column (unknown). */
  arousal: number | null;
  speaker?: string;
}

export class CorpusError extends Error {
  override name = 'CorpusError';
}

/**
 * Splits one CSV line into fields (RFC 4180 quoting: "a,b" and "" for a quote), so paths
 * may contain commas. Returns null for an unterminated quote.
 */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

/** The columns of a manifest, in the order a row without a header gives them (SPEC section 3). */
export const MANIFEST_COLUMNS = ['path', 'valence', 'speaker', 'arousal'] as const;
type Column = (typeof MANIFEST_COLUMNS)[number];

/**
 * The column order a first line names, or null when it is not a header: every field a known
 * column name (any case), each once, `path` among them and valence or arousal too.
 */
function headerColumns(fields: string[]): Column[] | null {
  const names = fields.map((f) => f.trim().toLowerCase());
  if (!names.every((n): n is Column => (MANIFEST_COLUMNS as readonly string[]).includes(n))) return null;
  if (new Set(names).size !== names.length || !names.includes('path')) return null;
  return names.includes('valence') || names.includes('arousal') ? names : null;
}

/** A label cell: a number in [-1, 1], or null for an empty cell (unknown, SPEC section 3). */
function labelCell(text: string | undefined, what: string, where: string): number | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  const value = parseDecimal(t);
  if (!Number.isFinite(value)) throw new CorpusError(`${where}: ${what} must be a number in [-1, 1], got "${text}"`);
  if (value < -1 || value > 1) throw new CorpusError(`${where}: ${what} ${value} is outside [-1, 1]`);
  return value;
}

/**
 * Parses a manifest's text: one clip per line, `path,valence[,speaker[,arousal]]`, or the
 * columns a header line names (e.g. `path,arousal,valence`); blank lines and lines starting
 * with # ignored. A label is a number in [-1, 1] or an empty cell (unknown); a row needs at
 * least one known label. Throws a CorpusError naming `source` and the line of a bad row.
 */
export function parseManifest(text: string, source = 'manifest'): ManifestRow[] {
  const rows: ManifestRow[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let columns: readonly Column[] | null = null;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const where = `${source}:${line}`;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const fields = splitCsvLine(raw);
    if (!fields) throw new CorpusError(`${where}: unterminated quote`);
    if (!columns) {
      const named = headerColumns(fields);
      columns = named ?? MANIFEST_COLUMNS;
      if (named) return;
    }
    // Trailing cells may be left out (absent, like an empty cell; a missing speaker means the folder name).
    if (fields.length < 2 || fields.length > columns.length) {
      const expected = columns !== MANIFEST_COLUMNS ? columns.join(',') : 'path,valence[,speaker[,arousal]]';
      throw new CorpusError(`${where}: expected ${expected}, got ${fields.length} field(s)`);
    }
    const cell = (c: Column): string | undefined => {
      const i = columns!.indexOf(c);
      return i < 0 ? undefined : fields[i];
    };
    const path = (cell('path') ?? '').trim();
    if (path === '') throw new CorpusError(`${where}: empty path`);
    const valence = labelCell(cell('valence'), 'valence', where);
    const arousal = labelCell(cell('arousal'), 'arousal', where);
    if (valence === null && arousal === null) throw new CorpusError(`${where}: neither valence nor arousal is given`);
    const row: ManifestRow = { line, path, valence, arousal };
    const speakerText = cell('speaker');
    if (speakerText !== undefined) {
      const speaker = speakerText.trim();
      if (speaker === '') throw new CorpusError(`${where}: empty speaker (leave the column out to use the folder name)`);
      row.speaker = speaker;
    }
    rows.push(row);
  });
  return rows;
}

/** Clip and speaker counts, for logs and model cards. */
export function describeCorpus(clips: readonly Clip[]): { clips: number; speakers: number } {
  return { clips: clips.length, speakers: new Set(clips.map((c) => c.speaker)).size };
}
