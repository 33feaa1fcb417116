// npm run gen:winograd [-- --check] : writes the generated Winograd transforms
// (src/model/train/winograd-kernels.generated.ts) from their generator
// (src/model/train/winograd-codegen.ts). --check writes nothing and exits 1 if the committed
// file differs from what the generator gives now.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED_PATH, generateKernelsModule } from '../src/model/train/winograd-codegen.ts';
import { runCli } from './lib/cli.ts';

const USAGE = `usage: npm run gen:winograd [-- --check]

  writes ${GENERATED_PATH} from src/model/train/winograd-codegen.ts
  --check   write nothing; exit 1 if the file differs from the generator's output`;

function parse(argv: string[]): { check: boolean } | null {
  if (argv.includes('--help') || argv.includes('-h')) return null;
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) throw new Error(`unknown option ${unknown[0]}`);
  return { check: argv.includes('--check') };
}

runCli('gen-winograd', USAGE, parse, async ({ check }) => {
  const path = fileURLToPath(new URL(`../${GENERATED_PATH}`, import.meta.url));
  const text = generateKernelsModule();
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (check) {
    if (current === text) return 0;
    console.error(`${GENERATED_PATH} is out of date: run npm run gen:winograd`);
    return 1;
  }
  if (current !== text) writeFileSync(path, text);
  console.log(`${GENERATED_PATH}: ${current === text ? 'unchanged' : 'written'} (${text.split('\n').length - 1} lines)`);
  return 0;
});
