// A training/evaluation corpus as a list of labelled clips, and the pure part of reading
// one: the CSV manifest's text (`path,valence[,speaker]`). File-system work (listing a
// RAVDESS folder, resolving paths) lives in scripts/lib/corpus.ts.

/** One labelled audio file. */
export interface Clip {
  /** Absolute (or cwd-relative) path of the audio file. */
  path: string;
  /** Valence label in [-1, 1]. */
  valence: number;
  /** Speaker id: splits never put one speaker on both sides. */
  speaker: string;
}

/** A manifest row before its path is resolved; `speaker` is absent when the row has none. */
export interface ManifestRow {
  /** 1-based line number in the file, for messages. */
  line: number;
  /** The path as written (relative paths are relative to the manifest's folder). */
  path: string;
  valence: number;
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

const HEADER = ['path', 'valence', 'speaker'];

/** A first line whose fields are the column names (any case), so a header is optional. */
function isHeader(fields: string[]): boolean {
  return (
    (fields.length === 2 || fields.length === 3) &&
    fields.every((f, i) => f.trim().toLowerCase() === HEADER[i])
  );
}

/**
 * Parses a manifest's text: one clip per line, `path,valence[,speaker]`, an optional header
 * line `path,valence[,speaker]`, blank lines and lines starting with # ignored. Valence must
 * be a number in [-1, 1]. Throws a CorpusError naming `source` and the line of a bad row.
 */
export function parseManifest(text: string, source = 'manifest'): ManifestRow[] {
  const rows: ManifestRow[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let seenContent = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const where = `${source}:${line}`;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const fields = splitCsvLine(raw);
    if (!fields) throw new CorpusError(`${where}: unterminated quote`);
    const first = !seenContent;
    seenContent = true;
    if (first && isHeader(fields)) return;
    if (fields.length < 2 || fields.length > 3) {
      throw new CorpusError(`${where}: expected path,valence[,speaker], got ${fields.length} field(s)`);
    }
    const path = fields[0].trim();
    if (path === '') throw new CorpusError(`${where}: empty path`);
    const valenceText = fields[1].trim();
    const valence = valenceText === '' ? NaN : Number(valenceText);
    if (!Number.isFinite(valence)) {
      throw new CorpusError(`${where}: valence must be a number in [-1, 1], got "${fields[1]}"`);
    }
    if (valence < -1 || valence > 1) {
      throw new CorpusError(`${where}: valence ${valence} is outside [-1, 1]`);
    }
    const row: ManifestRow = { line, path, valence };
    if (fields.length === 3) {
      const speaker = fields[2].trim();
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
