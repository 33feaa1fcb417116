// npm run bench: the signal path and the CNN in Node, each with a reference measured in
// the same run (full vs incremental Mel, batch vs streaming resampling, wasm vs cpu, and
// torchaudio / PyTorch on this machine when Debian's python3-torch is installed).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { melSpectrogram } from '../src/dsp/mel.ts';
import { SlidingMel } from '../src/dsp/sliding-mel.ts';
import { resample, StreamingResampler } from '../src/dsp/resample.ts';
import { WINDOW_LENGTH, MEL } from '../src/dsp/params.ts';
import { buildCnn } from '../src/model/cnn.ts';
import { SEED_PRESET } from '../src/model/config.ts';
import { predictValence } from '../src/model/predict.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { time, type Timing } from './lib/timing.ts';

const TORCH_PYTHON = '/usr/bin/python3';
const QUANTUM = 128;

function noise(n: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.2;
  }
  return out;
}

interface TorchTimes {
  threads: number;
  mel_window: number;
  resample_48k_1s: number;
  resample_44k1_1s: number;
  cnn_forward_b1: number;
}

function torchTimes(threads: number): TorchTimes | null {
  if (!existsSync(TORCH_PYTHON)) return null;
  const script = fileURLToPath(new URL('./torch/bench_reference.py', import.meta.url));
  const r = spawnSync(TORCH_PYTHON, [script, String(threads)], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as TorchTimes;
  } catch {
    return null;
  }
}

const rows: { stage: string; ms: number; ref?: string; refMs?: number }[] = [];
function report(stage: string, t: Timing, ref?: { name: string; ms: number | undefined }) {
  rows.push({ stage, ms: t.ms, ref: ref?.name, refMs: ref?.ms });
}

async function main() {
  const json = process.argv.includes('--json');
  const window = noise(WINDOW_LENGTH);
  const full = await time(() => melSpectrogram(window));

  // Incremental: a window that has moved by one hop (512 new samples) since the last update.
  const sliding = new SlidingMel(WINDOW_LENGTH);
  sliding.push(window);
  sliding.spectrogram();
  const hopChunk = noise(MEL.hopLength, 7);
  const incremental = await time(() => {
    sliding.push(hopChunk);
    sliding.spectrogram();
  });

  const oneSecond48 = noise(48000, 3);
  const oneSecond44 = noise(44100, 4);
  const batch48 = await time(() => resample(oneSecond48, 48000));
  const batch44 = await time(() => resample(oneSecond44, 44100));
  const streamOver = (x: Float32Array, rate: number) => () => {
    const s = new StreamingResampler(rate);
    for (let i = 0; i < x.length; i += QUANTUM) s.push(x.subarray(i, i + QUANTUM));
  };
  const stream48 = await time(streamOver(oneSecond48, 48000));
  const stream44 = await time(streamOver(oneSecond44, 44100));

  const cnnTimes: Record<string, Timing> = {};
  for (const backend of ['wasm', 'cpu'] as const) {
    const got = await initNodeBackend(backend);
    if (got !== backend) continue;
    const model = buildCnn(SEED_PRESET);
    const input = [noise(64 * 121, 9)];
    cnnTimes[backend] = await time(() => predictValence(model, input, SEED_PRESET), {
      warmup: 2,
      runs: backend === 'cpu' ? 3 : 10,
      minMs: 0,
    });
    model.dispose();
  }

  const torch = torchTimes(1);
  report('Mel, one 61500-sample window (full)', full, { name: 'torchaudio MelSpectrogram', ms: torch?.mel_window });
  report('Mel, incremental update (512 new samples)', incremental, { name: 'full Mel (this run)', ms: full.ms });
  report('resample 1 s of 48 kHz, batch', batch48, { name: 'torchaudio resample', ms: torch?.resample_48k_1s });
  report('resample 1 s of 48 kHz, streaming 128-sample quanta', stream48, { name: 'batch (this run)', ms: batch48.ms });
  report('resample 1 s of 44.1 kHz, batch', batch44, { name: 'torchaudio resample', ms: torch?.resample_44k1_1s });
  report('resample 1 s of 44.1 kHz, streaming 128-sample quanta', stream44, { name: 'batch (this run)', ms: batch44.ms });
  if (cnnTimes.wasm) report('seed CNN forward, batch 1, tfjs wasm', cnnTimes.wasm, { name: 'PyTorch (1 thread)', ms: torch?.cnn_forward_b1 });
  if (cnnTimes.cpu) report('seed CNN forward, batch 1, tfjs cpu', cnnTimes.cpu, { name: 'tfjs wasm (this run)', ms: cnnTimes.wasm?.ms });

  const w = Math.max(...rows.map((r) => r.stage.length));
  console.log(`${'stage'.padEnd(w)}  ${'ms'.padStart(9)}  reference (same run)                ratio`);
  for (const r of rows) {
    const ref = r.refMs === undefined ? `${r.ref ?? ''}: not available` : `${r.ref} ${r.refMs.toFixed(3)} ms`;
    const ratio = r.refMs === undefined ? '' : `${(r.ms / r.refMs).toFixed(2)}x`;
    console.log(`${r.stage.padEnd(w)}  ${r.ms.toFixed(3).padStart(9)}  ${ref.padEnd(34)}  ${ratio}`);
  }
  if (!torch) console.log(`(torchaudio reference skipped: ${TORCH_PYTHON} with torch not available)`);
  if (json) console.log(JSON.stringify(rows));
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
