// npm run analyze -- FILE... : the valence of audio files, with the bundled model or --model
// (and their arousal, in a column of its own, when the model has two outputs).
// Per file, its one figure and the rule that made it (src/worker/file-headline.ts, which the
// app's file analysis uses too): a clip of at most 7.7 s whole in one window (the report's
// rule), a longer file the mean of its speech readings. With --timeline, the live monitor's
// readings over the file, from the code the app runs (live window, speech gate, CNN). Files
// are read block by block (src/audio/wav-stream.ts): memory does not grow with their length.
import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { DEFAULT_HOP_SECONDS } from '../src/dsp/params.ts';
import { normalisationFromCard } from '../src/dsp/loudness.ts';
import { outputCount } from '../src/model/config.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { analyzeFileWithHeadline } from '../src/worker/analyze-file.ts';
import { headlineRuleText, type FileHeadline } from '../src/worker/file-headline.ts';
import { windowPredictor } from '../src/worker/window-predictor.ts';
import { loadModelDir } from './lib/model-files.ts';
import { defaultModelDir } from './lib/default-model.ts';
import { withAudioFile } from './lib/audio-file.ts';
import { truncationWarning } from '../src/audio/decode-wav.ts';
import { parseDecimal } from '../src/training/decimal.ts';
import { toCsv, toTable, type Row } from './lib/format-table.ts';
import { runCli } from './lib/cli.ts';

const USAGE = `usage: npm run analyze -- FILE... [options]

Prints the valence (-1 negative .. +1 positive) of each audio file (WAV: any rate, any
channel count, 8/16/24/32-bit integer or 32/64-bit float), and its arousal in a column
of its own when the model has two outputs (valence, arousal). Both are shown within
[-1, 1], the scale's range (the model's linear output can overshoot it). The rule column
says how the file's figure was made, the same way the app's file analysis makes it: a clip
of at most 7.7 s is read whole in one window (the report's rule); a longer file gets the
mean of its speech readings (7.7 s windows every --hop seconds, where the live monitor's
speech gate hears speech; a larger --hop is faster on long files).

options:
  --model DIR      model folder (model.json + weights); default: the bundled model
  --timeline       the live monitor's readings over each file, one every --hop seconds;
                   where its speech gate finds no speech the valence (and arousal)
                   is empty (the monitor shows "no speech" and runs no CNN); the table
                   ends with each file's figure and rule
  --gate           with --timeline: add the monitor's speech gate as a column (speech:
                   yes/no; "no" is where the monitor shows "no speech"); --json always has it
  --hop SECONDS    spacing of timeline readings (default ${DEFAULT_HOP_SECONDS})
  --json | --csv   machine-readable output instead of a table
  --backend NAME   wasm (default) or cpu
  -h, --help       this text`;

interface Options {
  files: string[];
  modelDir?: string;
  timeline: boolean;
  gate: boolean;
  hop: number;
  format: 'table' | 'json' | 'csv';
  backend: 'wasm' | 'cpu';
}

function parseOptions(argv: string[]): Options | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      timeline: { type: 'boolean', default: false },
      gate: { type: 'boolean', default: false },
      hop: { type: 'string' },
      json: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  if (positionals.length === 0) throw new Error('no audio files given');
  if (values.json && values.csv) throw new Error('--json and --csv exclude each other');
  const hop = values.hop === undefined ? DEFAULT_HOP_SECONDS : parseDecimal(values.hop);
  if (!Number.isFinite(hop) || hop <= 0) throw new Error(`--hop must be a positive number of seconds, got "${values.hop}"`);
  if (values.backend !== 'wasm' && values.backend !== 'cpu') throw new Error(`--backend must be wasm or cpu, got "${values.backend}"`);
  return {
    files: positionals,
    modelDir: values.model,
    timeline: values.timeline,
    gate: values.gate,
    hop,
    format: values.json ? 'json' : values.csv ? 'csv' : 'table',
    backend: values.backend,
  };
}

