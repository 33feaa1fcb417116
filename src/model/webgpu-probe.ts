// Whether this browser offers WebGPU, and which adapter, before any TF.js WebGPU code is
// loaded: without `navigator.gpu`, or where requestAdapter() finds none (headless Chromium
// on Linux without a GPU), the trial records why and the backend's code is never fetched.
// A software adapter (SwiftShader's fallback adapter) is only reported, like a software
// WebGL renderer: the measurement decides. No TF.js here, and the GPU objects are the few
// fields read, so it is tested in Node with fakes.
import { isSoftwareRenderer } from './webgl-renderer.ts';

/** The fields of GPUAdapterInfo read here (Chrome 127+ has `isFallbackAdapter` on it). */
export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** The fields of GPUAdapter read here (`isFallbackAdapter` moved to `info` in newer browsers). */
export interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
}

/** `navigator.gpu` as far as the probe uses it. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapterLike | null>;
}

export type WebGpuProbe =
  /** An adapter was found; `note` names it for the trial (", software" where it is one). */
  | { available: true; note: string }
  /** No WebGPU here; `note` says why, as the trial records it. */
  | { available: false; note: string };

export const NO_WEBGPU = 'WebGPU: not available in this browser';
export const NO_ADAPTER = 'WebGPU: no adapter';

/** `navigator.gpu` where the browser has it (a page or a worker), else undefined. */
export function navigatorGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike | null } }).navigator;
  return nav?.gpu ?? undefined;
}

/** True when the browser says the adapter is its fallback (software) one, or its name says so. */
export function isSoftwareAdapter(adapter: GpuAdapterLike): boolean {
  const info = adapter.info ?? {};
  if (info.isFallbackAdapter === true || adapter.isFallbackAdapter === true) return true;
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  return isSoftwareRenderer(name || null);
}

/** The adapter's name for the trial note: "adapter nvidia ampere (RTX 3060)", "adapter google swiftshader (software)". */
export function describeAdapter(adapter: GpuAdapterLike): string {
  const info = adapter.info ?? {};
  const kind = [info.vendor, info.architecture].filter(Boolean).join(' ');
  const detail = info.description || info.device || '';
  const name = [kind, detail && `(${detail})`].filter(Boolean).join(' ') || 'unknown';
  return `adapter ${name}${isSoftwareAdapter(adapter) ? ' (software)' : ''}`;
}

/**
 * Asks `gpu` for the adapter TF.js's WebGPU backend would take (high-performance, as its
 * factory asks). Never throws: a missing API, no adapter or a refusal is a note.
 */
export async function probeWebGpu(gpu: GpuLike | undefined): Promise<WebGpuProbe> {
  if (!gpu || typeof gpu.requestAdapter !== 'function') return { available: false, note: NO_WEBGPU };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { available: false, note: `WebGPU: requestAdapter failed (${(e as Error).message || String(e)})` };
  }
  if (!adapter) return { available: false, note: NO_ADAPTER };
  return { available: true, note: describeAdapter(adapter) };
}
