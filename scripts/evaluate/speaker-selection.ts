// Which speakers of which corpus evaluate scores: `--speakers LIST` restricts a run's only
// corpus; with several corpora `--speakers NAME=LIST` (repeatable) restricts the one named,
// and the others are scored whole.
import { selectSpeakers, SplitError } from '../../src/training/split.ts';
import type { Clip } from '../lib/corpus.ts';

export class SpeakerOptionError extends Error {
  override name = 'SpeakerOptionError';
}

/**
 * Reads the --speakers values against the run's corpus names: corpus name -> speaker list
 * (as parseSpeakerList reads it). A bare LIST needs a single corpus, since speaker ids of
 * different corpora can look alike (RAVDESS "01", a manifest's "1").
 */
export function speakerLists(values: readonly string[], corpora: readonly string[]): Map<string, string> {
  const lists = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    let name: string;
    let list: string;
    if (eq < 0) {
      if (corpora.length > 1) {
        throw new SpeakerOptionError(`--speakers ${value}: with several corpora, say which one, e.g. --speakers ${corpora[0]}=${value}`);
      }
      [name, list] = [corpora[0], value];
    } else {
      [name, list] = [value.slice(0, eq).trim(), value.slice(eq + 1)];
      if (!corpora.includes(name)) {
        throw new SpeakerOptionError(`--speakers names corpus "${name}", which is not in this run (corpora: ${corpora.join(', ')})`);
      }
    }
    if (lists.has(name)) throw new SpeakerOptionError(`--speakers restricts corpus "${name}" twice: give one list`);
    lists.set(name, list);
  }
  return lists;
}

/** Keeps only the listed speakers of each corpus named in `lists`; throws a SplitError when a list matches no clip. */
export function restrictSpeakers<C extends { name: string; clips: Clip[] }>(corpora: readonly C[], lists: ReadonlyMap<string, string>): C[] {
  return corpora.map((corpus) => {
    const list = lists.get(corpus.name);
    if (list === undefined) return corpus;
    try {
      return { ...corpus, clips: selectSpeakers(corpus.clips, list) };
    } catch (e) {
      // With one corpus the message reads as it always did; with several it names the corpus.
      if (e instanceof SplitError && corpora.length > 1) throw new SplitError(`corpus "${corpus.name}": ${e.message}`);
      throw e;
    }
  });
}
