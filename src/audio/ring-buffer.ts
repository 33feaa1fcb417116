// Lock-free single-producer single-consumer ring buffer of float32 samples over a
// SharedArrayBuffer: the AudioWorklet (producer) pushes microphone samples, the analysis
// worker (consumer) pops them. Each side wraps the same storage in its own instance. The
// header also carries the producer's latest input level (publishLevel / readLevel), so the
// page can show a meter without the audio thread posting a message object per level.
//
// Real-time rules: push(), pop(), availableRead(), availableWrite(), recordOverrun(),
// publishLevel() and the overruns getter allocate nothing (plain index loops, no subarray
// views, no closures), never block and never throw on valid arguments, so the producer may
// call them on the audio rendering thread (ring-buffer.test.ts checks the heap). Only the
// constructor, createRingBufferStorage() and readLevel() (for the page) allocate.

/** Header layout, in 32-bit words at the start of the storage. */
const WRITE = 0; // next slot the producer writes; written only by the producer
const READ = 1; // next slot the consumer reads; written only by the consumer
const OVERRUNS = 2; // samples the producer dropped because the ring was full
const CAPACITY = 3; // capacity in samples, stored once so a wrong buffer is detected
// The level record, written only by the producer. LEVEL_SEQ is a sequence lock: odd while
// the record is being written, +2 per record, so a reader detects a torn read and retries.
const LEVEL_SEQ = 4;
const LEVEL_RMS = 5; // float32 bits
const LEVEL_PEAK = 6; // float32 bits
const HEADER_WORDS = 7;
/** Tries readLevel() makes while the producer is mid-record before it gives up. */
const LEVEL_READ_TRIES = 4;
const HEADER_BYTES = HEADER_WORDS * Uint32Array.BYTES_PER_ELEMENT;

/**
 * Allocates the shared storage of a ring that holds up to `capacity` samples. Pass it to
 * `new Float32RingBuffer(storage)` on each side (e.g. post it to the worker and to the
 * AudioWorkletNode's processorOptions).
 */
export function createRingBufferStorage(capacity: number): SharedArrayBuffer {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`ring buffer capacity must be a positive whole number of samples, got ${capacity}`);
  }
  // One slot more than the capacity: read === write then always means "empty", never "full".
  const slots = capacity + 1;
  const maxSlots = Math.floor((2 ** 31 - HEADER_BYTES) / Float32Array.BYTES_PER_ELEMENT);
  if (slots > maxSlots) throw new RangeError(`ring buffer capacity ${capacity} is too large`);
  const storage = new SharedArrayBuffer(HEADER_BYTES + slots * Float32Array.BYTES_PER_ELEMENT);
  new Uint32Array(storage, 0, HEADER_WORDS)[CAPACITY] = capacity;
  return storage;
}

/** The input level the producer last published (see Float32RingBuffer.publishLevel). */
export interface RingLevel {
  /** Root mean square over the interval, as float32. */
  rms: number;
  /** Largest absolute sample over the interval, as float32. */
  peak: number;
  /** Records published so far (1 for the first): a new value means a new level. */
  sequence: number;
}

/**
 * One side's view of a shared ring. Exactly one thread may call the producer methods
 * (push, recordOverrun, publishLevel) and exactly one the consumer method (pop); the
 * queries work on either side. Indices are published with Atomics, so a sample is visible
 * to the consumer only after the push that wrote it has returned.
 */
export class Float32RingBuffer {
  /** The shared storage, to hand to the other side. */
  readonly storage: SharedArrayBuffer;
  /** Most samples the ring holds at once. */
  readonly capacity: number;
  private readonly header: Uint32Array<SharedArrayBuffer>;
  private readonly data: Float32Array<SharedArrayBuffer>;
  private readonly slots: number;
  // One float32 and its bits, to move level values through the integer header with Atomics.
  private readonly levelValue = new Float32Array(1);
  private readonly levelBits = new Uint32Array(this.levelValue.buffer);

  constructor(storage: SharedArrayBuffer) {
    if (!(storage instanceof SharedArrayBuffer)) {
      throw new TypeError('ring buffer storage must be a SharedArrayBuffer from createRingBufferStorage()');
    }
    if (storage.byteLength < HEADER_BYTES + 2 * Float32Array.BYTES_PER_ELEMENT) {
      throw new RangeError(`ring buffer storage is too small (${storage.byteLength} bytes)`);
    }
    this.header = new Uint32Array(storage, 0, HEADER_WORDS);
    const capacity = Atomics.load(this.header, CAPACITY);
    const expectedBytes = HEADER_BYTES + (capacity + 1) * Float32Array.BYTES_PER_ELEMENT;
    if (capacity < 1 || storage.byteLength !== expectedBytes) {
      throw new RangeError(
        `ring buffer storage of ${storage.byteLength} bytes does not match its header ` +
          `(capacity ${capacity}); create it with createRingBufferStorage()`,
      );
    }
    this.storage = storage;
    this.capacity = capacity;
    this.slots = capacity + 1;
    this.data = new Float32Array(storage, HEADER_BYTES, this.slots);
  }

