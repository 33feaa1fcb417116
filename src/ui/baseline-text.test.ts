// The baseline switch's reason and the statement under the gauge, in each state.
import { describe, expect, it } from 'vitest';
import { baselineStatement, baselineSwitchReason } from './baseline-text.ts';
import type { BaselineView } from './controllers/baseline.ts';

const view = (v: Partial<BaselineView>): BaselineView => ({ on: true, state: 'ready', baseline: null, neutralClips: 2, error: '', ...v });

describe('baseline text', () => {
  it('disables the switch, with the reason, until there is a neutral clip', () => {
    expect(baselineSwitchReason(view({ state: 'no-clips', neutralClips: 0 }))).toMatch(/^Needs a neutral clip: record or import one/);
    expect(baselineSwitchReason(view({ state: 'unknown', neutralClips: 0 }))).toBe('Reading your calibration clips…');
    expect(baselineSwitchReason(view({ state: 'waiting' }))).toBeNull();
    expect(baselineSwitchReason(view({ state: 'no-figure' }))).toBeNull();
  });

  it('says what is subtracted while on, and nothing while off', () => {
    const ready = view({ baseline: { valence: -0.1234, arousal: 0.05, clips: 2 } });
    expect(baselineStatement(ready)).toBe(
      'Relative to your neutral voice (valence -0.12, arousal +0.05 subtracted: the mean of your 2 neutral clips). The timeline and saved sessions keep the raw readings.',
    );
    expect(baselineStatement({ ...ready, on: false })).toBeNull();
    const oneOutput = view({ neutralClips: 3, baseline: { valence: 0.2, arousal: null, clips: 1 } });
    expect(baselineStatement(oneOutput)).toMatch(/^Relative to your neutral voice \(valence \+0\.20 subtracted: the mean of your 1 neutral clip\)\./);
  });

  it('says the readings are raw while there is no baseline, and why', () => {
    expect(baselineStatement(view({ state: 'computing', neutralClips: 1 }))).toMatch(/from 1 neutral clip… Raw readings until then\.$/);
    expect(baselineStatement(view({ state: 'waiting' }))).toMatch(/when listening or the file analysis ends\. Raw readings until then\.$/);
    expect(baselineStatement(view({ state: 'no-clips', neutralClips: 0 }))).toMatch(/^Raw readings: there is no neutral clip/);
    expect(baselineStatement(view({ state: 'no-figure' }))).toMatch(/^Raw readings: no speech was found in your 2 neutral clips/);
    expect(baselineStatement(view({ state: 'failed', error: 'the model is still loading' }))).toBe(
      'Raw readings: your baseline could not be worked out (the model is still loading).',
    );
  });
});
