// The parts of AudioWorkletGlobalScope the capture processor uses; TypeScript's DOM lib
// does not declare them. The globals with generic names (sampleRate, currentFrame) are
// typed through AudioWorkletScope instead of declared globally, so main-thread code
// cannot use them by mistake.

declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
}

/** What process() must look like on a registered processor. */
interface AudioWorkletProcessorImpl extends AudioWorkletProcessor {
  process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}

declare function registerProcessor(
  name: string,
  processorCtor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessorImpl,
): void;

/** Read-only globals of the worklet scope; read them as `(globalThis as unknown as AudioWorkletScope)`. */
interface AudioWorkletScope {
  readonly sampleRate: number;
  readonly currentFrame: number;
  readonly currentTime: number;
}
