// Plays a calibration clip back through Web Audio (the page's Content-Security-Policy
// allows no blob: media, so no <audio> element): one clip at a time, its own AudioContext
// closed when it ends or another starts.
export class ClipPlayer {
  private context: AudioContext | null = null;
  /** The clip playing (its id), or null. */
  playing: number | null = null;

  constructor(private readonly changed: () => void) {}

  /** Plays `samples` at `sampleRate` (stopping whatever played). */
  async play(id: number, samples: Float32Array<ArrayBuffer>, sampleRate: number): Promise<void> {
    this.stop();
    const context = new AudioContext();
    this.context = context;
    const buffer = context.createBuffer(1, samples.length, sampleRate);
    buffer.copyToChannel(samples, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.onended = () => {
      if (this.context === context) this.stop();
    };
    this.playing = id;
    this.changed();
    if (context.state === 'suspended') await context.resume();
    source.start();
  }

  stop(): void {
    void this.context?.close().catch(() => undefined);
    this.context = null;
    if (this.playing !== null) {
      this.playing = null;
      this.changed();
    }
  }
}
