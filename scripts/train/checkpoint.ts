// Training checkpoints for --resume: the trainer's full state (parameters, Adam moments,
// step count), the history and the best epoch so far, written at the end of every epoch.
// They live under .cache/checkpoints/, not in the model folder, so the app never ships them.
// The Checkpoint type is src/training/run-state.ts's; this is its file format.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ValenceMetrics } from '../../src/training/metrics.ts';
import type { Checkpoint, EpochRecord } from '../../src/training/run-state.ts';
import { REPO_ROOT } from '../lib/repo-root.ts';

const VERSION = 1;

export function checkpointDir(outDir: string): string {
  return join(REPO_ROOT, '.cache', 'checkpoints', basename(resolve(outDir)));
}

interface Meta {
  version: number;
  recipeKey: string;
  epoch: number;
  history: EpochRecord[];
  best: { epoch: number; val: ValenceMetrics } | null;
  step: number;
  /** Lengths of the arrays in state.bin, in order: params, m, v, best weights, then each averaged epoch's weights (absent without averaging). */
  lengths: { params: number[]; m: number[]; v: number[]; best: number[]; recent?: number[][] };
}

export function saveCheckpoint(dir: string, c: Checkpoint): void {
  mkdirSync(dir, { recursive: true });
  const groups = [c.trainer.params, c.trainer.m, c.trainer.v, c.best?.weights ?? [], ...(c.recent ?? [])];
  const total = groups.flat().reduce((n, a) => n + a.length, 0);
  const bin = new Float32Array(total);
  let o = 0;
  for (const a of groups.flat()) {
    bin.set(a, o);
    o += a.length;
  }
  const meta: Meta = {
    version: VERSION,
    recipeKey: c.recipeKey,
    epoch: c.epoch,
    history: c.history,
    best: c.best ? { epoch: c.best.epoch, val: c.best.val } : null,
    step: c.trainer.step,
    lengths: {
      params: c.trainer.params.map((a) => a.length),
      m: c.trainer.m.map((a) => a.length),
      v: c.trainer.v.map((a) => a.length),
      best: (c.best?.weights ?? []).map((a) => a.length),
      ...(c.recent ? { recent: c.recent.map((set) => set.map((a) => a.length)) } : {}),
    },
  };
  // state.bin first, then checkpoint.json: a crash between them leaves a meta whose lengths
  // do not fit the new bin only if sizes changed, which loadCheckpoint detects.
  const tag = `.tmp-${process.pid}`;
  writeFileSync(join(dir, 'state.bin' + tag), new Uint8Array(bin.buffer));
  writeFileSync(join(dir, 'checkpoint.json' + tag), JSON.stringify(meta));
  renameSync(join(dir, 'state.bin' + tag), join(dir, 'state.bin'));
  renameSync(join(dir, 'checkpoint.json' + tag), join(dir, 'checkpoint.json'));
}

export function loadCheckpoint(dir: string): Checkpoint {
  const metaPath = join(dir, 'checkpoint.json');
  if (!existsSync(metaPath)) throw new Error(`no checkpoint to resume in ${dir}`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
  if (meta.version !== VERSION) throw new Error(`checkpoint ${metaPath} has version ${meta.version}, expected ${VERSION}`);
  const buf = readFileSync(join(dir, 'state.bin'));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const need = Object.values(meta.lengths).flat(2).reduce((n: number, k: number) => n + k, 0);
  if (all.length !== need) throw new Error(`checkpoint ${dir} is damaged (state.bin has ${all.length} values, expected ${need})`);
  let o = 0;
  const take = (lengths: number[]) =>
    lengths.map((n) => {
      const a = all.slice(o, o + n);
      o += n;
      return a;
    });
  const params = take(meta.lengths.params);
  const m = take(meta.lengths.m);
  const v = take(meta.lengths.v);
  const best = take(meta.lengths.best);
  const recent = meta.lengths.recent?.map(take);
  return {
    recipeKey: meta.recipeKey,
    epoch: meta.epoch,
    history: meta.history,
    best: meta.best ? { ...meta.best, weights: best } : null,
    trainer: { step: meta.step, params, m, v },
    ...(recent ? { recent } : {}),
  };
}

export function removeCheckpoint(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
