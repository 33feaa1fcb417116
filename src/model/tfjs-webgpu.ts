// The chunk that holds TF.js's WebGPU backend: importing the package registers the 'webgpu'
// backend and its kernels with TF.js. Only webgpu-backend.ts imports this, dynamically, so
// the build emits it as a chunk of its own named for this file (checked in
// scripts/build-sw.ts, which precaches it for offline visits).
import '@tensorflow/tfjs-backend-webgpu';
