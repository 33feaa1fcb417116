// `npm run bench:train`: milliseconds per training step (batch 4, seed CNN, 1 x 64 x 121,
// Adam, MSE) of the project's TF.js paths, and of PyTorch on the same model in the same run
// where Debian's python3-torch is installed; prints the ratio.
//
// The machine is shared and noisy, so variants are interleaved: each round runs every
// variant for --steps steps (after --warmup), and PyTorch runs before the first, between,
// and after the last round. Reported: the median over all rounds' steps, the range of the
// per-round medians, and process CPU per step (process.cpuUsage, all threads).
//
//   tsx scripts/bench-train.ts [--steps 8] [--warmup 2] [--rounds 3] [--threads 2] [--outputs 1] [--naive] [--no-torch] [--json]
//   tsx scripts/bench-train.ts --fine-tune [--outputs 2] ...
//
// --fine-tune: the personal calibration's step instead (src/training/personalize, the default
// recipe: the first three blocks frozen, a window pool's row as the input of the last block,
// so only that block and the output layer run, lr 1e-3), on one wasm thread as each
// calibration worker runs it, against PyTorch's same step on one thread. A calibration is
// (folds + 1) x steps of these over the workers, so this bounds its time on a machine.
//
// --outputs 2: the seed CNN with two outputs (valence, arousal); PyTorch's step is the
// one-output model's either way.
// --json: the last line is one JSON object {ms_per_step, torch_ms_per_step?, ratio?, ...}.
// ms_per_step is the parallel step (threads > 1) or the single-thread step (threads 1).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { outputCount, SEED_PRESET, type CnnConfig } from '../src/model/config.ts';
import { useWasmBackend } from '../src/model/backend.ts';
import { conv2dFast } from '../src/model/train/conv-grad.ts';
import { ParallelTrainer } from '../src/model/train/parallel.ts';
import { paramShapes } from '../src/model/train/params.ts';
import { Trainer, type GradOptions } from '../src/model/train/train-step.ts';
import { DEFAULT_FOLDS } from '../src/training/personalize/folds.ts';
import { DEFAULT_PERSONALIZE } from '../src/training/personalize/recipe.ts';

