// The WebGPU probe on fake navigator.gpu objects: no API, no adapter and a refusal are notes,
// never throws; an adapter is named, and a software one (SwiftShader's fallback adapter, as
// Chromium gives it with --enable-unsafe-swiftshader) is marked as such, only reported.
import { describe, expect, it } from 'vitest';
import { describeAdapter, isSoftwareAdapter, navigatorGpu, probeWebGpu, type GpuAdapterLike, type GpuLike } from './webgpu-probe.ts';

const gpuGiving = (adapter: GpuAdapterLike | null): GpuLike & { asked: unknown[] } => {
  const asked: unknown[] = [];
  return {
    asked,
    async requestAdapter(options) {
      asked.push(options);
      return adapter;
    },
  };
};

/** What Chromium 150 gives in headless mode with --enable-unsafe-webgpu --enable-unsafe-swiftshader. */
const SWIFTSHADER: GpuAdapterLike = { info: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true } };

describe('probing WebGPU', () => {
  it('says "not available in this browser" without navigator.gpu', async () => {
    expect(await probeWebGpu(undefined)).toEqual({ available: false, note: 'WebGPU: not available in this browser' });
    // Node has no navigator.gpu either: the Node paths never see WebGPU.
    expect(navigatorGpu()).toBeUndefined();
  });

  it('says "no adapter" where requestAdapter() gives null (headless Chromium on Linux without a GPU)', async () => {
    const gpu = gpuGiving(null);
    expect(await probeWebGpu(gpu)).toEqual({ available: false, note: 'WebGPU: no adapter' });
    expect(gpu.asked).toEqual([{ powerPreference: 'high-performance' }]); // the adapter TF.js's factory asks for
  });

  it('turns a refusal into a note instead of throwing', async () => {
    const gpu: GpuLike = { requestAdapter: () => Promise.reject(new Error('blocked by policy')) };
    expect(await probeWebGpu(gpu)).toEqual({ available: false, note: 'WebGPU: requestAdapter failed (blocked by policy)' });
  });

  it('names a hardware adapter', async () => {
    const nvidia: GpuAdapterLike = { info: { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060', isFallbackAdapter: false } };
    expect(await probeWebGpu(gpuGiving(nvidia))).toEqual({ available: true, note: 'adapter nvidia ampere (NVIDIA GeForce RTX 3060)' });
    expect(isSoftwareAdapter(nvidia)).toBe(false);
  });

  it('marks a software adapter, by the browser\'s flag or by its name', async () => {
    expect(await probeWebGpu(gpuGiving(SWIFTSHADER))).toEqual({ available: true, note: 'adapter google swiftshader (software)' });
    // Older Chromium: the flag on the adapter, not its info.
    expect(describeAdapter({ info: { vendor: 'intel', architecture: 'gen-12lp' }, isFallbackAdapter: true })).toBe('adapter intel gen-12lp (software)');
    // No flag at all, a software name: llvmpipe behind Vulkan.
    expect(describeAdapter({ info: { vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' } })).toBe('adapter mesa (llvmpipe (LLVM 15.0.6, 256 bits)) (software)');
    expect(describeAdapter({})).toBe('adapter unknown');
  });
});
