// npm run evaluate refuses to score as held-out a clip that holds a training speaker's audio
// (the card lists the training speakers): a copy of a training clip under a held-out speaker,
// and one file listed under both. Real WAV files in a temp folder, one run of the CLI.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavBytes } from '../src/audio/test-support.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { buildCnn } from '../src/model/cnn.ts';
import { SEED_PRESET, type CnnConfig } from '../src/model/config.ts';
import { saveModelDir } from './lib/model-files.ts';
import { runScript } from './lib/test-support.ts';

/** One second of a k-dependent tone, as 16-bit integers. */
const tone = (k: number) => Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * (200 + 50 * k) * i) / 16000)));

describe('npm run evaluate: a held-out clip with a training speaker\'s audio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-evaluate-shared-'));
  const at = (name: string) => join(dir, name);
  const modelDir = at('model');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    ['a', 'b', 'c', 'd'].forEach((name, k) => writeFileSync(at(`${name}.wav`), wavBytes({ rate: 16000, bits: 16, frames: tone(k).map((v) => [v]) })));
    copyFileSync(at('a.wav'), at('a-copy.wav'));
    await initNodeBackend('wasm');
    const config: CnnConfig = { ...SEED_PRESET, features: 'db' };
    const model = buildCnn(config, { seed: 1 });
    await saveModelDir(modelDir, model, config, {
      name: 'evaluate test (random weights)',
      data: { corpora: [{ name: 'clips', layout: 'manifest', source: 'test', clips: 4, speakers: 2, trainSpeakers: ['ann'], valSpeakers: ['bob'], heldOut: false }] },
    });
    model.dispose();
  });

  it('refuses with exit 2, naming each training file and its held-out copy', () => {
    const csv = at('clips.csv');
    const rows = ['a.wav,0.5,ann', 'b.wav,-0.5,ann', 'c.wav,0.1,bob', 'd.wav,0.2,bob', 'a-copy.wav,0.5,bob', 'b.wav,-0.5,bob'];
    writeFileSync(csv, ['path,valence,speaker', ...rows].join('\n') + '\n');
    const r = runScript('scripts/evaluate.ts', ['--model', modelDir, '--manifest', csv, '--speakers', 'bob', '--json', '--no-cache'], 120_000);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain("evaluate: the clips scored and the model's training speakers: 2 clip(s) of the same audio are on two sides");
    expect(r.stderr).toContain(`${at('a.wav')} (a training speaker) = ${at('a-copy.wav')} (scored as held-out)`);
    expect(r.stderr).toContain(`${at('b.wav')} (a training speaker) = ${at('b.wav')} (scored as held-out)`);
    expect(r.stderr).not.toContain('c.wav');
    expect(r.stdout).toBe('');
  });
});
