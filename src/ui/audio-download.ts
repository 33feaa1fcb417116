// "Download audio (WAV)": the worker's kept input of the last session (first 5 minutes)
// as a 32-bit float WAV, so `npm run analyze -- --timeline --gate` can check the live
// readings on exactly the samples the monitor saw.
import type { AnalysisClient } from '../worker/client.ts';
import { downloadFile } from './download.ts';
import { floatWav } from './wav-file.ts';

/** Asks the worker for the session's audio and downloads it; nothing when there is none (or no worker). */
export async function downloadSessionAudio(client: AnalysisClient | null): Promise<void> {
  if (!client) return;
  const { samples, sampleRate } = await client.audio();
  if (samples.length === 0 || sampleRate === 0) return;
  downloadFile(floatWav(samples, sampleRate), 'audio/wav', `valence-session-${new Date().toISOString().replace(/[:.]/g, '-')}.wav`);
}
