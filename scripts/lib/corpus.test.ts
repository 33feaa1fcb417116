// Reading corpora from disk: RAVDESS folders (nested or flat, stray files noted) and CSV
// manifests (paths relative to the CSV, speakers from folder names when missing).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorpusError, detectLayout, listRavdess, listTurev, readCorpora, readCorpus, readManifestCsv } from './corpus.ts';

const root = mkdtempSync(join(tmpdir(), 'vm-corpus-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Creates empty files (listing never opens them). */
function touch(dir: string, ...names: string[]): void {
  for (const name of names) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
  }
}

describe('listRavdess', () => {
  it('lists Actor_XX folders, labels from the names, speaker = actor code', () => {
    const dir = join(root, 'nested');
    touch(dir, 'Actor_01/03-01-05-02-01-01-01.wav', 'Actor_01/03-01-03-01-01-01-01.wav', 'Actor_12/03-01-01-01-01-01-12.wav');
    const { clips, notes } = listRavdess(dir);
    expect(notes).toEqual([]);
    expect(clips).toEqual([
      { path: join(dir, 'Actor_01/03-01-03-01-01-01-01.wav'), valence: 0.8 * 0.75, arousal: 0.5 * 0.75, speaker: '01', corpus: 'nested' },
      { path: join(dir, 'Actor_01/03-01-05-02-01-01-01.wav'), valence: -0.7, arousal: 0.8, speaker: '01', corpus: 'nested' },
      { path: join(dir, 'Actor_12/03-01-01-01-01-01-12.wav'), valence: 0, arousal: 0, speaker: '12', corpus: 'nested' },
    ]);
  });

  it('takes a flat folder too, and notes skipped or misplaced files', () => {
    const dir = join(root, 'flat');
    touch(dir, '03-01-02-02-01-01-05.wav', 'readme.wav', 'notes.txt', '03-01-09-02-01-01-05.wav', 'Actor_02/03-01-04-02-01-01-03.wav');
    const { clips, notes } = listRavdess(dir);
    // Sorted by path: the flat file, then Actor_02's (whose name says actor 03).
    expect(clips.map((c) => [c.speaker, c.valence])).toEqual([
      ['05', 0.3],
      ['03', -0.6],
    ]);
    expect(notes).toHaveLength(3);
    expect(notes[0]).toMatch(/skipped 1 WAV file\(s\) without a RAVDESS name: readme\.wav/);
    expect(notes[1]).toMatch(/unknown emotion\/intensity codes: 03-01-09-02-01-01-05\.wav/);
    expect(notes[2]).toMatch(/another actor's folder/);
  });

  it('says clearly when the folder is missing or holds no clips', () => {
    expect(() => listRavdess(join(root, 'nope'))).toThrow(/no such folder: .*nope/);
    const empty = join(root, 'empty');
    touch(empty, 'x.txt');
    expect(() => listRavdess(empty)).toThrow(CorpusError);
    expect(() => listRavdess(empty)).toThrow(/no RAVDESS clips in/);
    expect(() => listRavdess(join(empty, 'x.txt'))).toThrow(/not a folder/);
  });
});

describe('listTurev', () => {
  it('lists emotion folders, speaker = first field of the name, labels from map v1', () => {
    const dir = join(root, 'turev');
    touch(dir, 'Angry/1157_kz_acik.wav', 'Calm/7895_e_beste.wav', 'Sad/1234_k_su.wav', 'Sad/notes.txt', 'Extra/1157_kz_x.wav', 'Happy/bad.wav');
    const { clips, notes } = listTurev(dir);
    expect(clips).toEqual([
      { path: join(dir, 'Angry/1157_kz_acik.wav'), valence: -0.7, arousal: 0.8, speaker: '1157', corpus: 'turev' },
      { path: join(dir, 'Calm/7895_e_beste.wav'), valence: 0.3, arousal: -0.6, speaker: '7895', corpus: 'turev' },
      { path: join(dir, 'Sad/1234_k_su.wav'), valence: -0.6, arousal: -0.5, speaker: '1234', corpus: 'turev' },
    ]);
    expect(notes).toEqual([
      expect.stringMatching(/skipped 1 folder\(s\) that are no TurEV-DB emotion: Extra/),
      expect.stringMatching(/skipped 1 file\(s\) without a TurEV-DB name: Happy\/bad\.wav/),
    ]);
    expect(() => listTurev(join(root, 'nested'))).toThrow(/no TurEV-DB clips in/);
  });
});

describe('detectLayout and readCorpora', () => {
  it('tells the layouts apart and reads several corpora, each under its own name', () => {
    expect(detectLayout(join(root, 'nested'))).toBe('ravdess');
    expect(detectLayout(join(root, 'turev'))).toBe('turev');
    const other = join(root, 'other');
    touch(other, 'x/y.wav');
    expect(detectLayout(other)).toBeNull();
    expect(() => readCorpus({ kind: 'folder', dir: other })).toThrow(/neither a RAVDESS folder .* nor a TurEV-DB folder/);
    const corpora = readCorpora([
      { kind: 'folder', dir: join(root, 'nested') },
      { kind: 'folder', dir: join(root, 'turev') },
    ]);
    expect(corpora.map((c) => [c.name, c.clips.length, new Set(c.clips.map((x) => x.corpus)).size])).toEqual([
      ['nested', 3, 1],
      ['turev', 3, 1],
    ]);
    expect(() => readCorpora([{ kind: 'folder', dir: join(root, 'turev') }, { kind: 'turev', dir: join(root, 'turev') }])).toThrow(/two corpora are named "turev"/);
    expect(() => readCorpora([])).toThrow(CorpusError);
  });
});

describe('readManifestCsv', () => {
  it('resolves paths against the CSV folder and takes missing speakers from folder names', () => {
    const dir = join(root, 'manifest');
    mkdirSync(dir, { recursive: true });
    const csv = join(dir, 'clips.csv');
    writeFileSync(csv, 'path,valence,speaker\nalice/a1.wav,0.5,alice\nbob/b1.wav,-0.25\n/abs/c.wav,0\n');
    const { clips, notes } = readManifestCsv(csv);
    expect(clips).toEqual([
      { path: join(dir, 'alice/a1.wav'), valence: 0.5, arousal: null, speaker: 'alice', corpus: 'clips' },
      { path: join(dir, 'bob/b1.wav'), valence: -0.25, arousal: null, speaker: 'bob', corpus: 'clips' },
      { path: '/abs/c.wav', valence: 0, arousal: null, speaker: 'abs', corpus: 'clips' },
    ]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/2 row\(s\) of .*clips\.csv have no speaker column: using each file's folder name .*\(2 speaker\(s\): abs, bob\)/);
    expect(readCorpus({ kind: 'manifest', file: csv }).clips).toEqual(clips);
  });

  it('refuses a missing or empty manifest, and names the line of a bad row', () => {
    const dir = join(root, 'bad-manifest');
    mkdirSync(dir, { recursive: true });
    expect(() => readManifestCsv(join(dir, 'none.csv'))).toThrow(/no such manifest/);
    writeFileSync(join(dir, 'empty.csv'), 'path,valence\n');
    expect(() => readManifestCsv(join(dir, 'empty.csv'))).toThrow(/lists no clips/);
    writeFileSync(join(dir, 'bad.csv'), 'a.wav,0.1\nb.wav,2\n');
    expect(() => readManifestCsv(join(dir, 'bad.csv'))).toThrow(/bad\.csv:2: valence 2 is outside \[-1, 1\]/);
    expect(() => readManifestCsv(dir)).toThrow(/is a folder/);
  });

  it('notes rows that repeat a path', () => {
    const csv = join(root, 'dup.csv');
    writeFileSync(csv, 'x/a.wav,0.1,s\nx/b.wav,0.2,s\nx/a.wav,0.1,s\n');
    const { clips, notes } = readManifestCsv(csv);
    expect(clips).toHaveLength(3);
    expect(notes).toEqual([expect.stringMatching(/1 row\(s\) of .*dup\.csv repeat an earlier path \(each row counts\): .*a\.wav$/)]);
  });
});
