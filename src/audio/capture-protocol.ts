// What the main thread and the capture AudioWorkletProcessor share: the processor's
// registered name, its options and the messages on its port. Types and one constant only,
// so the worklet bundle stays tiny.

/** Name the capture processor is registered under (registerProcessor / AudioWorkletNode). */
export const CAPTURE_PROCESSOR_NAME = 'vm-capture';

/** processorOptions of the capture AudioWorkletNode. */
export interface CaptureProcessorOptions {
  /**
   * Storage of the ring the processor fills (see ring-buffer.ts). Absent when the page is
   * not cross-origin isolated: the processor then posts `chunk` messages instead.
   */
  ring?: SharedArrayBuffer;
  /** Render quanta per `chunk` message when there is no ring (default 16: 2048 samples). */
  quantaPerChunk?: number;
  /** Milliseconds between `level` messages (default 50). */
  levelIntervalMs?: number;
}

/** Input level over the last interval, on the mono mix, linear full scale (0..1). */
export interface LevelMessage {
  type: 'level';
  rms: number;
  peak: number;
  /** Samples dropped so far because the ring was full (0 without a ring). */
  overruns: number;
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
