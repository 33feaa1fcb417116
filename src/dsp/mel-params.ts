// Parameters of the Mel transform (torchaudio.transforms.MelSpectrogram's, camelCased),
// their defaults from params.ts MEL, validation, and the frame count they imply.
import { MEL } from './params.ts';
import { SignalError } from './validate.ts';

export interface MelParams {
  /** Sample rate of the signal (Hz). */
  sampleRate: number;
  /** FFT size; the STFT pads each side of the signal by floor(nFft / 2) (center=True). */
  nFft: number;
  /** Hann window length, <= nFft (the window is centred in the FFT frame). */
  winLength: number;
  hopLength: number;
  nMels: number;
  /** Lowest filter edge (Hz). */
  fMin: number;
  /** Highest filter edge (Hz). */
  fMax: number;
}

/**
 * MEL with `overrides` applied, checked. As in torchaudio, winLength defaults to nFft
 * and fMax to floor(sampleRate / 2) when those are not given.
 */
export function melParams(overrides: Partial<MelParams> = {}): MelParams {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, v]) => v !== undefined),
  ) as Partial<MelParams>;
  const sampleRate = defined.sampleRate ?? MEL.sampleRate;
  const nFft = defined.nFft ?? MEL.nFft;
  const p: MelParams = {
    sampleRate,
    nFft,
    winLength: defined.winLength ?? (defined.nFft === undefined ? MEL.winLength : nFft),
    hopLength: defined.hopLength ?? MEL.hopLength,
    nMels: defined.nMels ?? MEL.nMels,
    fMin: defined.fMin ?? MEL.fMin,
    fMax: defined.fMax ?? (defined.sampleRate === undefined ? MEL.fMax : Math.floor(sampleRate / 2)),
  };
  checkMelParams(p);
  return p;
}

function positiveInt(name: string, v: number, min = 1): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new SignalError(`Mel ${name} must be a whole number >= ${min}, got ${String(v)}`);
  }
}

/** Throws a SignalError naming the first parameter torchaudio would reject or misuse. */
export function checkMelParams(p: MelParams): void {
  positiveInt('sampleRate', p.sampleRate);
  positiveInt('nFft', p.nFft, 2);
  positiveInt('winLength', p.winLength);
  if (p.winLength > p.nFft) {
    throw new SignalError(`Mel winLength ${p.winLength} is longer than nFft ${p.nFft}`);
  }
  positiveInt('hopLength', p.hopLength);
  positiveInt('nMels', p.nMels);
  for (const [name, v] of [['fMin', p.fMin], ['fMax', p.fMax]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new SignalError(`Mel ${name} must be a finite frequency >= 0 Hz, got ${String(v)}`);
    }
  }
  // torch accepts fMin == fMax and then divides 0 by 0 in every filter.
  if (p.fMin >= p.fMax) {
    throw new SignalError(`Mel fMin ${p.fMin} Hz must be below fMax ${p.fMax} Hz`);
  }
}

/** Samples of reflect padding on each side of the signal (torch.stft, center=True). */
export function padLength(p: MelParams): number {
  return Math.floor(p.nFft / 2);
}

/** Frames of a signal of `nSamples` samples: 1 + floor(nSamples / hop) for an even nFft. */
export function frameCount(nSamples: number, params: MelParams = melParams()): number {
  if (!Number.isInteger(nSamples) || nSamples < 0) {
    throw new SignalError(`sample count must be a whole number >= 0, got ${nSamples}`);
  }
  const padded = nSamples + 2 * padLength(params);
  if (padded < params.nFft) return 0;
  return 1 + Math.floor((padded - params.nFft) / params.hopLength);
}

/** torch's reflect padding needs more samples than it pads: a SignalError otherwise. */
export function assertLongEnough(nSamples: number, params: MelParams, what = 'audio'): void {
  const pad = padLength(params);
  if (nSamples <= pad) {
    throw new SignalError(
      `${what} has ${nSamples} samples; the Mel spectrogram (nFft ${params.nFft}, reflect ` +
        `padding of ${pad}) needs more than ${pad}`,
    );
  }
}
