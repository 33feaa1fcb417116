// Releasing a backend against TF.js itself, with a stand-in GPU backend: its instance is
// disposed (a real GPU backend frees its pool there), it stays registered and starts again
// afresh, and a backend that was never registered or never started is no error.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { releaseBackend } from './release-backend.ts';

class StandInGpu extends tf.KernelBackend {
  static made: StandInGpu[] = [];
  disposed = false;
  constructor() {
    super();
    StandInGpu.made.push(this);
  }
  override dispose(): void {
    this.disposed = true;
  }
}

const NAME = 'stand-in-gpu';
const previous = tf.getBackend();

afterAll(async () => {
  if (tf.engine().registryFactory[NAME]) tf.removeBackend(NAME);
  if (previous) await tf.setBackend(previous);
});

describe('releasing a backend', () => {
  it('disposes the started backend, keeps it registered with its priority, and it starts again afresh', async () => {
    tf.registerBackend(NAME, () => new StandInGpu(), 1);
    expect(await tf.setBackend(NAME)).toBe(true);
    expect(StandInGpu.made).toHaveLength(1);

    releaseBackend(NAME);
    expect(StandInGpu.made[0].disposed).toBe(true);
    expect(tf.findBackend(NAME) === StandInGpu.made[0]).toBe(false);
    expect(tf.getBackend()).toBeNull(); // it was the active one: none is now, until the next is set
    expect(tf.engine().registryFactory[NAME]?.priority).toBe(1);

    expect(await tf.setBackend(NAME)).toBe(true);
    expect(StandInGpu.made).toHaveLength(2);
    expect(StandInGpu.made[1].disposed).toBe(false);
  });

  it('is no error for a backend never started or never registered', () => {
    releaseBackend(NAME); // started above: disposed
    releaseBackend(NAME); // registered, not started
    expect(tf.engine().registryFactory[NAME]).toBeDefined();
    expect(() => releaseBackend('webgpu')).not.toThrow(); // not registered in Node: its code is never loaded
    expect(tf.engine().registryFactory.webgpu).toBeUndefined();
  });
});
