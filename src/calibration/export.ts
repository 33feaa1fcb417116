// A calibration set as files: one 32-bit float WAV per clip (src/ui/wav-file.ts, the
// captured samples bit for bit) and a `manifest.csv` naming them with their labels in
// SPEC section 3's columns (`path,valence,speaker,arousal`), paths relative to the
// manifest, so `npm run train -- --manifest DIR/manifest.csv` and `npm run evaluate --
// --manifest ...` read the folder as it is. The browser writes these files into a folder
// or downloads them; the CLI test writes them with Node. Pure.
import type { Emotion } from '../training/labels.ts';
import { csvField } from '../storage/session-export.ts';
import { floatWav } from '../ui/wav-file.ts';

/** What a clip must hold to be exported. */
export interface ExportClip {
  emotion: Emotion;
  valence: number;
  arousal: number;
  sampleRate: number;
  samples: Float32Array;
}

export interface ExportFile {
  name: string;
  /** MIME type, for a download. */
  type: string;
  data: Uint8Array<ArrayBuffer> | string;
}

export const MANIFEST_NAME = 'manifest.csv';

/** The WAV file name of the clip at `index` (0-based): "clip-01-happy.wav". */
export function clipFileName(index: number, emotion: Emotion): string {
  return `clip-${String(index + 1).padStart(2, '0')}-${emotion}.wav`;
}

/** The manifest's text: a header row, then one row per clip, in order. */
export function manifestText(rows: readonly { path: string; valence: number; speaker: string; arousal: number }[]): string {
  const lines = ['path,valence,speaker,arousal', ...rows.map((r) => [r.path, String(r.valence), r.speaker, String(r.arousal)].map(csvField).join(','))];
  return `${lines.join('\n')}\n`;
}

/** The speaker name cleaned for the manifest; throws naming the problem. */
export function exportSpeaker(speaker: string): string {
  const name = speaker.trim();
  if (name === '') throw new Error('Give a speaker name for the manifest (for example your first name).');
  if (/[\r\n]/.test(name)) throw new Error('The speaker name must be on one line.');
  return name;
}

/** Every file of the export: the clips' WAVs, then manifest.csv. Throws when there is nothing to export. */
export function calibrationExport(clips: readonly ExportClip[], speaker: string): ExportFile[] {
  if (clips.length === 0) throw new Error('There are no clips to export yet: record or import some first.');
  const name = exportSpeaker(speaker);
  const wavs = clips.map((c, i) => ({ name: clipFileName(i, c.emotion), type: 'audio/wav', data: floatWav(c.samples, c.sampleRate) }));
  const manifest = manifestText(clips.map((c, i) => ({ path: wavs[i].name, valence: c.valence, speaker: name, arousal: c.arousal })));
  return [...wavs, { name: MANIFEST_NAME, type: 'text/csv', data: manifest }];
}
