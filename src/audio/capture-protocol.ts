// What the main thread and the capture AudioWorkletProcessor share: the processor's
// registered name, its options and the messages on its port. Types, constants and the
// level-interval rule only, so the worklet bundle stays tiny.

/** Name the capture processor is registered under (registerProcessor / AudioWorkletNode). */
export const CAPTURE_PROCESSOR_NAME = 'vm-capture';

/** Milliseconds between level updates when the options name none (or a non-positive one). */
export const DEFAULT_LEVEL_INTERVAL_MS = 50;

/** The level interval both sides use for CaptureProcessorOptions.levelIntervalMs. */
export function levelIntervalMs(requested: number | undefined): number {
  return requested !== undefined && requested > 0 ? requested : DEFAULT_LEVEL_INTERVAL_MS;
}

/** processorOptions of the capture AudioWorkletNode. */
export interface CaptureProcessorOptions {
  /**
   * Storage of the ring the processor fills (see ring-buffer.ts); it also publishes the
   * input level in the ring's header. Absent when the page is not cross-origin isolated:
   * the processor then posts `chunk` and `level` messages instead.
   */
  ring?: SharedArrayBuffer;
  /** Render quanta per `chunk` message when there is no ring (default 16: 2048 samples). */
  quantaPerChunk?: number;
  /** Milliseconds between level updates (default DEFAULT_LEVEL_INTERVAL_MS). */
  levelIntervalMs?: number;
}

/**
 * Input level over the last interval, on the mono mix, linear full scale (0..1); only
 * without a ring (with one, the level is in the ring's header: Float32RingBuffer.readLevel).
 */
export interface LevelMessage {
  type: 'level';
  rms: number;
  peak: number;
  /** AudioContext frame at the end of the interval. */
  frame: number;
}

/** Mono samples, in order, when there is no ring. The buffer is transferred, not copied. */
export interface ChunkMessage {
  type: 'chunk';
  samples: Float32Array<ArrayBuffer>;
}

export type CaptureProcessorMessage = LevelMessage | ChunkMessage;

/** Main thread to processor: send what is pending and stop processing. */
export interface StopCommand {
  type: 'stop';
}
