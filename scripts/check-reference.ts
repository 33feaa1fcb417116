// npm run check-reference -- DIR : runs every case of DIR/manifest.json (a torchaudio /
// PyTorch fixture set in the format of ../shared/reference) and prints one line per case
// with its errors against SPEC section 5's tolerances. Exit 1 if any case fails or cannot run.
import { resolve } from 'node:path';
import { loadManifest, SHARED_REFERENCE } from '../src/model/reference-fixtures.ts';
import { runCase } from '../src/model/reference-check.ts';
import { initNodeBackend } from '../src/model/backend.ts';

const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : String(x));

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('-h') || args.includes('--help')) {
    console.log('usage: npm run check-reference -- [DIR]   (default: ../shared/reference)');
    return 0;
  }
  const dir = resolve(args[0] ?? SHARED_REFERENCE);
  let manifest;
  try {
    manifest = loadManifest(dir);
  } catch (e) {
    console.error(`check-reference: ${(e as Error).message}`);
    return 1;
  }
  const backend = await initNodeBackend('wasm');
  console.log(`fixtures: ${dir} (${manifest.generator ?? 'generator not named'}); backend ${backend}`);
  if (manifest.cases.length === 0) {
    console.error('check-reference: the manifest has no cases');
    return 1;
  }
  let failed = 0;
  const width = Math.max(...manifest.cases.map((c) => String(c.name).length));
  for (const c of manifest.cases) {
    const r = runCase(dir, manifest, c);
    if (!r.ok) failed++;
    const head = `${r.ok ? 'ok  ' : 'FAIL'} ${r.kind.padEnd(8)} ${r.name.padEnd(width)}`;
    const body = r.failure
      ? `cannot run: ${r.failure}`
      : r.measures.map((m) => `${m.what} ${fmt(m.error)} (tol ${fmt(m.tolerance)})${m.ok ? '' : ' OUT'}`).join('; ');
    console.log(`${head}  ${body}`);
  }
  const passed = manifest.cases.length - failed;
  console.log(`check-reference: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then((code) => process.exit(code));
