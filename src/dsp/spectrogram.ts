// The Mel spectrogram value passed along the signal path.

/** Row-major nMels x nFrames (torch's (n_mels, time) tensor in C order). */
export interface Spectrogram {
  data: Float32Array;
  nMels: number;
  nFrames: number;
}
