// npm run bench: the signal path and the CNN in Node, each with a reference measured in
// the same run (full vs incremental Mel, wasm vs cpu, and torchaudio / PyTorch on this
// machine when Debian's python3-torch is installed).
//
// The machine is shared and its load changes by the second, so each stage and its
// reference are timed in alternating rounds (A B A B ...; the torch side is a long-lived
// python3 process that times on request). Per stage: the median over rounds of each
// side's per-round median, and the median ratio with its range (min-max of the per-round
// ratios), so that one run is enough to trust.
//
//   tsx scripts/bench.ts [--rounds 9] [--only TEXT] [--no-torch] [--json]
//
// --only keeps the stages whose name contains TEXT (case-insensitive), e.g. --only resample.
// --json: the last line is the rows as JSON (ms, refMs, ratio, ratioMin, ratioMax, ratios).
import * as tf from '@tensorflow/tfjs';
import { melSpectrogram } from '../src/dsp/mel.ts';
import { SlidingMel } from '../src/dsp/sliding-mel.ts';
import { resample, StreamingResampler } from '../src/dsp/resample.ts';
import { WINDOW_LENGTH, MEL } from '../src/dsp/params.ts';
import { buildCnn } from '../src/model/cnn.ts';
import { SEED_PRESET } from '../src/model/config.ts';
import { predictValence } from '../src/model/predict.ts';
import { initNodeBackend, type NodeBackend } from '../src/model/backend.ts';
import { time } from './lib/timing.ts';
import { TorchBench, type TorchStage } from './lib/torch-bench.ts';

/** The AudioWorklet's render quantum. */
const QUANTUM = 128;
/** The analysis worker drains the capture ring every 20 ms (src/worker/analysis.worker.ts). */
const POLL_SECONDS = 0.02;

interface Args {
  rounds: number;
  only: string;
  torch: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { rounds: 9, only: '', torch: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === '--rounds') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error('--rounds needs a whole number >= 1');
      a.rounds = v;
    } else if (f === '--only') {
      const v = argv[++i];
      if (v === undefined || v === '') throw new Error('--only needs some text of a stage name');
      a.only = v.toLowerCase();
    } else if (f === '--no-torch') a.torch = false;
    else if (f === '--json') a.json = true;
    else throw new Error(`unknown option ${f} (options: --rounds N, --only TEXT, --no-torch, --json)`);
  }
  return a;
}

