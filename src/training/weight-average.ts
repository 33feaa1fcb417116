// Weight averaging over the last K epochs (the issue's "averaging the weights of the last
// checkpoints", after stochastic weight averaging): the model a run scores, chooses and saves
// at each epoch's end is the mean of the weights the last K epochs ended with, while training
// goes on from the raw weights. An average of nearby points of one trajectory sits nearer
// the middle of a flat basin, which is what carries over to data of another kind. The CNN
// has no batch statistics, so a plain mean of the parameters is the whole method. Pure.

/** The last `k` epochs' weights (copies) and their element-wise mean. */
export class RecentWeights {
  private readonly sets: Float32Array[][] = [];

  /** `k`: epochs averaged (>= 1); `restored`: the sets a checkpoint kept, oldest first. */
  constructor(
    readonly k: number,
    restored: readonly (readonly Float32Array[])[] = [],
  ) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`epochs to average must be a whole number >= 1, got ${k}`);
    for (const s of restored.slice(-k)) this.push(s);
  }

  /** Keeps a copy of one epoch's weights, dropping the oldest beyond k. */
  push(weights: readonly Float32Array[]): void {
    const first = this.sets[0];
    if (first && (first.length !== weights.length || first.some((a, i) => a.length !== weights[i].length))) {
      throw new Error('weights to average must have the same shapes every epoch');
    }
    this.sets.push(weights.map((a) => a.slice()));
    if (this.sets.length > this.k) this.sets.shift();
  }

  /** How many epochs the mean is over now (fewer than k early in a run). */
  get count(): number {
    return this.sets.length;
  }

  /** The element-wise mean of the kept sets, summed in float64 (new arrays). */
  mean(): Float32Array[] {
    if (this.sets.length === 0) throw new Error('no weights to average yet');
    const n = this.sets.length;
    return this.sets[0].map((_, p) => {
      const out = new Float32Array(this.sets[0][p].length);
      for (let i = 0; i < out.length; i++) {
        let s = 0;
        for (let e = 0; e < n; e++) s += this.sets[e][p][i];
        out[i] = s / n;
      }
      return out;
    });
  }

  /** The kept sets, oldest first (for a checkpoint; not copies). */
  snapshot(): readonly (readonly Float32Array[])[] {
    return this.sets;
  }
}
