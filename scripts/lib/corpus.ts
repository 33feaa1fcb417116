// Reads corpora from disk for training and evaluation: RAVDESS- or TurEV-DB-layout folders
// (labels from the names, SPEC section 3; the layout is detected) or CSV manifests
// (`path,valence[,speaker[,arousal]]`). Each gives Clip lists plus notes for the user
// (skipped files, speakers taken from folder names); each corpus is named for its folder or
// manifest, so several can be read for one run.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { CorpusError, parseManifest, type Clip } from '../../src/training/corpus.ts';
import { LabelError, TUREV_EMOTIONS, looksLikeRavdessName, parseRavdessName, parseTurevName } from '../../src/training/labels.ts';

export { CorpusError, type Clip } from '../../src/training/corpus.ts';

/** Clips plus what the user should be told about how they were read. */
export interface CorpusListing {
  clips: Clip[];
  notes: string[];
}

/** Where a corpus comes from (the CLIs' --data / --manifest); 'folder' detects its layout. */
export type CorpusSource =
  | { kind: 'ravdess'; dir: string }
  | { kind: 'turev'; dir: string }
  | { kind: 'folder'; dir: string }
  | { kind: 'manifest'; file: string };

/** A corpus's name: its folder's or manifest's base name ("ravdess-16k", "my-clips"). */
export function corpusName(source: CorpusSource): string {
  if (source.kind === 'manifest') return basename(source.file, extname(source.file));
  return basename(resolve(source.dir));
}

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
export function listRavdess(dir: string, corpus = basename(resolve(dir))): CorpusListing {
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
      clips.push({ path, valence: parsed.valence, arousal: parsed.arousal, speaker: parsed.actorCode, corpus });
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
export function readManifestCsv(file: string, corpus = basename(file, extname(file))): CorpusListing {
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
    return { path, valence: row.valence, arousal: row.arousal, speaker, corpus };
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

/**
 * Lists a TurEV-DB-layout folder: EMOTION/SPEAKER_GENDER_WORD.wav with EMOTION one of
 * Angry, Calm, Happy, Sad; the speaker is the first field of the name. Other folders and
 * badly named files are skipped and noted; an empty result throws.
 */
export function listTurev(dir: string, corpus = basename(resolve(dir))): CorpusListing {
  assertFolder(dir);
  const root = resolve(dir);
  const clips: Clip[] = [];
  const badNames: string[] = [];
  const otherFolders: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory()) continue;
    if (!(entry.name in TUREV_EMOTIONS)) {
      otherFolders.push(entry.name);
      continue;
    }
    const names = readdirSync(join(root, entry.name), { withFileTypes: true }).filter((f) => f.isFile() && isWav(f.name)).map((f) => f.name).sort();
    for (const name of names) {
      try {
        const p = parseTurevName(entry.name, name);
        clips.push({ path: join(root, entry.name, name), valence: p.valence, arousal: p.arousal, speaker: p.speaker, corpus });
      } catch (e) {
        if (!(e instanceof LabelError)) throw e;
        badNames.push(`${entry.name}/${name}`);
      }
    }
  }
  const notes: string[] = [];
  if (otherFolders.length > 0) notes.push(`skipped ${otherFolders.length} folder(s) that are no TurEV-DB emotion: ${someOf(otherFolders)}`);
  if (badNames.length > 0) notes.push(`skipped ${badNames.length} file(s) without a TurEV-DB name: ${someOf(badNames)}`);
  if (clips.length === 0) {
    throw new CorpusError(`no TurEV-DB clips in ${dir} (expected Angry/1157_kz_acik.wav style files)`);
  }
  return { clips, notes };
}

/** The layout of a corpus folder: RAVDESS (Actor_XX folders or RAVDESS names), TurEV-DB (emotion folders), or null. */
export function detectLayout(dir: string): 'ravdess' | 'turev' | null {
  assertFolder(dir);
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => (e.isDirectory() && /^actor_\d+$/i.test(e.name)) || (e.isFile() && looksLikeRavdessName(e.name)))) return 'ravdess';
  if (entries.some((e) => e.isDirectory() && e.name in TUREV_EMOTIONS)) return 'turev';
  return null;
}

/** Reads one corpus of any kind. */
export function readCorpus(source: CorpusSource): CorpusListing {
  const name = corpusName(source);
  switch (source.kind) {
    case 'manifest':
      return readManifestCsv(source.file, name);
    case 'ravdess':
      return listRavdess(source.dir, name);
    case 'turev':
      return listTurev(source.dir, name);
    case 'folder': {
      const layout = detectLayout(source.dir);
      if (!layout) {
        throw new CorpusError(
          `${source.dir} is neither a RAVDESS folder (Actor_XX/03-01-05-02-01-01-12.wav) nor a TurEV-DB folder ` +
            '(Angry/1157_kz_acik.wav); for other recordings write a manifest (path,valence[,speaker[,arousal]]) and pass --manifest',
        );
      }
      return readCorpus({ kind: layout, dir: source.dir });
    }
  }
}

/** One corpus of a multi-corpus run. */
export interface NamedCorpus extends CorpusListing {
  name: string;
  source: CorpusSource;
  /** How its labels were read: from RAVDESS or TurEV-DB names (SPEC section 3), or a manifest's own. */
  layout: 'ravdess' | 'turev' | 'manifest';
}

/** The layout a source is read with (a 'folder' is detected). */
export function layoutOf(source: CorpusSource): NamedCorpus['layout'] {
  if (source.kind === 'manifest') return 'manifest';
  if (source.kind !== 'folder') return source.kind;
  return detectLayout(source.dir) ?? 'manifest';
}

/** Reads several corpora; their names (folder / manifest base names) must differ. */
export function readCorpora(sources: readonly CorpusSource[]): NamedCorpus[] {
  if (sources.length === 0) throw new CorpusError('no corpus given (--data DIR or --manifest FILE.csv)');
  const seen = new Map<string, CorpusSource>();
  return sources.map((source) => {
    const name = corpusName(source);
    if (seen.has(name)) throw new CorpusError(`two corpora are named "${name}" (${describeSource(seen.get(name)!)} and ${describeSource(source)}): rename one folder or manifest`);
    seen.set(name, source);
    const listing = readCorpus(source);
    return { name, source, layout: layoutOf(source), ...listing };
  });
}

/** The source as the user gave it, for messages and cards. */
export function describeSource(source: CorpusSource): string {
  return source.kind === 'manifest' ? `manifest ${source.file}` : `folder ${source.dir}`;
}
