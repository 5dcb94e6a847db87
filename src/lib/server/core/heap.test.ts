import { describe, expect, it } from 'vitest';
import { startupGrowingPercent, withCompactHeap } from './heap.js';

describe('withCompactHeap', () => {
  it('sets the flag once for overlapping holders and puts it back when the last ends, even on failure', async () => {
    const set: string[] = [];
    const record = (f: string) => set.push(f);
    let releaseFirst!: () => void;
    const first = withCompactHeap(() => new Promise<void>((resolve) => (releaseFirst = resolve)), record, 0);
    const failing = withCompactHeap(() => Promise.reject(new Error('import failed')), record, 0);
    await expect(failing).rejects.toThrow('import failed');
    expect(set).toEqual(['--heap-growing-percent=30']);
    releaseFirst();
    await first;
    expect(set).toEqual(['--heap-growing-percent=30', '--heap-growing-percent=0']);
    await expect(withCompactHeap(() => Promise.resolve(7), record, 0)).resolves.toBe(7);
    expect(set).toEqual([
      '--heap-growing-percent=30',
      '--heap-growing-percent=0',
      '--heap-growing-percent=30',
      '--heap-growing-percent=0',
    ]);
  });

  it('puts back the setting the process started with, and keeps a lower one throughout', async () => {
    const set: string[] = [];
    const record = (f: string) => set.push(f);
    await withCompactHeap(() => Promise.resolve(), record, 50);
    await withCompactHeap(() => Promise.resolve(), record, 10);
    expect(set).toEqual([
      '--heap-growing-percent=30',
      '--heap-growing-percent=50',
      '--heap-growing-percent=10',
      '--heap-growing-percent=10',
    ]);
  });

  it('reads the setting from the process’s flags, which come after NODE_OPTIONS', () => {
    expect(startupGrowingPercent([], '')).toBe(0);
    expect(startupGrowingPercent(['--heap-growing-percent=50'], '')).toBe(50);
    expect(startupGrowingPercent([], '--max-old-space-size=512 --heap_growing_percent=40')).toBe(40);
    expect(startupGrowingPercent(['--heap-growing-percent=20'], '--heap-growing-percent=40')).toBe(20);
    expect(startupGrowingPercent(['--heap-growing-percent'], '')).toBe(0);
  });
});
