// The rule that makes a personal model the model in use: its honest (k-fold) valence CCC
// on the user's clips must beat the base model's; an undefined score never does.
import { describe, expect, it } from 'vitest';
import type { CalibrationReport } from '../../training/personalize/calibrate.ts';
import { improves } from './personal-calibration.ts';

const m = (ccc: number) => ({ n: 8, mse: 0.3, ccc, pearson: 0.2, sign_acc: 0.5 });
const report = (before: number | null, after: number | null): CalibrationReport => ({
  clips: 8,
  folds: 4,
  before: { valence: before === null ? null : m(before), arousal: null },
  after: { valence: after === null ? null : m(after), arousal: null },
});

describe('improves', () => {
  it('adopts a personal model only when it reads the clips better than its base', () => {
    expect(improves(report(0.03, 0.41))).toBe(true);
    expect(improves(report(0.41, 0.03))).toBe(false);
    expect(improves(report(0.2, 0.2))).toBe(false);
    expect(improves(report(NaN, 0.1))).toBe(true);
    expect(improves(report(0.1, NaN))).toBe(false);
    expect(improves(report(null, null))).toBe(false);
  });
});