interface Args {
  steps: number;
  warmup: number;
  rounds: number;
  threads: number;
  outputs: 1 | 2;
  naive: boolean;
  fineTune: boolean;
  torch: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { steps: 8, warmup: 2, rounds: 3, threads: 2, outputs: 1, naive: false, fineTune: false, torch: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${f} needs a whole number >= 1`);
      return v;
    };
    if (f === '--steps') a.steps = num();
    else if (f === '--warmup') a.warmup = num();
    else if (f === '--rounds') a.rounds = num();
    else if (f === '--threads') a.threads = num();
    else if (f === '--outputs') {
      const k = num();
      if (k !== 1 && k !== 2) throw new Error('--outputs needs 1 or 2');
      a.outputs = k;
    }
    else if (f === '--naive') a.naive = true;
    else if (f === '--fine-tune') a.fineTune = true;
    else if (f === '--no-torch') a.torch = false;
    else if (f === '--json') a.json = true;
    else throw new Error(`unknown option ${f}`);
  }
  return a;
}

const BATCH = 4;
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

/** Per-step wall and process-CPU times of one variant, over all rounds. */
class Samples {
  wall: number[] = [];
  cpu: number[] = [];
  roundMedians: number[] = [];

  async run(step: () => unknown, steps: number, warmup: number): Promise<void> {
    for (let i = 0; i < warmup; i++) await step();
    const wall: number[] = [];
    for (let i = 0; i < steps; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await step();
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      this.cpu.push((c.user + c.system) / 1000);
    }
    this.wall.push(...wall);
    this.roundMedians.push(median(wall));
  }

  get ms(): number {
    return median(this.wall);
  }

  describe(): string {
    const r = this.roundMedians;
    return `${this.ms.toFixed(1)} ms/step (rounds ${Math.min(...r).toFixed(1)}-${Math.max(...r).toFixed(1)}; process CPU ${median(this.cpu).toFixed(1)} ms)`;
  }
}

/** One output: targets [BATCH]; two: [BATCH, 2]. */
function batch(config: CnnConfig): { x: tf.Tensor4D; y: tf.Tensor } {
  const [h, w] = config.inputShape;
  const k = outputCount(config);
  return {
    x: tf.randomUniform([BATCH, h, w, 1], 0, 1, 'float32', 1) as tf.Tensor4D,
    y: tf.randomUniform(k === 1 ? [BATCH] : [BATCH, k], -1, 1, 'float32', 2),
  };
}

/** tf.grads over a forward that uses conv2dFast and TF.js's own gradients elsewhere, tf.train.adam. */
function autodiffStep(config: CnnConfig, x: tf.Tensor4D, y: tf.Tensor): { step: () => void; dispose: () => void } {
  const seedTrainer = new Trainer(config);
  const vars = seedTrainer.params.map((p, i) => tf.variable(tf.tensor(p, paramShapes(config)[i])));
  const opt = tf.train.adam(1e-4, 0.9, 0.999, 1e-8);
  const nb = config.channels.length;
  const loss = () =>
    tf.tidy(() => {
      let h: tf.Tensor4D = x;
      for (let i = 0; i < nb; i++) {
        const z = conv2dFast(h, vars[2 * i] as tf.Variable<tf.Rank.R4>, vars[2 * i + 1] as tf.Variable<tf.Rank.R1>, config.padding);
        h = tf.avgPool(tf.relu(z), 2, 2, 'valid');
      }
      const out = tf.add(tf.matMul(tf.reshape(h, [BATCH, -1]) as tf.Tensor2D, vars[2 * nb] as tf.Variable<tf.Rank.R2>), vars[2 * nb + 1]);
      return tf.mean(tf.square(tf.sub(out, tf.reshape(y, [BATCH, outputCount(config)])))) as tf.Scalar;
    });
  return {
    step: () => {
      const l = opt.minimize(loss, true);
      l?.dataSync();
      l?.dispose();
    },
    dispose: () => {
      opt.dispose();
      tf.dispose(vars);
    },
  };
}

function torchStep(args: Args, batch = BATCH): { ms: number; version: string } | string {
  const script = fileURLToPath(new URL('./torch/bench_train_step.py', import.meta.url));
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'not run: /usr/bin/python3 cannot import torch (apt install python3-torch)';
  const r = spawnSync(
    '/usr/bin/python3',
    [
      script,
      ...['--threads', String(args.fineTune ? 1 : args.threads), '--steps', String(Math.max(args.steps, 10)), '--warmup', String(args.warmup), '--batch', String(batch)],
      ...(args.fineTune ? ['--fine-tune', '--outputs', String(args.outputs)] : []),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop() ?? ''}`;
  const last = r.stdout.trim().split('\n').pop() ?? '{}';
  const o = JSON.parse(last) as { ms_per_step: number; torch: string };
  return { ms: o.ms_per_step, version: o.torch };
}

interface Variant {
  name: string;
  samples: Samples;
  step: () => unknown;
  close: () => Promise<void> | void;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (s: string) => console.log(s);
  const config: CnnConfig = args.outputs === 2 ? { ...SEED_PRESET, outputs: 2 } : SEED_PRESET;
  await useWasmBackend();
  if (args.fineTune) return fineTuneBench(args, config, log);
  log(`seed CNN${args.outputs === 2 ? ' with two outputs' : ''}, batch ${BATCH}, input 1x${config.inputShape.join('x')}; ${args.rounds} interleaved rounds of ${args.steps} steps after ${args.warmup} warm-up`);
  const { x, y } = batch(config);

