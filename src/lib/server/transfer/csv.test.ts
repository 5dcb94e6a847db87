import { describe, expect, it } from 'vitest';
import { FileProblem } from './columns.js';
import { readCsv } from './csv.js';

async function rows(text: string, chunk = 3) {
  const bytes = Buffer.from(text);
  async function* source() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const out: { line: number; cells: string[] }[] = [];
  for await (const r of readCsv(source())) out.push(r);
  return out;
}

describe('readCsv', () => {
  it('reads quoted cells, doubled quotes and line breaks across chunk boundaries, and counts lines', async () => {
    const text = 'a,b\r\n"x, ""y""","two\r\nlines"\r\n\r\nlast,"cr\ronly"\nend,';
    for (const chunk of [1, 2, 5, 1000])
      expect(await rows(text, chunk)).toEqual([
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['x, "y"', 'two\r\nlines'] },
        { line: 5, cells: ['last', 'cr\ronly'] },
        { line: 7, cells: ['end', ''] },
      ]);
  });

  it('names the line of broken quoting and of a cell never closed', async () => {
    await expect(rows('a\nb"c\n')).rejects.toThrow(/^Broken quoting \(line 2\)/);
    await expect(rows('a\n"b\nc"d\n')).rejects.toThrow(/^Broken quoting \(line 3\)/);
    const err = await rows('a\n"never closed\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileProblem);
    expect((err as FileProblem).line).toBe(2);
  });
});