function noise(n: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.2;
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

/** One side of a comparison: times `runs` calls after `warmup`, returns the median ms. */
interface Side {
  name: string;
  time: (runs: number, warmup: number) => Promise<number>;
}

interface Stage {
  name: string;
  side: Side;
  ref: Side | null;
  /** Why there is no reference, when there is none. */
  refNote?: string;
  runs: number;
  warmup: number;
  /** Rounds this stage takes part in (the slow ones: fewer). */
  maxRounds?: number;
}

function local(name: string, fn: () => unknown): Side {
  return { name, time: async (runs, warmup) => (await time(fn, { runs, warmup, minMs: 0 })).ms };
}

/** The seed CNN on one TF.js backend, built afresh each round (untimed) so backends can alternate. */
/** The CNN at batch 1 through predict (the project's forward), or through tf.LayersModel.predict (`layers`). */
function cnnSide(backend: NodeBackend, name: string, layers = false): Side {
  return {
    name,
    time: async (runs, warmup) => {
      const got = await initNodeBackend(backend, () => {});
      if (got !== backend) throw new Error(`TF.js ${backend} backend did not start`);
      const model = buildCnn(SEED_PRESET);
      const input = [noise(64 * 121, 9)];
      try {
        const x = tf.tensor4d(input[0], [1, 64, 121, 1]);
        const viaLayers = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
        try {
          return (await time(layers ? viaLayers : () => predictValence(model, input, SEED_PRESET), { runs, warmup, minMs: 0 })).ms;
        } finally {
          x.dispose();
        }
      } finally {
        model.dispose();
      }
    },
  };
}

function stages(torch: TorchBench | null, torchNote: string): Stage[] {
  const ref = (name: string, stage: TorchStage): { ref: Side | null; refNote?: string } =>
    torch ? { ref: { name, time: (runs, warmup) => torch.time(stage, runs, warmup) } } : { ref: null, refNote: `${name}: ${torchNote}` };

  const window = noise(WINDOW_LENGTH);
  const fullMel = local('full Mel (this run)', () => melSpectrogram(window));
  // Incremental: a window that has moved by one hop (512 new samples) since the last update.
  const sliding = new SlidingMel(WINDOW_LENGTH);
  sliding.push(window);
  sliding.spectrogram();
  const hopChunk = noise(MEL.hopLength, 7);

  const list: Stage[] = [
    { name: 'Mel, one 61500-sample window (full)', side: fullMel, ...ref('torchaudio MelSpectrogram', 'mel_window'), runs: 20, warmup: 3 },
    {
      name: 'Mel, incremental update (512 new samples)',
      side: local('incremental', () => {
        sliding.push(hopChunk);
        sliding.spectrogram();
      }),
      ref: fullMel,
      runs: 20,
      warmup: 3,
    },
  ];
  for (const [rate, label, key, seed] of [
    [48000, '48 kHz', 'resample_48k_1s', 3],
    [44100, '44.1 kHz', 'resample_44k1_1s', 4],
  ] as const) {
    const x = noise(rate, seed);
    const torchSide = ref('torchaudio resample', key);
    const stream = (chunk: number) => () => {
      const s = new StreamingResampler(rate);
      for (let i = 0; i < x.length; i += chunk) s.push(x.subarray(i, i + chunk));
    };
    const poll = Math.round(rate * POLL_SECONDS);
    list.push(
      { name: `resample 1 s of ${label}, batch`, side: local('batch', () => resample(x, rate)), ...torchSide, runs: 20, warmup: 3 },
      { name: `resample 1 s of ${label}, streaming ${QUANTUM}-sample quanta`, side: local('stream', stream(QUANTUM)), ...torchSide, runs: 20, warmup: 3 },
      { name: `resample 1 s of ${label}, streaming 20 ms polls (${poll})`, side: local('stream', stream(poll)), ...torchSide, runs: 20, warmup: 3 },
    );
  }
  const wasm = cnnSide('wasm', 'tfjs wasm (this run)');
  list.push(
    { name: 'seed CNN forward, batch 1, tfjs wasm', side: wasm, ...ref('PyTorch (1 thread)', 'cnn_forward_b1'), runs: 10, warmup: 2 },
    // What predict ran before it took the training step's forward (A/B, same run).
    { name: '  same CNN, tf.LayersModel.predict (A/B)', side: cnnSide('wasm', 'layers', true), ref: wasm, runs: 10, warmup: 2 },
    // A few seconds a call: three rounds of one call each are enough to see the gap.
    { name: 'seed CNN forward, batch 1, tfjs cpu', side: cnnSide('cpu', 'cpu'), ref: wasm, runs: 1, warmup: 1, maxRounds: 3 },
  );
  return list;
}

interface Result {
  stage: string;
  ms: number;
  ref?: string;
  refMs?: number;
  ratio?: number;
  ratioMin?: number;
  ratioMax?: number;
  ratios?: number[];
  note?: string;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let torch: TorchBench | null = null;
  let torchNote = 'not run (--no-torch)';
  if (args.torch) {
    const t = await TorchBench.start(1);
    if (typeof t === 'string') torchNote = `not available (${t})`;
    else torch = t;
  }
  const chosen = stages(torch, torchNote).filter((s) => s.name.toLowerCase().includes(args.only));
  if (chosen.length === 0) throw new Error(`--only ${args.only}: no stage's name contains it`);

  const own = chosen.map(() => [] as number[]);
  const refs = chosen.map(() => [] as number[]);
  try {
    for (let r = 0; r < args.rounds; r++) {
      for (const [i, s] of chosen.entries()) {
        if (r >= (s.maxRounds ?? Infinity)) continue;
        own[i].push(await s.side.time(s.runs, s.warmup));
        if (s.ref) refs[i].push(await s.ref.time(s.runs, s.warmup));
      }
    }
  } finally {
    torch?.close();
  }
  await tf.ready();

  const results: Result[] = chosen.map((s, i) => {
    const ms = median(own[i]);
    if (!s.ref) return { stage: s.name, ms, note: s.refNote };
    const ratios = own[i].map((v, k) => v / refs[i][k]);
    return {
      stage: s.name,
      ms,
      ref: s.ref.name,
      refMs: median(refs[i]),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      ratios,
    };
  });

  console.log(`${args.rounds} interleaved rounds (stage, reference, stage, reference, ...); medians over rounds`);
  const w = Math.max(...results.map((r) => r.stage.length));
  console.log(`${'stage'.padEnd(w)}  ${'ms'.padStart(9)}  reference (same run)                ratio (range over rounds)`);
  for (const r of results) {
    const ref = r.refMs === undefined ? (r.note ?? '') : `${r.ref} ${r.refMs.toFixed(3)} ms`;
    const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x (${r.ratioMin?.toFixed(2)}-${r.ratioMax?.toFixed(2)})`;
    console.log(`${r.stage.padEnd(w)}  ${r.ms.toFixed(3).padStart(9)}  ${ref.padEnd(34)}  ${ratio}`);
  }
  if (args.json) console.log(JSON.stringify(results));
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
