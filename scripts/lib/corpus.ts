// Reads a corpus from disk for training and evaluation: a RAVDESS-layout folder (labels from
// the file names, SPEC section 3) or a CSV manifest (`path,valence[,speaker]`). Both give
// Clip lists plus notes for the user (skipped files, speakers taken from folder names).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { CorpusError, parseManifest, type Clip } from '../../src/training/corpus.ts';
import { LabelError, looksLikeRavdessName, parseRavdessName } from '../../src/training/labels.ts';

export { CorpusError, type Clip } from '../../src/training/corpus.ts';

/** Clips plus what the user should be told about how they were read. */
export interface CorpusListing {
  clips: Clip[];
  notes: string[];
}

/** Where a corpus comes from (the CLIs' --data / --manifest). */
export type CorpusSource = { kind: 'ravdess'; dir: string } | { kind: 'manifest'; file: string };

function assertFolder(dir: string): void {
  if (!existsSync(dir)) throw new CorpusError(`no such folder: ${dir}`);
  if (!statSync(dir).isDirectory()) throw new CorpusError(`not a folder: ${dir}`);
}

const isWav = (name: string) => name.toLowerCase().endsWith('.wav');

/** Lists up to 3 names and a count of the rest, for one-line notes. */
function someOf(names: string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/**
 * Lists a RAVDESS-layout folder: Actor_XX/ subfolders of RAVDESS-named .wav files, or a flat
 * folder of such files (or both). The speaker of a clip is its actor code ("01".."24").
 * WAVs whose names are not RAVDESS names are skipped and noted; an empty result throws.
 */
export function listRavdess(dir: string): CorpusListing {
  assertFolder(dir);
  const root = resolve(dir);
  const files: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = join(root, entry.name);
    if (entry.isDirectory() && /^actor_\d+$/i.test(entry.name)) {
      for (const f of readdirSync(full, { withFileTypes: true })) if (f.isFile() && isWav(f.name)) files.push(join(full, f.name));
    } else if (entry.isFile() && isWav(entry.name)) {
      files.push(full);
    }
  }
  files.sort();
  const clips: Clip[] = [];
  const notRavdess: string[] = [];
  const badCodes: string[] = [];
  const wrongFolder: string[] = [];
  for (const path of files) {
    const name = basename(path);
    if (!looksLikeRavdessName(name)) {
      notRavdess.push(name);
      continue;
    }
    try {
      const parsed = parseRavdessName(name);
      const folder = /^actor_(\d+)$/i.exec(basename(dirname(path)));
      if (folder && Number(folder[1]) !== parsed.actor) wrongFolder.push(name);
      clips.push({ path, valence: parsed.valence, speaker: parsed.actorCode });
    } catch (e) {
      if (!(e instanceof LabelError)) throw e;
      badCodes.push(name);
    }
  }
  const notes: string[] = [];
  if (notRavdess.length > 0) notes.push(`skipped ${notRavdess.length} WAV file(s) without a RAVDESS name: ${someOf(notRavdess)}`);
  if (badCodes.length > 0) notes.push(`skipped ${badCodes.length} file(s) with unknown emotion/intensity codes: ${someOf(badCodes)}`);
  if (wrongFolder.length > 0) {
    notes.push(`${wrongFolder.length} file(s) sit in another actor's folder (the file name's actor is used): ${someOf(wrongFolder)}`);
  }
  if (clips.length === 0) {
    throw new CorpusError(`no RAVDESS clips in ${dir} (expected Actor_XX/03-01-05-02-01-01-12.wav style files)`);
  }
  return { clips, notes };
}

/**
 * Reads a CSV manifest: `path,valence[,speaker]` rows (header optional), paths relative to
 * the CSV's folder. Rows without a speaker get their file's parent folder name as speaker,
 * and a note says so. A bad row throws a CorpusError naming its line; files are not opened
 * here (a missing or broken file is reported and skipped when it is loaded).
 */
export function readManifestCsv(file: string): CorpusListing {
  if (!existsSync(file)) throw new CorpusError(`no such manifest: ${file}`);
  if (statSync(file).isDirectory()) throw new CorpusError(`manifest ${file} is a folder, not a CSV file`);
  const rows = parseManifest(readFileSync(file, 'utf8'), file);
  if (rows.length === 0) throw new CorpusError(`manifest ${file} lists no clips`);
  const base = dirname(resolve(file));
  let fromFolder = 0;
  const clips = rows.map((row): Clip => {
    const path = isAbsolute(row.path) ? row.path : join(base, row.path);
    let speaker = row.speaker;
    if (speaker === undefined) {
      speaker = basename(dirname(path));
      fromFolder++;
    }
    return { path, valence: row.valence, speaker };
  });
  const notes: string[] = [];
  const seen = new Set<string>();
  const repeated = clips.filter((c) => seen.size === seen.add(c.path).size).map((c) => c.path);
  if (repeated.length > 0) notes.push(`${repeated.length} row(s) of ${file} repeat an earlier path (each row counts): ${someOf(repeated)}`);
  if (fromFolder > 0) {
    const speakers = new Set(clips.filter((_, i) => rows[i].speaker === undefined).map((c) => c.speaker));
    notes.push(
      `${fromFolder} row(s) of ${file} have no speaker column: using each file's folder name as its speaker ` +
        `(${speakers.size} speaker(s): ${someOf([...speakers].sort())})`,
    );
  }
  return { clips, notes };
}

/** Reads either kind of corpus. */
export function readCorpus(source: CorpusSource): CorpusListing {
  return source.kind === 'ravdess' ? listRavdess(source.dir) : readManifestCsv(source.file);
}
