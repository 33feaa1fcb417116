// The page's side of the input level when capture runs on a ring: the worklet writes the
// level into the ring's header (Float32RingBuffer.publishLevel) instead of posting a message
// object per level, and this polls the header on a timer and calls back when a new level
// or more overruns appear. capture.ts starts one per ring session.
import type { Float32RingBuffer } from './ring-buffer.ts';

/** What the poller reports (the CaptureOptions callbacks of the same names). */
export interface LevelCallbacks {
  onLevel?: (level: { rms: number; peak: number }) => void;
  /** `total` dropped samples so far, `added` since the last call; only when it grows. */
  onOverrun?: (total: number, added: number) => void;
}

export class RingLevelPoller {
  private timer: ReturnType<typeof setInterval> | null;
  private sequence: number;
  private overruns = 0;

  constructor(
    private readonly ring: Float32RingBuffer,
    levelIntervalMs: number,
    private readonly callbacks: LevelCallbacks,
  ) {
    // A ring handed in from outside may still hold an earlier session's level.
    this.sequence = ring.readLevel()?.sequence ?? 0;
    // Twice per level interval: the worklet's clock and the page's timer drift apart, and
    // one poll per interval would now and then find two new levels and show only one.
    this.timer = setInterval(() => this.poll(), levelIntervalMs / 2);
  }

  /** Reads the header once: calls onLevel for a level not seen yet, onOverrun if overruns grew. */
  poll(): void {
    const level = this.ring.readLevel();
    if (level && level.sequence !== this.sequence) {
      this.sequence = level.sequence;
      this.callbacks.onLevel?.({ rms: level.rms, peak: level.peak });
    }
    const total = this.ring.overruns;
    const added = (total - this.overruns) >>> 0; // the counter is 32-bit and wraps
    if (added > 0) {
      this.overruns = total;
      this.callbacks.onOverrun?.(total, added);
    }
  }

  /** Stops polling (idempotent). */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
