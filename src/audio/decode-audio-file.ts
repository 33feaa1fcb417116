// Opens a file the user picked for the analysis worker. A WAV is read by the project's
// decoder at the file's own rate (so the readings equal `npm run analyze -- --timeline
// FILE`), and only its header here: the worker reads the samples block by block from the
// File itself (src/audio/wav-stream.ts), so a file of any length never sits in memory
// whole. Anything else is decoded whole by the browser's decodeAudioData (it offers no
// streaming form).
import { toMono } from '../dsp/mono.ts';
import type { FileSource } from '../worker/protocol.ts';

/** Rate at which the browser's decoder delivers non-WAV files (it resamples to its context's rate). */
export const BROWSER_DECODE_RATE = 48_000;

export interface OpenedAudioFile {
  /** What the worker analyses: the WAV file itself, or the samples the browser decoded (mono). */
  source: FileSource;
  sampleRate: number;
  /** Frames of audio (the WAV's frames present, or the decoded samples). */
  frames: number;
  /** 'wav': src/audio/decode-wav.ts, no resampling; 'browser': decodeAudioData at BROWSER_DECODE_RATE. */
  decoder: 'wav' | 'browser';
  /** What the user should know about the file though it was read (a WAV cut short); '' for nothing. */
  warning: string;
}

async function isRiffWave(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  return head.length === 12 && String.fromCharCode(...head.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...head.subarray(8, 12)) === 'WAVE';
}

/** Opens an audio file: a WAV's header with the project's decoder (no resampling), anything else decoded by the browser. */
export async function openAudioFile(file: File): Promise<OpenedAudioFile> {
  if (await isRiffWave(file)) {
    try {
      // Loaded on first use: the page's start-up bundle does not need the decoder.
      const [{ blobSource, openWavStream }, { truncationWarning }] = await Promise.all([import('./wav-stream.ts'), import('./decode-wav.ts')]);
      const wav = await openWavStream(blobSource(file));
      const warning = wav.truncation ? truncationWarning(file.name, wav.truncation) : '';
      return { source: { wav: file }, sampleRate: wav.sampleRate, frames: wav.frames, decoder: 'wav', warning };
    } catch {
      // A WAV variant our decoder does not read: the browser may.
    }
  }
  const bytes = await file.arrayBuffer();
  const ctx = new OfflineAudioContext(1, 1, BROWSER_DECODE_RATE);
  let buffer: AudioBuffer;
  try {
    buffer = await ctx.decodeAudioData(bytes);
  } catch {
    throw new Error(`"${file.name}" is not an audio file this browser can decode`);
  }
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i));
  const samples = new Float32Array(toMono(channels));
  return { source: { samples, sampleRate: buffer.sampleRate }, sampleRate: buffer.sampleRate, frames: samples.length, decoder: 'browser', warning: '' };
}
