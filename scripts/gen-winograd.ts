// npm run gen:winograd [-- --check] : writes the generated Winograd transforms (one module
// per tile plus their index, in src/model/train/winograd-kernels/) from their generator
// (src/model/train/winograd-codegen.ts), and removes generated modules it no longer makes.
// --check writes nothing and exits 1 if the committed files differ from what the generator
// gives now.
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_DIR, generateKernelFiles } from '../src/model/train/winograd-codegen.ts';
import { runCli } from './lib/cli.ts';

const USAGE = `usage: npm run gen:winograd [-- --check]

  writes ${GENERATED_DIR}/*.generated.ts from src/model/train/winograd-codegen.ts
  --check   write nothing; exit 1 if the files differ from the generator's output`;

function parse(argv: string[]): { check: boolean } | null {
  if (argv.includes('--help') || argv.includes('-h')) return null;
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) throw new Error(`unknown option ${unknown[0]}`);
  return { check: argv.includes('--check') };
}

runCli('gen-winograd', USAGE, parse, async ({ check }) => {
  const dir = fileURLToPath(new URL(`../${GENERATED_DIR}`, import.meta.url));
  const files = generateKernelFiles();
  const wanted = new Set(files.map((f) => f.name));
  const present = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.generated.ts')) : [];
  const stray = present.filter((n) => !wanted.has(n));
  const stale = files.filter((f) => {
    const path = join(dir, f.name);
    return !existsSync(path) || readFileSync(path, 'utf8') !== f.text;
  });
  if (check) {
    if (stale.length === 0 && stray.length === 0) return 0;
    for (const f of stale) console.error(`${GENERATED_DIR}/${f.name} is out of date`);
    for (const n of stray) console.error(`${GENERATED_DIR}/${n} is not the generator's`);
    console.error('run npm run gen:winograd');
    return 1;
  }
  mkdirSync(dir, { recursive: true });
  for (const f of stale) writeFileSync(join(dir, f.name), f.text);
  for (const n of stray) unlinkSync(join(dir, n));
  const lines = Math.max(...files.map((f) => f.text.split('\n').length - 1));
  console.log(
    `${GENERATED_DIR}: ${files.length} modules (longest ${lines} lines), ${stale.length} written, ${stray.length} removed`,
  );
  return 0;
});
