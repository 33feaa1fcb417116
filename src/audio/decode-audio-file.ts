// Decodes a file the user picked to mono samples for the analysis worker: WAV with the
// project's decoder at the file's own rate (so the readings equal `npm run analyze
// -- --timeline FILE`), anything else with the browser's decodeAudioData.
import { toMono } from '../dsp/mono.ts';

/** Rate at which the browser's decoder delivers non-WAV files (it resamples to its context's rate). */
export const BROWSER_DECODE_RATE = 48_000;

export interface DecodedAudioFile {
  samples: Float32Array<ArrayBuffer>;
  sampleRate: number;
  /** 'wav': src/audio/decode-wav.ts, no resampling; 'browser': decodeAudioData at BROWSER_DECODE_RATE. */
  decoder: 'wav' | 'browser';
  /** What the user should know about the file though it was decoded (a WAV cut short); '' for nothing. */
  warning: string;
}

function isRiffWave(bytes: Uint8Array): boolean {
  return bytes.length > 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WAVE';
}

/** Decodes an audio file to mono: WAV with the project's decoder (no resampling), anything else with the browser's. */
export async function decodeAudioFile(file: File): Promise<DecodedAudioFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (isRiffWave(bytes)) {
    try {
      // Loaded on first use: the page's start-up bundle does not need the decoder.
      const { decodeWav, truncationWarning } = await import('./decode-wav.ts');
      const audio = decodeWav(bytes);
      const warning = audio.truncation ? truncationWarning(file.name, audio.truncation) : '';
      return { samples: new Float32Array(toMono(audio.channels)), sampleRate: audio.sampleRate, decoder: 'wav', warning };
    } catch {
      // A WAV variant our decoder does not read: the browser may.
    }
  }
  const ctx = new OfflineAudioContext(1, 1, BROWSER_DECODE_RATE);
  let buffer: AudioBuffer;
  try {
    buffer = await ctx.decodeAudioData(bytes.buffer);
  } catch {
    throw new Error(`"${file.name}" is not an audio file this browser can decode`);
  }
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i));
  return { samples: new Float32Array(toMono(channels)), sampleRate: buffer.sampleRate, decoder: 'browser', warning: '' };
}