  /** Samples ready to pop. Exact on the consumer side, a lower bound on the producer side. */
  availableRead(): number {
    return this.used(Atomics.load(this.header, READ), Atomics.load(this.header, WRITE));
  }

  /** Free room to push. Exact on the producer side, a lower bound on the consumer side. */
  availableWrite(): number {
    return this.capacity - this.availableRead();
  }

  /**
   * Producer: copies up to `length` samples from `source[offset...]` into the ring and
   * returns how many it copied (fewer than asked when the ring is too full). Allocates
   * nothing. It does not count the rest as dropped: a lossy producer calls
   * recordOverrun() with the shortfall, a lossless one retries later.
   */
  push(source: Float32Array, length = source.length, offset = 0): number {
    checkRange(source.length, length, offset);
    const read = Atomics.load(this.header, READ);
    const write = Atomics.load(this.header, WRITE);
    const count = Math.min(length, this.capacity - this.used(read, write));
    const data = this.data;
    // Two straight runs: up to the end of the storage, then from its start.
    const firstRun = Math.min(count, this.slots - write);
    for (let i = 0; i < firstRun; i++) data[write + i] = source[offset + i];
    for (let i = firstRun; i < count; i++) data[i - firstRun] = source[offset + i];
    // Publish only after the samples are in place: the consumer reads WRITE first.
    Atomics.store(this.header, WRITE, (write + count) % this.slots);
    return count;
  }

  /**
   * Consumer: moves up to `length` samples from the ring into `target[offset...]` and
   * returns how many it moved (fewer than asked when the ring holds fewer). Allocates
   * nothing.
   */
  pop(target: Float32Array, length = target.length, offset = 0): number {
    checkRange(target.length, length, offset);
    const write = Atomics.load(this.header, WRITE);
    const read = Atomics.load(this.header, READ);
    const count = Math.min(length, this.used(read, write));
    const data = this.data;
    const firstRun = Math.min(count, this.slots - read);
    for (let i = 0; i < firstRun; i++) target[offset + i] = data[read + i];
    for (let i = firstRun; i < count; i++) target[offset + i] = data[i - firstRun];
    // Free the slots only after copying them out: the producer reads READ first.
    Atomics.store(this.header, READ, (read + count) % this.slots);
    return count;
  }

  /** Producer: adds `samples` to the overrun counter (samples dropped because the ring was full). */
  recordOverrun(samples: number): void {
    if (samples > 0) Atomics.add(this.header, OVERRUNS, samples);
  }

  /**
   * Samples the producer has dropped so far, on either side. A 32-bit counter: it wraps
   * after 2^32 samples (about a day at 48 kHz), so compare readings with
   * `(now - before) >>> 0`.
   */
  get overruns(): number {
    return Atomics.load(this.header, OVERRUNS);
  }

  /**
   * Producer: publishes the input level of the last interval, `level` = [rms, peak]. An
   * array rather than two numbers: a fractional number passed to a call that is not
   * inlined is boxed on the heap. Allocates nothing and never waits; a reader that finds
   * the record half written retries.
   */
  publishLevel(level: Float32Array): void {
    const header = this.header;
    const value = this.levelValue;
    const bits = this.levelBits;
    Atomics.add(header, LEVEL_SEQ, 1); // odd: being written
    value[0] = level[0];
    Atomics.store(header, LEVEL_RMS, bits[0]);
    value[0] = level[1];
    Atomics.store(header, LEVEL_PEAK, bits[0]);
    Atomics.add(header, LEVEL_SEQ, 1); // even: complete
  }

  /**
   * Either side (meant for the page): the level last published, or null when none has been
   * yet or the producer was writing one on every try (ask again on the next poll).
   * Allocates the returned object.
   */
  readLevel(): RingLevel | null {
    const header = this.header;
    const value = this.levelValue;
    const bits = this.levelBits;
    for (let tries = 0; tries < LEVEL_READ_TRIES; tries++) {
      const seq = Atomics.load(header, LEVEL_SEQ);
      if (seq === 0) return null;
      if (seq % 2 === 1) continue;
      bits[0] = Atomics.load(header, LEVEL_RMS);
      const rms = value[0];
      bits[0] = Atomics.load(header, LEVEL_PEAK);
      const peak = value[0];
      if (Atomics.load(header, LEVEL_SEQ) === seq) return { rms, peak, sequence: seq / 2 };
    }
    return null;
  }

  private used(read: number, write: number): number {
    return write >= read ? write - read : write + this.slots - read;
  }
}

function checkRange(arrayLength: number, length: number, offset: number): void {
  // Comparisons only (no template string unless it fails), so valid calls allocate nothing.
  if (!(Number.isInteger(length) && Number.isInteger(offset) && length >= 0 && offset >= 0 && offset + length <= arrayLength)) {
    throw new RangeError(`range [${offset}, ${offset + length}) is outside an array of ${arrayLength} samples`);
  }
}
