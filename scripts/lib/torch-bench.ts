// The torchaudio / PyTorch side of `npm run bench`: one long-lived Debian python3 process
// (scripts/torch/bench_reference.py) that times a stage on request, so that its rounds
// can alternate with the project's own in the same run (A B A B) instead of running
// once before or after them on a machine whose load changes by the second.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const TORCH_PYTHON = '/usr/bin/python3';

/** The stages bench_reference.py knows. */
export type TorchStage = 'mel_window' | 'resample_48k_1s' | 'resample_44k1_1s' | 'cnn_forward_b1';

export class TorchBench {
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly rl: Interface,
  ) {
    this.lines = rl[Symbol.asyncIterator]();
  }

  /** Starts the reference process; a string saying why when it cannot (no python3, no torch). */
  static async start(threads: number): Promise<TorchBench | string> {
    if (!existsSync(TORCH_PYTHON)) return `${TORCH_PYTHON} not found`;
    const script = fileURLToPath(new URL('../torch/bench_reference.py', import.meta.url));
    const child = spawn(TORCH_PYTHON, [script, String(threads)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const rl = createInterface({ input: child.stdout });
    const bench = new TorchBench(child, rl);
    const first = await bench.lines.next();
    if (first.done || first.value !== 'ready') {
      bench.close();
      const why = stderr.trim().split('\n').pop() ?? '';
      return `${TORCH_PYTHON} ${script} did not start${why ? `: ${why}` : ''} (Debian: apt install python3-torch python3-torchaudio)`;
    }
    return bench;
  }

  /** Median milliseconds of `runs` calls of `stage` after `warmup` calls. */
  async time(stage: TorchStage, runs: number, warmup: number): Promise<number> {
    this.child.stdin.write(`${stage} ${runs} ${warmup}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error(`torch reference process ended while timing ${stage}`);
    const answer = JSON.parse(line.value) as { ms?: number; error?: string };
    if (typeof answer.ms !== 'number') throw new Error(`torch reference: ${answer.error ?? line.value}`);
    return answer.ms;
  }

  close(): void {
    this.rl.close();
    this.child.stdin.end();
  }
}
