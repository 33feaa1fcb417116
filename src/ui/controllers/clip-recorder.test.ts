// The calibration recorder against a fake capture: it opens the capture with the live
// settings' microphone in message mode, keeps every chunk in order, stops by itself at
// MAX_RECORD_SECONDS (cutting the last chunk there), closes a microphone that opens after a
// cancel, and turns a capture failure into its message.
import { describe, expect, it } from 'vitest';
import { CaptureError, type CaptureOptions, type CaptureSession } from '../../audio/capture.ts';
import { DEFAULT_LIVE_SETTINGS } from '../../storage/settings-store.ts';
import { ClipRecorderController, MAX_RECORD_SECONDS, type RecordedAudio } from './clip-recorder.ts';

const host = () => ({ updates: 0, addController() {}, removeController() {}, requestUpdate() { this.updates++; }, updateComplete: Promise.resolve(true) });

/** A capture whose chunks the test pushes through the options it was opened with. */
function fakeCapture(sampleRate: number) {
  const opened: CaptureOptions[] = [];
  let stops = 0;
  const capture = async (opts: CaptureOptions) => {
    opened.push(opts);
    return { sampleRate, stop: async () => void stops++ } as unknown as CaptureSession;
  };
  return { capture, opened, stops: () => stops, push: (values: number[]) => opened.at(-1)!.onChunk!(Float32Array.from(values)) };
}

describe('ClipRecorderController', () => {
  it('records the chunks in order through a message-mode capture of the chosen microphone', async () => {
    const fake = fakeCapture(10);
    const got: RecordedAudio[] = [];
    const rec = new ClipRecorderController(host(), {
      settings: async () => ({ ...DEFAULT_LIVE_SETTINGS, deviceId: 'mic-2', voiceProcessing: true }),
      onRecorded: (a) => got.push(a),
      capture: fake.capture,
    });
    await rec.start('p03');
    expect(rec.phase).toBe('recording');
    expect(rec.target).toBe('p03');
    expect(fake.opened[0]).toMatchObject({ deviceId: 'mic-2', ring: 'message', echoCancellation: true, noiseSuppression: true, autoGainControl: true });
    fake.push([0.1, 0.2, 0.3]);
    fake.opened[0].onLevel!({ rms: 0.1, peak: 0.2 }); // -20 dBFS: 1 - 20/60 on the -60 dB meter
    expect(rec.level).toBeCloseTo(2 / 3, 12);
    fake.push([0.4, 0.5]);
    expect(rec.seconds).toBe(0.5);
    await rec.stop();
    expect(fake.stops()).toBe(1);
    expect(got).toHaveLength(1);
    expect(got[0].target).toBe('p03');
    expect(got[0].sampleRate).toBe(10);
    expect(Array.from(got[0].samples)).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5])));
    expect(rec.phase).toBe('idle');
    expect(rec.target).toBeNull();
  });

  it(`stops by itself at ${MAX_RECORD_SECONDS} s, cutting the chunk that crosses it`, async () => {
    const fake = fakeCapture(4); // MAX_RECORD_SECONDS * 4 samples at the most
    const got: RecordedAudio[] = [];
    const rec = new ClipRecorderController(host(), { settings: async () => ({ ...DEFAULT_LIVE_SETTINGS }), onRecorded: (a) => got.push(a), capture: fake.capture });
    await rec.start('p01');
    const limit = MAX_RECORD_SECONDS * 4;
    fake.push(Array.from({ length: limit - 3 }, (_, i) => i));
    fake.push([100, 101, 102, 103, 104]);
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toHaveLength(1);
    expect(got[0].samples.length).toBe(limit);
    expect(Array.from(got[0].samples.slice(-4))).toEqual([limit - 4, 100, 101, 102]);
    fake.push([1, 2]); // after the end: ignored
    expect(got).toHaveLength(1);
  });

  it('closes a microphone that opened after a cancel, and reports a capture failure', async () => {
    const fake = fakeCapture(10);
    const got: RecordedAudio[] = [];
    const rec = new ClipRecorderController(host(), { settings: async () => ({ ...DEFAULT_LIVE_SETTINGS }), onRecorded: (a) => got.push(a), capture: fake.capture });
    const starting = rec.start('p01');
    rec.cancel();
    await starting;
    expect(fake.stops()).toBe(1);
    expect(rec.phase).toBe('idle');

    const denied = new ClipRecorderController(host(), {
      settings: async () => ({ ...DEFAULT_LIVE_SETTINGS }),
      onRecorded: (a) => got.push(a),
      capture: async () => {
        throw new CaptureError('permission-denied', 'Microphone access was denied.');
      },
    });
    await denied.start('p02');
    expect(denied.phase).toBe('idle');
    expect(denied.error).toBe('Microphone access was denied.');
    expect(got).toEqual([]);
  });
});
