// Manifest text parsing: optional header, quoting, comments, and a clear error naming the
// line of each kind of bad row.
import { describe, expect, it } from 'vitest';
import { CorpusError, describeCorpus, parseManifest, splitCsvLine } from './corpus.ts';

describe('splitCsvLine', () => {
  it('splits on commas and honours quotes', () => {
    expect(splitCsvLine('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(splitCsvLine('"x, y.wav",0.5')).toEqual(['x, y.wav', '0.5']);
    expect(splitCsvLine('"say ""hi"".wav",0')).toEqual(['say "hi".wav', '0']);
    expect(splitCsvLine('a,')).toEqual(['a', '']);
    expect(splitCsvLine('"open,1')).toBeNull();
  });
});

describe('parseManifest', () => {
  it('reads rows with and without a header and a speaker column', () => {
    const withHeader = parseManifest('path,valence,speaker\nclips/a.wav,0.5,alice\nb.wav,-1,bob\n');
    expect(withHeader).toEqual([
      { line: 2, path: 'clips/a.wav', valence: 0.5, arousal: null, speaker: 'alice' },
      { line: 3, path: 'b.wav', valence: -1, arousal: null, speaker: 'bob' },
    ]);
    const bare = parseManifest('a.wav,1\nb.wav,0,carol');
    expect(bare).toEqual([
      { line: 1, path: 'a.wav', valence: 1, arousal: null },
      { line: 2, path: 'b.wav', valence: 0, arousal: null, speaker: 'carol' },
    ]);
    expect(parseManifest('PATH,Valence\na.wav,0.25')).toEqual([{ line: 2, path: 'a.wav', valence: 0.25, arousal: null }]);
  });

  it('reads the arousal column, empty cells as unknown, and columns in the order a header names', () => {
    expect(parseManifest('path,valence,speaker,arousal\na.wav,0.5,ann,-0.25\nb.wav,,ann,0.75\nc.wav,-0.5,bob,\n')).toEqual([
      { line: 2, path: 'a.wav', valence: 0.5, arousal: -0.25, speaker: 'ann' },
      { line: 3, path: 'b.wav', valence: null, arousal: 0.75, speaker: 'ann' },
      { line: 4, path: 'c.wav', valence: -0.5, arousal: null, speaker: 'bob' },
    ]);
    // Without a header the fourth field is arousal.
    expect(parseManifest('a.wav,0.1,s,0.2')).toEqual([{ line: 1, path: 'a.wav', valence: 0.1, arousal: 0.2, speaker: 's' }]);
    expect(parseManifest('Arousal,PATH\n0.3,x.wav\n')).toEqual([{ line: 2, path: 'x.wav', valence: null, arousal: 0.3 }]);
  });

  it('skips blank and # lines (keeping line numbers), a BOM, CRLF, and trims fields', () => {
    const rows = parseManifest('\uFEFF# my clips\r\n\r\n a.wav , -0.5 , dan \r\n"c, d.wav",0.1\r\n');
    expect(rows).toEqual([
      { line: 3, path: 'a.wav', valence: -0.5, arousal: null, speaker: 'dan' },
      { line: 4, path: 'c, d.wav', valence: 0.1, arousal: null },
    ]);
  });

  it('names the file and line of a bad row', () => {
    const bad = (text: string, message: RegExp) => {
      expect(() => parseManifest(text, 'my.csv')).toThrow(CorpusError);
      expect(() => parseManifest(text, 'my.csv')).toThrow(message);
    };
    bad('a.wav,0\nb.wav,happy', /my\.csv:2: valence must be a number in \[-1, 1\], got "happy"/);
    bad('a.wav,0\n\nb.wav,1.5', /my\.csv:3: valence 1\.5 is outside \[-1, 1\]/);
    bad('a.wav,-1.01', /my\.csv:1: valence -1\.01 is outside/);
    bad('a.wav,', /my\.csv:1: neither valence nor arousal is given/);
    bad('a.wav,,s,', /my\.csv:1: neither valence nor arousal is given/);
    bad('a.wav', /my\.csv:1: expected path,valence\[,speaker\[,arousal\]\], got 1 field/);
    bad('a.wav,0,s,0.5,extra', /my\.csv:1: expected path,valence\[,speaker\[,arousal\]\], got 5 field/);
    bad('a.wav,0,s,1.2', /my\.csv:1: arousal 1\.2 is outside \[-1, 1\]/);
    bad('a.wav,0,s,calm', /my\.csv:1: arousal must be a number in \[-1, 1\], got "calm"/);
    bad('path,arousal\na.wav,0.1,0', /my\.csv:2: expected path,arousal, got 3 field/);
    bad(',0.5', /my\.csv:1: empty path/);
    bad('a.wav,0.5,', /my\.csv:1: empty speaker/);
    bad('"a.wav,0.5', /my\.csv:1: unterminated quote/);
    bad('a.wav,NaN', /valence must be a number/);
    // Number() reads these as 1, 1, 7, 0 and 10: a label is written in decimal, nothing else.
    bad('a.wav,0x1', /my\.csv:1: valence must be a number in \[-1, 1\], got "0x1"/);
    bad('a.wav,0b1', /valence must be a number in \[-1, 1\], got "0b1"/);
    bad('a.wav,0,s,0o7', /arousal must be a number in \[-1, 1\], got "0o7"/);
    bad('a.wav,"  "', /neither valence nor arousal is given/);
    bad('a.wav,1_0', /valence must be a number in \[-1, 1\], got "1_0"/);
    bad('a.wav,Infinity', /valence must be a number/);
  });

  it('reads decimal labels in any of their usual spellings', () => {
    const rows = parseManifest('a.wav,+0.5\nb.wav,-.25\nc.wav,1.\nd.wav,5e-1\ne.wav, -1 ');
    expect(rows.map((r) => r.valence)).toEqual([0.5, -0.25, 1, 0.5, -1]);
  });

  it('treats a header-like line after the first row as a bad row', () => {
    expect(() => parseManifest('a.wav,0\npath,valence')).toThrow(/:2: valence must be a number/);
  });

  it('gives no rows for an empty text', () => {
    expect(parseManifest('# nothing\n\n')).toEqual([]);
  });
});

describe('describeCorpus', () => {
  it('counts clips and speakers', () => {
    expect(
      describeCorpus([
        { path: 'a', valence: 0, arousal: null, speaker: 's1', corpus: 'c' },
        { path: 'b', valence: 0, arousal: null, speaker: 's1', corpus: 'c' },
        { path: 'c', valence: 0, arousal: null, speaker: 's2', corpus: 'c' },
      ]),
    ).toEqual({ clips: 3, speakers: 2 });
  });
});
