// Calibration's files in and out of the page. In: an audio file decoded whole to mono by
// the app's file opening (src/audio/decode-audio-file.ts: a WAV by the project's decoder at
// its own rate, anything else by the browser), its length checked from the header before a
// WAV is read. Out: the export's files (src/calibration/export.ts) written into a folder
// the user picks (File System Access API, showDirectoryPicker) or, where the browser has
// none, downloaded one by one.
import { openAudioFile } from '../audio/decode-audio-file.ts';
import { MAX_CLIP_SECONDS } from '../calibration/clip-check.ts';
import type { ExportFile } from '../calibration/export.ts';
import { toMono } from '../dsp/mono.ts';
import { downloadFile } from './download.ts';

/** An imported file's audio: mono, at the file's (or the browser decoder's) rate. */
export async function decodeClipFile(file: File): Promise<{ samples: Float32Array<ArrayBuffer>; sampleRate: number }> {
  const opened = await openAudioFile(file);
  const seconds = opened.frames / opened.sampleRate;
  if (seconds > MAX_CLIP_SECONDS) {
    throw new Error(`"${file.name}" is ${seconds.toFixed(0)} s long: a calibration clip is a few seconds, at most ${MAX_CLIP_SECONDS} s.`);
  }
  if ('samples' in opened.source) return { samples: opened.source.samples, sampleRate: opened.sampleRate };
  // A WAV: only its header was read; a clip is short, so its samples are read whole here.
  const { decodeWav } = await import('../audio/decode-wav.ts');
  const audio = decodeWav(new Uint8Array(await file.arrayBuffer()));
  return { samples: new Float32Array(toMono(audio.channels)), sampleRate: audio.sampleRate };
}

/** The parts of the File System Access API the export uses (not in TypeScript's DOM types yet). */
interface WritableFile {
  write(data: BlobPart): Promise<void>;
  close(): Promise<void>;
}
interface DirectoryHandle {
  name: string;
  getFileHandle(name: string, options: { create: boolean }): Promise<{ createWritable(): Promise<WritableFile> }>;
}
type DirectoryPicker = (options: { id?: string; mode: 'readwrite' }) => Promise<DirectoryHandle>;

/** Where the export went: a folder (its name), downloads, or nowhere (the user closed the picker). */
export type ExportOutcome = { to: 'folder'; folder: string } | { to: 'downloads' } | { to: 'cancelled' };

/** Writes `files` into a folder the user picks, or downloads them where the browser cannot. */
export async function saveExportFiles(files: readonly ExportFile[]): Promise<ExportOutcome> {
  const pick = (globalThis as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  if (!pick) {
    for (const f of files) downloadFile(f.data, f.type, f.name);
    return { to: 'downloads' };
  }
  let dir: DirectoryHandle;
  try {
    dir = await pick({ id: 'vm-calibration', mode: 'readwrite' });
  } catch (e) {
    if ((e as { name?: string }).name === 'AbortError') return { to: 'cancelled' };
    throw e;
  }
  for (const f of files) {
    const out = await (await dir.getFileHandle(f.name, { create: true })).createWritable();
    await out.write(f.data);
    await out.close();
  }
  return { to: 'folder', folder: dir.name };
}
