// TF.js's WebGPU backend, loaded on demand in the analysis worker: once the probe has found
// an adapter, the package is fetched as a chunk of its own (tfjs-webgpu.ts), so the page's
// bundle and the Node tools never carry it and a browser without WebGPU, or without an
// adapter, never fetches it. Never throws: whatever stops it is the trial's note.
import { navigatorGpu, probeWebGpu, type GpuLike, type WebGpuProbe } from './webgpu-probe.ts';

let loading: Promise<unknown> | null = null;

/**
 * Probes `gpu` (navigator.gpu) and, where it has an adapter, loads the backend's code (once
 * per worker). `available` false: WebGPU cannot be tried here, and `note` says why.
 */
export async function prepareWebGpu(gpu: GpuLike | undefined = navigatorGpu()): Promise<WebGpuProbe> {
  const probe = await probeWebGpu(gpu);
  if (!probe.available) return probe;
  try {
    await (loading ??= import('./tfjs-webgpu.ts'));
  } catch (e) {
    loading = null; // e.g. offline before the chunk was cached: a later trial fetches it again
    return { available: false, note: `WebGPU: its backend could not be loaded (${(e as Error).message || String(e)})` };
  }
  return probe;
}
