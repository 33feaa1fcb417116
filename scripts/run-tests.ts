// npm test: every test, in two lanes that share the machine, then the one test that needs
// it alone.
//
//   unit lane:    tsc --noEmit, then Vitest, then the torchaudio fixture check
//   browser lane: the production build, then Playwright's `app` project
//   then:         Playwright's `live` project (e2e/live.spec.ts) alone
//
// Why lanes: the browser tests mostly wait on real-time audio (a whole `app` run used about
// 0.7 of a core on this 2-core machine), while Vitest's files are CPU-bound. On 2 cores the
// gain is small (7.9 min against about 8.5 one after the other: both sides then slow each
// other down); with more cores it is most of the browser lane. The live spec compares
// readings with the fixture sample for sample, and CPU load beside it makes Chromium's fake
// microphone insert zeros, so it still runs only after both lanes are done.
//
// Each line is prefixed with its lane's name; the exit code is 1 when anything failed, with
// a summary naming each step and how long it took. `npm run test:unit` and
// `npm run test:e2e` still run one side alone.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './lib/repo-root.ts';

interface Step {
  readonly name: string;
  readonly argv: readonly string[];
}

interface StepResult {
  readonly name: string;
  readonly code: number;
  readonly seconds: number;
  /** Lines that name a failing test (Playwright's ✘, Vitest's FAIL/×), for the summary. */
  readonly failures: readonly string[];
}

// CI keeps only the tail of the log: the summary repeats which tests failed.
const FAILURE_LINE = /^\s*(✘|×|FAIL\b)|^\s*\d+\) \[/;
// The first error line after Playwright's numbered failure header says why.
const NUMBERED_FAILURE = /^\s*\d+\) \[/;
const ERROR_LINE = /^\s*(\w*Error\b|Test timeout)/;
const MAX_FAILURE_LINES = 12;

const NPX = ['npx', '--no-install'];

const UNIT_LANE: readonly Step[] = [
  { name: 'typecheck', argv: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'vitest', argv: [...NPX, 'vitest', 'run'] },
  { name: 'check-reference', argv: ['npm', 'run', '--silent', 'check-reference', '--', '../shared/reference'] },
];

const BROWSER_LANE: readonly Step[] = [
  { name: 'build', argv: ['npm', 'run', '--silent', 'build'] },
  // --no-deps would not matter here: `app` depends on nothing.
  { name: 'playwright app', argv: [...NPX, 'playwright', 'test', '--project', 'app'] },
];

const ALONE: Step = { name: 'playwright live', argv: [...NPX, 'playwright', 'test', '--project', 'live', '--no-deps'] };

/** Runs one step with its output line by line under `prefix`; resolves with its exit code. */
function runStep(step: Step, prefix: string): Promise<StepResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(step.argv[0], step.argv.slice(1), {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Colour codes would survive the prefixing but clutter CI logs.
      env: { ...process.env, NO_COLOR: '1' },
    });
    const failures: string[] = [];
    let wantError = false;
    const relay = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
      createInterface({ input: stream }).on('line', (line) => {
        out.write(`${prefix} ${line}\n`);
        if (wantError && ERROR_LINE.test(line)) {
          failures.push(`  ${line.trim().slice(0, 200)}`);
          wantError = false;
        }
        if (FAILURE_LINE.test(line) && !failures.includes(line.trim())) failures.push(line.trim());
        if (NUMBERED_FAILURE.test(line)) wantError = true;
      });
    };
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    const done = (code: number) => resolve({ name: step.name, code, seconds: (performance.now() - started) / 1000, failures });
    child.on('error', (e) => {
      process.stderr.write(`${prefix} could not start ${step.argv.join(' ')}: ${e.message}\n`);
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/** The steps of a lane in order; a failed step ends the lane (later steps need it). */
async function runLane(steps: readonly Step[], prefix: string): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    process.stdout.write(`${prefix} == ${step.name}\n`);
    const r = await runStep(step, prefix);
    results.push(r);
    if (r.code !== 0) break;
  }
  return results;
}

async function main(): Promise<number> {
  const started = performance.now();
  const lanes = await Promise.all([runLane(UNIT_LANE, '[unit]'), runLane(BROWSER_LANE, '[e2e] ')]);
  const results = lanes.flat();
  const browserOk = lanes[1].length === BROWSER_LANE.length && lanes[1].every((r) => r.code === 0);
  // Playwright would skip the live tests after another failure; say so rather than run them.
  if (browserOk) {
    process.stdout.write(`[live] == ${ALONE.name} (alone)\n`);
    results.push(await runStep(ALONE, '[live]'));
  }
  const failed = results.filter((r) => r.code !== 0);
  const skipped = [...UNIT_LANE, ...BROWSER_LANE, ALONE].filter((s) => !results.some((r) => r.name === s.name));
  const total = (performance.now() - started) / 1000;
  process.stdout.write('\nnpm test:\n');
  for (const r of results) {
    process.stdout.write(`  ${r.code === 0 ? 'ok    ' : 'FAILED'} ${r.name} (${r.seconds.toFixed(0)} s)\n`);
    if (r.code === 0) continue;
    for (const line of r.failures.slice(0, MAX_FAILURE_LINES)) process.stdout.write(`           ${line}\n`);
    if (r.failures.length > MAX_FAILURE_LINES) process.stdout.write(`           ... and ${r.failures.length - MAX_FAILURE_LINES} more\n`);
  }
  for (const s of skipped) process.stdout.write(`  not run ${s.name} (an earlier step failed)\n`);
  process.stdout.write(`  ${failed.length === 0 ? 'all passed' : `${failed.length} failed`} in ${(total / 60).toFixed(1)} min\n`);
  return failed.length === 0 && skipped.length === 0 ? 0 : 1;
}

process.exitCode = await main();
