// The trainer's parameter layout (= the LayersModel of cnn.ts, see train-step.ts): shapes in
// order, PyTorch-like random init, and per-tensor views into one flat array (plain arrays,
// no TF.js).
import { createRng } from '../../training/random.ts';
import { flatSize, outputCount, type CnnConfig } from '../config.ts';

/** Parameter shapes in LayersModel order. */
export function paramShapes(config: CnnConfig): number[][] {
  const ks = config.kernelSize;
  const shapes: number[][] = [];
  let cin = 1;
  for (const cout of config.channels) {
    shapes.push([ks, ks, cin, cout], [cout]);
    cin = cout;
  }
  const k = outputCount(config);
  shapes.push([flatSize(config), k], [k]);
  return shapes;
}

/** Values in a tensor of this shape. */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** PyTorch's default init: U(+-1/sqrt(fan_in)) for every weight and bias of a layer. */
export function initParams(config: CnnConfig, seed = 1): Float32Array[] {
  const rand = createRng(seed); // mulberry32: reproducible without TF.js
  const shapes = paramShapes(config);
  const out: Float32Array[] = [];
  for (let i = 0; i < shapes.length; i += 2) {
    const kernel = shapes[i];
    const fanIn = sizeOf(kernel) / kernel[kernel.length - 1];
    const bound = 1 / Math.sqrt(fanIn);
    for (const shape of [kernel, shapes[i + 1]]) {
      const a = new Float32Array(sizeOf(shape));
      for (let j = 0; j < a.length; j++) a[j] = (2 * rand() - 1) * bound;
      out.push(a);
    }
  }
  return out;
}

/** Per-tensor views into a flat array. */
export function tensorViews(flat: Float32Array, sizes: readonly number[]): Float32Array[] {
  let offset = 0;
  return sizes.map((n) => {
    const view = flat.subarray(offset, offset + n);
    offset += n;
    return view;
  });
}