  // The step without Winograd (direct XNNPACK convolutions everywhere), for comparison.
  const direct: GradOptions = { winograd: 0 };
  const variants: Variant[] = [];
  const single = new Trainer(config);
  variants.push({ name: 'fast path, wasm, 1 thread', samples: new Samples(), step: () => single.step(x, y), close: () => {} });
  if (args.threads > 1) {
    for (const [name, grad] of [
      [`fast path, wasm, ${args.threads} workers`, {}],
      [`  same, direct convolutions, no Winograd (A/B)`, direct],
    ] as [string, GradOptions][]) {
      const par = await ParallelTrainer.create(config, { threads: args.threads, grad });
      variants.push({ name, samples: new Samples(), step: () => par.step(x, y), close: () => par.close() });
    }
  }
  const auto = autodiffStep(config, x, y);
  variants.push({ name: 'autodiff (tf.grads + conv2dFast, tf.train.adam), 1 thread', samples: new Samples(), step: auto.step, close: auto.dispose });

  const torchMs: number[] = [];
  let torchVersion = '';
  let torchNote = '';
  const runTorch = () => {
    if (!args.torch || torchNote) return;
    const t = torchStep(args);
    if (typeof t === 'string') torchNote = t;
    else {
      torchMs.push(t.ms);
      torchVersion = t.version;
    }
  };
  try {
    for (let r = 0; r < args.rounds; r++) {
      runTorch();
      for (const v of variants) await v.samples.run(v.step, args.steps, args.warmup);
    }
    runTorch();
  } finally {
    for (const v of variants) await v.close();
  }
  for (const v of variants) log(`${v.name}: ${v.samples.describe()}`);

  // TF.js's own gradients: the wasm backend lacks Conv2DBackpropFilter; the cpu backend has it.
  let naiveMs: number | null = null;
  {
    const probe = tf.zeros([1, 8, 8, 1]) as tf.Tensor4D;
    try {
      tf.tidy(() => tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(probe, f as tf.Tensor4D, 1, 'same')))(tf.zeros([5, 5, 1, 2])));
      log('naive, wasm default kernels: available (unexpected; time it with the cpu path code)');
    } catch (e) {
      log(`naive, wasm default kernels: not available (${e instanceof Error ? e.message : String(e)})`);
    }
    probe.dispose();
  }
  if (args.naive) {
    await tf.setBackend('cpu');
    const cx = tf.tensor(x.dataSync(), x.shape) as tf.Tensor4D;
    const cy = tf.tensor(y.dataSync(), y.shape);
    const cpu = autodiffStep(config, cx, cy);
    const t0 = performance.now();
    cpu.step();
    naiveMs = performance.now() - t0;
    cpu.dispose();
    tf.dispose([cx, cy]);
    await useWasmBackend();
    log(`naive, cpu backend (tf.grads), 1 step: ${naiveMs.toFixed(0)} ms`);
  } else {
    log('naive, cpu backend: skipped (minutes per step; --naive times one step)');
  }
  tf.dispose([x, y]);

  const singleMs = variants[0].samples.ms;
  const best = args.threads > 1 ? variants[1].samples : variants[0].samples;
  const result: Record<string, number | string | number[]> = {
    ms_per_step: Number(best.ms.toFixed(2)),
    ms_per_step_round_medians: best.roundMedians.map((v) => Number(v.toFixed(2))),
    single_thread_ms_per_step: Number(singleMs.toFixed(2)),
    autodiff_ms_per_step: Number(variants[variants.length - 1].samples.ms.toFixed(2)),
    threads: args.threads,
    outputs: args.outputs,
  };
  if (args.threads > 1) result.direct_conv_ms_per_step = Number(variants[2].samples.ms.toFixed(2));
  if (naiveMs !== null) result.naive_cpu_ms_per_step = Number(naiveMs.toFixed(0));
  if (torchNote) log(`PyTorch: ${torchNote}`);
  else if (torchMs.length > 0) {
    const t = median(torchMs);
    const ratio = best.ms / t;
    log(`PyTorch ${torchVersion}, ${args.threads} threads: ${t.toFixed(1)} ms/step (runs ${torchMs.map((v) => v.toFixed(1)).join(', ')})`);
    log(`ratio (fast path / PyTorch, medians): ${ratio.toFixed(2)}`);
    result.torch_ms_per_step = Number(t.toFixed(2));
    result.torch_runs = torchMs.map((v) => Number(v.toFixed(2)));
    result.ratio = Number(ratio.toFixed(3));
  }
  if (args.json) log(JSON.stringify(result));
}

