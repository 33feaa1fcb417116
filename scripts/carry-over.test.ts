// npm run carry-over: a leave-one-corpus-out run's held-out scores land in the model card as
// metrics.carryOver (and the app's words for them read it back); a run without a held-out
// corpus, or a missing card, is refused naming the file.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from './lib/test-support.ts';
import { reliabilityText } from '../src/ui/model-card-text.ts';

const dir = mkdtempSync(join(tmpdir(), 'vm-carry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, card: unknown) => {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'card.json'), JSON.stringify(card));
  return join(dir, name);
};

describe('npm run carry-over', () => {
  const run = write('r2t', {
    command: 'npm run train -- --holdout-corpus turev-16k',
    data: { corpora: [{ name: 'ravdess-16k', heldOut: false }, { name: 'turev-16k', heldOut: true }] },
    metrics: {
      validation: { epoch: 24, ccc: 0.36 },
      holdout: { corpus: 'turev-16k', valence: { n: 1735, ccc: 0.016 }, arousal: { n: 1735, ccc: -0.021 } },
    },
  });

  it('writes each run as an entry of metrics.carryOver, keeping the rest of the card', () => {
    const model = write('model', { name: 'm', metrics: { validation: { ccc: 0.5 } }, other: [1, 2] });
    // the app reads the card inside model.json's metadata: it gets the entries too
    writeFileSync(join(model, 'model.json'), JSON.stringify({ format: 'layers-model', userDefinedMetadata: { config: { k: 1 }, card: { name: 'm', metrics: {} } } }));
    const r = runScript('scripts/carry-over.ts', [model, run]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('turev-16k (trained on ravdess-16k, epoch 24): valence CCC 0.016, arousal CCC -0.021');
    const card = JSON.parse(readFileSync(join(model, 'card.json'), 'utf8'));
    expect(card.other).toEqual([1, 2]);
    expect(card.metrics.validation).toEqual({ ccc: 0.5 });
    expect(card.metrics.carryOver).toEqual([
      { heldOut: 'turev-16k', trainedOn: ['ravdess-16k'], epoch: 24, valence: { n: 1735, ccc: 0.016 }, arousal: { n: 1735, ccc: -0.021 }, command: 'npm run train -- --holdout-corpus turev-16k' },
    ]);
    const modelJson = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(modelJson.userDefinedMetadata.config).toEqual({ k: 1 });
    expect(modelJson.userDefinedMetadata.card.metrics.carryOver).toEqual(card.metrics.carryOver);
    expect(reliabilityText(card)).toContain('On a corpus left out of training (the same recipe): turev-16k valence near chance (CCC 0.02)');
  });

  it('refuses a run without a held-out corpus and a missing card, naming the file', () => {
    const model = write('model2', { metrics: {} });
    const plain = write('plain', { metrics: { validation: { ccc: 0.4 } } });
    const r = runScript('scripts/carry-over.ts', [model, plain]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(plain, 'card.json')}: the card has no metrics.holdout`);
    const missing = runScript('scripts/carry-over.ts', [model, join(dir, 'nowhere')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`${join(dir, 'nowhere', 'card.json')}: no such file`);
    expect(JSON.parse(readFileSync(join(model, 'card.json'), 'utf8'))).toEqual({ metrics: {} });
  });
});
