import { describe, expect, it } from 'vitest';
import { snippetParts } from './search';

describe('snippetParts', () => {
  it('marks the highlighted ranges and keeps the text between them', () => {
    expect(snippetParts('gas cut in Goris again', [[11, 16]])).toEqual([
      { text: 'gas cut in ', mark: false },
      { text: 'Goris', mark: true },
      { text: ' again', mark: false },
    ]);
  });

  it('treats the snippet as text, and skips ranges that overlap or fall outside it', () => {
    const parts = snippetParts('<b>x</b> y', [
      [9, 10],
      [0, 3],
      [1, 2],
      [8, 40],
    ]);
    expect(parts).toEqual([
      { text: '<b>', mark: true },
      { text: 'x</b> ', mark: false },
      { text: 'y', mark: true },
    ]);
  });
});