/** [H, W, C] of block `block`'s input: each block's convolution grows H and W by 2p - k + 1, its 2x2 pooling halves them. */
function blockInputShape(config: CnnConfig, block: number): [number, number, number] {
  let [h, w] = config.inputShape;
  for (let i = 0; i < block; i++) {
    h = Math.floor((h + 2 * config.padding - config.kernelSize + 1) / 2);
    w = Math.floor((w + 2 * config.padding - config.kernelSize + 1) / 2);
  }
  return [h, w, block === 0 ? 1 : config.channels[block - 1]];
}

/** --fine-tune: the calibration's step on one thread, with and without Winograd, interleaved with PyTorch's. */
async function fineTuneBench(args: Args, config: CnnConfig, log: (s: string) => void): Promise<void> {
  const frozen = config.channels.length - 1;
  const shape = blockInputShape(config, frozen);
  const k = outputCount(config);
  const n = DEFAULT_PERSONALIZE.batchSize;
  log(`calibration step: blocks 1-${frozen} frozen, input ${shape.join('x')} (block ${frozen + 1}'s), batch ${n} (the recipe's), ${k} output${k > 1 ? 's' : ''}, lr 1e-3; ${args.rounds} interleaved rounds of ${args.steps} steps after ${args.warmup} warm-up`);
  const x = tf.randomUniform([n, ...shape], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.randomUniform(k === 1 ? [n] : [n, k], -1, 1, 'float32', 2);
  const variants = ([
    ['fine-tune step, wasm, 1 thread', {}],
    ['  same, direct convolution, no Winograd (A/B)', { winograd: 0 }],
  ] as [string, GradOptions][]).map(([name, grad]) => {
    const t = new Trainer(config, { lr: 1e-3, grad: { ...grad, frozenBlocks: frozen, startBlock: frozen } });
    return { name, samples: new Samples(), step: () => t.step(x, y) };
  });
  const torchMs: number[] = [];
  let torchNote = '';
  const runTorch = () => {
    if (!args.torch || torchNote) return;
    const t = torchStep(args, n);
    if (typeof t === 'string') torchNote = t;
    else torchMs.push(t.ms);
  };
  for (let r = 0; r < args.rounds; r++) {
    runTorch();
    for (const v of variants) await v.samples.run(v.step, args.steps, args.warmup);
  }
  runTorch();
  tf.dispose([x, y]);
  for (const v of variants) log(`${v.name}: ${v.samples.describe()}`);
  const ms = variants[0].samples.ms;
  const result: Record<string, number | number[]> = { ms_per_step: Number(ms.toFixed(2)), direct_conv_ms_per_step: Number(variants[1].samples.ms.toFixed(2)) };
  if (torchNote) log(`PyTorch: ${torchNote}`);
  else if (torchMs.length > 0) {
    const t = median(torchMs);
    log(`PyTorch, 1 thread, the same step: ${t.toFixed(1)} ms/step (runs ${torchMs.map((v) => v.toFixed(1)).join(', ')})`);
    log(`ratio (fine-tune step / PyTorch, medians): ${(ms / t).toFixed(2)}`);
    Object.assign(result, { torch_ms_per_step: Number(t.toFixed(2)), torch_runs: torchMs.map((v) => Number(v.toFixed(2))), ratio: Number((ms / t).toFixed(3)) });
  }
  // What that means for the app: the default calibration's steps, dealt over two workers.
  const runs = DEFAULT_FOLDS + 1;
  const perWorker = Math.ceil(runs / 2) * DEFAULT_PERSONALIZE.steps;
  log(`a calibration (${runs} fine-tunes of ${DEFAULT_PERSONALIZE.steps} steps, 2 workers: ${perWorker} steps each) at these speeds: ${((perWorker * ms) / 1000).toFixed(0)} s of steps` + (torchMs.length > 0 ? `, PyTorch's ${((perWorker * median(torchMs)) / 1000).toFixed(0)} s` : ''));
  if (args.json) log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
