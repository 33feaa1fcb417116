// The export's files: one float WAV per clip that decodes back to the same samples, and a
// manifest in SPEC section 3's columns that the training side's own parser reads back with
// the clips' labels and speaker.
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../audio/decode-wav.ts';
import { parseManifest } from '../training/corpus.ts';
import { calibrationExport, clipFileName, manifestText } from './export.ts';
import { emotionLabel } from './prompts.ts';

const clip = (emotion: 'happy' | 'sad' | 'neutral', sampleRate: number, samples: number[]) => ({
  emotion,
  ...emotionLabel(emotion),
  sampleRate,
  samples: Float32Array.from(samples),
});

describe('calibration export', () => {
  it('names the files by order and emotion', () => {
    expect(clipFileName(0, 'happy')).toBe('clip-01-happy.wav');
    expect(clipFileName(13, 'neutral')).toBe('clip-14-neutral.wav');
  });

  it('writes the manifest header and rows, quoting where CSV needs it', () => {
    expect(manifestText([{ path: 'a.wav', valence: -0.6, speaker: 'Smith, Ann', arousal: 0.5 }])).toBe(
      'path,valence,speaker,arousal\na.wav,-0.6,"Smith, Ann",0.5\n',
    );
  });

  it('gives WAVs with the samples bit for bit and a manifest the corpus parser reads', () => {
    const clips = [clip('happy', 48000, [0.25, -0.5, 1e-7]), clip('sad', 16000, [0.125]), clip('neutral', 44100, [0, 0.75])];
    const files = calibrationExport(clips, '  ann  ');
    expect(files.map((f) => f.name)).toEqual(['clip-01-happy.wav', 'clip-02-sad.wav', 'clip-03-neutral.wav', 'manifest.csv']);
    files.slice(0, 3).forEach((f, i) => {
      const audio = decodeWav(f.data as Uint8Array);
      expect(audio.sampleRate).toBe(clips[i].sampleRate);
      expect(audio.channels).toEqual([clips[i].samples]);
    });
    expect(parseManifest(files[3].data as string, 'manifest.csv')).toEqual([
      { line: 2, path: 'clip-01-happy.wav', valence: 0.8, arousal: 0.5, speaker: 'ann' },
      { line: 3, path: 'clip-02-sad.wav', valence: -0.6, arousal: -0.5, speaker: 'ann' },
      { line: 4, path: 'clip-03-neutral.wav', valence: 0, arousal: 0, speaker: 'ann' },
    ]);
  });

  it('refuses an empty set or a missing speaker', () => {
    expect(() => calibrationExport([], 'ann')).toThrow('There are no clips to export yet: record or import some first.');
    expect(() => calibrationExport([clip('sad', 16000, [0.1])], '  ')).toThrow('Give a speaker name for the manifest');
    expect(() => calibrationExport([clip('sad', 16000, [0.1])], 'a\nb')).toThrow('The speaker name must be on one line.');
  });
});
