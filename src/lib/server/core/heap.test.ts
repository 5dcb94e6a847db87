import { describe, expect, it } from 'vitest';
import { withCompactHeap } from './heap.js';

describe('withCompactHeap', () => {
  it('sets the flag once for overlapping holders and puts it back when the last ends, even on failure', async () => {
    const set: string[] = [];
    const record = (f: string) => set.push(f);
    let releaseFirst!: () => void;
    const first = withCompactHeap(() => new Promise<void>((resolve) => (releaseFirst = resolve)), record);
    const failing = withCompactHeap(() => Promise.reject(new Error('import failed')), record);
    await expect(failing).rejects.toThrow('import failed');
    expect(set).toEqual(['--heap-growing-percent=30']);
    releaseFirst();
    await first;
    expect(set).toEqual(['--heap-growing-percent=30', '--heap-growing-percent=0']);
    await expect(withCompactHeap(() => Promise.resolve(7), record)).resolves.toBe(7);
    expect(set).toEqual([
      '--heap-growing-percent=30',
      '--heap-growing-percent=0',
      '--heap-growing-percent=30',
      '--heap-growing-percent=0',
    ]);
  });
});
