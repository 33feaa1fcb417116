// Builds the service worker after `vite build`: bundles src/sw.ts (workbox modules
// included) with Vite into one classic script, then has workbox-build's injectManifest
// write dist/sw.js with the precache list: the app shell, JS/CSS (the audio worklet, the
// analysis worker and its WebGPU backend chunk among them), the TF.js wasm binaries, the
// web app manifest and icons, and the default model named by models/index.json
// (model.json, weight files, card.json).
// Usage: tsx scripts/build-sw.ts [--dist DIR]   (default dist)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { injectManifest } from 'workbox-build';

const ROOT = resolve(import.meta.dirname, '..');

/** Large enough for the analysis worker (TF.js inside, ~2.5 MB), the wasm binaries and model weights. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

function distDir(argv: string[]): string {
  const i = argv.indexOf('--dist');
  return resolve(ROOT, i >= 0 && argv[i + 1] ? argv[i + 1] : 'dist');
}

/** Precache patterns for the default model: only the files the app loads, not README / safetensors. */
function modelPatterns(dist: string): string[] {
  const indexPath = join(dist, 'models', 'index.json');
  if (!existsSync(indexPath)) throw new Error(`${indexPath} is missing: run vite build first`);
  const name = (JSON.parse(readFileSync(indexPath, 'utf8')) as { default?: unknown }).default;
  if (typeof name !== 'string' || name === '' || /[/\\]|\.\./.test(name)) throw new Error('models/index.json has no valid "default"');
  const modelJson = JSON.parse(readFileSync(join(dist, 'models', name, 'model.json'), 'utf8')) as {
    weightsManifest?: { paths?: string[] }[];
  };
  const weights = (modelJson.weightsManifest ?? []).flatMap((g) => g.paths ?? []);
  if (weights.length === 0) throw new Error(`models/${name}/model.json lists no weight files`);
  return ['models/index.json', ...['model.json', 'card.json', ...weights].map((f) => `models/${name}/${f}`)];
}

async function main(): Promise<void> {
  const dist = distDir(process.argv.slice(2));
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist}/index.html is missing: run vite build first`);
  const tmp = mkdtempSync(join(tmpdir(), 'valence-sw-'));
  try {
    await build({
      configFile: false,
      root: ROOT,
      logLevel: 'warn',
      publicDir: false,
      // workbox reads process.env.NODE_ENV to drop its development logging.
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir: tmp,
        emptyOutDir: true,
        copyPublicDir: false,
        target: 'es2022',
        sourcemap: false,
        minify: true,
        // A classic script (not a module worker): registers in every browser with service workers.
        lib: { entry: resolve(ROOT, 'src/sw.ts'), formats: ['iife'], name: 'valenceServiceWorker', fileName: () => 'sw.js' },
      },
    });
    const { count, size, warnings, filePaths } = await injectManifest({
      swSrc: join(tmp, 'sw.js'),
      swDest: join(dist, 'sw.js'),
      globDirectory: dist,
      globPatterns: [
        'index.html',
        'manifest.webmanifest',
        'icons/*.{png,svg}',
        'assets/**/*.{js,css,wasm}',
        ...modelPatterns(dist),
      ],
      globIgnores: ['sw.js', '**/*.map'],
      maximumFileSizeToCacheInBytes: MAX_FILE_BYTES,
      // Vite's hashed file names already change with their content: no revision needed.
      dontCacheBustURLsMatching: /^assets\/.+-[\w-]{8}\.\w+$/,
    });
    for (const w of warnings) console.warn(`workbox: ${w}`);
    const listed = readFileSync(join(dist, 'sw.js'), 'utf8');
    // tfjs-webgpu: the analysis worker's WebGPU backend, a chunk of its own (src/model/tfjs-webgpu.ts)
    // fetched only where WebGPU has an adapter, and then offline too.
    for (const must of ['index.html', '.wasm', 'analysis.worker', 'tfjs-webgpu', 'capture-processor', 'weights.bin', 'manifest.webmanifest', 'icons/']) {
      if (!listed.includes(must)) throw new Error(`the precache list has no ${must}: check the globPatterns in scripts/build-sw.ts`);
    }
    console.log(`${filePaths.map((p) => p.replace(ROOT + '/', '')).join(', ')} written: precaches ${count} files, ${(size / 1e6).toFixed(2)} MB`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`build-sw: ${(e as Error).message}`);
  process.exit(1);
});
