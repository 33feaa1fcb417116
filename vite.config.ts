// Vite builds and serves the app. Two things beyond the defaults:
// - response headers on the dev server and on `npm start`'s preview server (README,
//   *Hosting*, lists them for other hosts): cross-origin isolation (COOP/COEP), which
//   SharedArrayBuffer (the audio ring buffer) and threaded wasm need, a
//   Content-Security-Policy and nosniff;
// - the models/ folder at the top of the repository is served at /models/ and copied into
//   the build, so the app ships the bundled model without a copy of it under public/;
// - TF.js's threaded wasm factory starts only the helper workers its threads use, sized
//   from navigator.hardwareConcurrency (src/model/wasm-threads.ts), not a fixed 8.
import { defineConfig, type Plugin } from 'vite';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { patchPthreadPoolSize } from './src/model/wasm-threads.ts';

// Everything comes from the app's own origin. The two exceptions are what TF.js's threaded
// wasm backend needs in the analysis worker: 'wasm-unsafe-eval' to compile its binaries,
// and blob: for its pthread workers, which it starts from object URLs (worker-src) that
// load the backend's code from another object URL (importScripts, script-src). Without
// the first, wasm fails (WebGL or plain JS instead, far slower on a software GPU); without
// blob:, the threaded backend never finishes starting. Only script that already runs here
// can make a blob: URL, so allowing it opens nothing to injected markup. No
// 'unsafe-inline' anywhere: components style themselves through adoptedStyleSheets (Lit's
// static styles) and set their few computed values as CSS custom properties
// (src/ui/css-props.ts).
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

const MODELS_DIR = resolve(import.meta.dirname, 'models');
const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
  '.safetensors': 'application/octet-stream',
};

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Serves models/ at /models/ in dev and emits it into the build. */
function modelsFolder(): Plugin {
  return {
    name: 'valence-models-folder',
    configureServer(server) {
      server.middlewares.use('/models', (req, res, next) => {
        const path = resolve(MODELS_DIR, '.' + decodeURIComponent((req.url ?? '/').split('?')[0]));
        if (!path.startsWith(MODELS_DIR + sep) || !existsSync(path) || statSync(path).isDirectory()) return next();
        res.setHeader('Content-Type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
        createReadStream(path).pipe(res);
      });
    },
    generateBundle() {
      for (const file of listFiles(MODELS_DIR)) {
        this.emitFile({
          type: 'asset',
          fileName: 'models/' + relative(MODELS_DIR, file).split(sep).join('/'),
          source: readFileSync(file),
        });
      }
    },
  };
}

/** Makes the threaded wasm factory read its pthread pool size (see src/model/wasm-threads.ts). */
function wasmPthreadPool(): Plugin {
  return {
    name: 'valence-wasm-pthread-pool',
    transform(code, id) {
      if (!id.split('?')[0].endsWith('tfjs-backend-wasm-threaded-simd.js')) return null;
      const patched = patchPthreadPoolSize(code);
      if (patched === null) {
        this.warn('tfjs-backend-wasm: no "var pthreadPoolSize=8;" in the threaded factory; its pool size is left as built');
        return null;
      }
      return { code: patched, map: null };
    },
  };
}

export default defineConfig({
  plugins: [modelsFolder(), wasmPthreadPool()],
  server: { headers: HEADERS },
  preview: { headers: HEADERS },
  worker: {
    format: 'es',
    // The main plugins apply to workers only in dev; the build bundles the worker with these.
    plugins: () => [wasmPthreadPool()],
    // No `compress` in the worker bundle: TF.js's threaded wasm backend starts its pthreads
    // from its factory's source text (Function.prototype.toString), and the compressor
    // rewrites a `typeof _scriptDir` guard in it into a bare reference that throws there.
    // No mangling either, so src/model/browser-backend.ts can check that guard is intact.
    rolldownOptions: { output: { minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } } } },
  },
  build: { target: 'es2022', sourcemap: true },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
