// The training progress line: epoch, step, loss and ETA. On a terminal it redraws one line;
// otherwise (CI, a log file) it prints a line at each quarter of an epoch.
import type { ProgressReporter, ProgressState } from '../../src/training/train-loop.ts';

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export class Progress implements ProgressReporter {
  private readonly tty: boolean;
  private lastQuarter = -1;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(out.isTTY);
  }

  update(p: ProgressState): void {
    const width = 24;
    const filled = Math.round((p.step / p.steps) * width);
    const text =
      `${p.label}epoch ${p.epoch}/${p.epochs} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
      `${p.step}/${p.steps}  loss ${p.loss.toFixed(4)}  ${p.msPerStep.toFixed(0)} ms/step  ETA ${clock(p.msPerStep * p.stepsLeft)}`;
    if (this.tty) {
      this.out.write(`\r\x1b[K${text}`);
      this.drawn = true;
      return;
    }
    const quarter = Math.floor((p.step / p.steps) * 4);
    if (quarter !== this.lastQuarter && quarter > 0 && quarter < 4) {
      this.lastQuarter = quarter;
      this.out.write(text + '\n');
    }
    if (p.step === p.steps) this.lastQuarter = -1;
  }

  /** A permanent line (the progress line is redrawn after it). */
  line(text: string): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
    this.out.write(text + '\n');
  }
}
