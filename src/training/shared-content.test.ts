// The pure cross-split comparison: contents on two sides are found with every file that
// holds them; repeats on one side, and sides of one name, are no leak.
import { describe, expect, it } from 'vitest';
import { sharedContent, sharedContentMessage } from './shared-content.ts';

describe('sharedContent', () => {
  it('finds a hash on two sides and lists every file holding it, in side order', () => {
    const shared = sharedContent([
      { name: 'training', clips: [{ path: 'a.wav', hash: 'h1' }, { path: 'b.wav', hash: 'h2' }, { path: 'a2.wav', hash: 'h1' }] },
      { name: 'validation', clips: [{ path: 'c.wav', hash: 'h3' }, { path: 'a-copy.wav', hash: 'h1' }] },
      { name: 'held out', clips: [{ path: 'b.wav', hash: 'h2' }] },
    ]);
    expect(shared).toEqual([
      { hash: 'h1', files: [{ side: 'training', path: 'a.wav' }, { side: 'training', path: 'a2.wav' }, { side: 'validation', path: 'a-copy.wav' }] },
      { hash: 'h2', files: [{ side: 'training', path: 'b.wav' }, { side: 'held out', path: 'b.wav' }] },
    ]);
  });

  it('reports nothing for copies on one side, or for sides of the same name', () => {
    expect(sharedContent([
      { name: 'training', clips: [{ path: 'a.wav', hash: 'h1' }, { path: 'a.wav', hash: 'h1' }, { path: 'a-copy.wav', hash: 'h1' }] },
      { name: 'validation', clips: [{ path: 'b.wav', hash: 'h2' }] },
      { name: 'validation', clips: [{ path: 'b-copy.wav', hash: 'h2' }] },
    ])).toEqual([]);
    expect(sharedContent([])).toEqual([]);
  });

  it('one file listed twice on a side is named once', () => {
    const shared = sharedContent([
      { name: 'training', clips: [{ path: 'a.wav', hash: 'h1' }, { path: 'a.wav', hash: 'h1' }] },
      { name: 'validation', clips: [{ path: 'a.wav', hash: 'h1' }] },
    ]);
    expect(shared).toEqual([{ hash: 'h1', files: [{ side: 'training', path: 'a.wav' }, { side: 'validation', path: 'a.wav' }] }]);
  });
});

describe('sharedContentMessage', () => {
  it("names each content's files and sides, and counts those past the limit", () => {
    const shared = ['h1', 'h2', 'h3'].map((hash, i) => ({ hash, files: [{ side: 'training', path: `t${i}.wav` }, { side: 'validation', path: `v${i}.wav` }] }));
    expect(sharedContentMessage(shared, 'split "x"', 2)).toBe(
      'split "x": 3 clip(s) of the same audio are on two sides, so their scores would not be held-out:\n' +
        '  t0.wav (training) = v0.wav (validation)\n' +
        '  t1.wav (training) = v1.wav (validation)\n' +
        '  ... and 1 more\n' +
        'remove the copies, or give each copy the same speaker so that they stay on one side',
    );
  });
});