async function analyze(opts: Options): Promise<number> {
  await initNodeBackend(opts.backend);
  let loaded: Awaited<ReturnType<typeof loadModelDir>>;
  try {
    loaded = await loadModelDir(opts.modelDir ?? defaultModelDir());
  } catch (e) {
    console.error(`analyze: cannot load the model: ${(e as Error).message}`);
    return 2;
  }
  const { model, config } = loaded;
  // One forward pass per clip or reading gives both outputs; arousal only where the model has it.
  const read = windowPredictor(model, config);
  const withArousal = outputCount(config) === 2;
  const arousalOf = (a: number | null): Row => (withArousal ? { arousal: a } : {});
  // A model trained with loudness normalisation gets the same on every window (its card says).
  const normalisation = normalisationFromCard(loaded.card);
  const rows: Row[] = [];
  const headlines: { file: string; headline: FileHeadline }[] = [];
  let failures = 0;
  for (const file of opts.files) {
    try {
      // Block by block: memory holds one block and the readings, whatever the file's length.
      const fileRows = await withAudioFile(file, async (audio): Promise<Row[]> => {
        if (audio.truncation) console.error(`analyze: warning: ${truncationWarning(file, audio.truncation)}`);
        if (audio.frames === 0) throw new Error('the file holds no audio (0 samples)');
        const seconds = audio.frames / audio.sampleRate;
        // The app's file analysis: the same loop, gate and CNN as the live monitor, and the same headline.
        const { readings, headline } = await analyzeFileWithHeadline(audio.blocks(), {
          inputRate: audio.sampleRate,
          hopSeconds: opts.hop,
          features: config.features,
          normalisation,
          predict: read,
        });
        headlines.push({ file, headline });
        if (!opts.timeline) {
          const rule = opts.format === 'table' ? headlineRuleText(headline) : headline.rule;
          const extra: Row = opts.format === 'json' ? { speech_readings: headline.speechReadings } : {};
          return [{ file, seconds: Number(seconds.toFixed(3)), valence: headline.valence, ...arousalOf(headline.arousal), rule, ...extra }];
        }
        return readings.map((r) => ({ file, time: Number(r.time.toFixed(6)), valence: r.valence, ...arousalOf(r.arousal), speech: r.speech ? 'yes' : 'no' }));
      });
      rows.push(...fileRows);
    } catch (e) {
      failures++;
      console.error(`analyze: ${file}: ${(e as Error).message}`);
    }
  }
  model.dispose();
  const outputs = ['valence', ...(withArousal ? ['arousal'] : [])];
  const columns = opts.timeline ? ['file', 'time', ...outputs, ...(opts.gate ? ['speech'] : [])] : ['file', 'seconds', ...outputs, 'rule'];
  if (opts.format === 'json') {
    console.log(JSON.stringify(rows));
  } else if (opts.format === 'csv') {
    console.log(toCsv(columns, rows));
  } else if (rows.length > 0) {
    const shown = rows.map((r) => ({ ...r, file: opts.files.length > 1 ? String(r.file) : basename(String(r.file)) }));
    console.log(toTable(columns, shown, { seconds: 2, time: 2, valence: 3, arousal: 3 }));
    // Beside the timeline, each file's one figure (what analyze without --timeline prints).
    if (opts.timeline) for (const { file, headline } of headlines) console.log(headlineLine(file, headline, withArousal));
  }
  return failures > 0 ? 1 : 0;
}

const signed = (v: number) => `${v < 0 ? '-' : '+'}${Math.abs(v).toFixed(3)}`;

/** "a.wav: valence +0.381, arousal +0.702 · whole clip in one 7.7 s window, ..." */
function headlineLine(file: string, h: FileHeadline, withArousal: boolean): string {
  const figures = h.valence === null ? 'no figure' : `valence ${signed(h.valence)}${withArousal && h.arousal !== null ? `, arousal ${signed(h.arousal)}` : ''}`;
  return `${basename(file)}: ${figures} · ${headlineRuleText(h)}`;
}

runCli('analyze', USAGE, parseOptions, analyze);
