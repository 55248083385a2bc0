/**
 * Static data by owning module (src/loader/module-data.ts): blocks placed in order, marks, and
 * which blocks each release gives back.
 */
import { describe, expect, it } from 'vitest';
import { ModuleData } from '../../src/loader/module-data.js';
import type { Runtime } from '../../src/runtime/index.js';

function fakeRuntime() {
  const placed: Array<{ size: number; align: number | undefined }> = [];
  const released: number[] = [];
  const runtime = {
    allocStatic: (bytes: Uint8Array, align?: number) => (placed.push({ size: bytes.length, align }), 100 * placed.length),
    releaseStatic: (ptr: number) => void released.push(ptr),
  } as unknown as Runtime;
  return { runtime, placed, released };
}

describe('ModuleData', () => {
  it('places blocks 8-aligned, and gives back those before or from a mark', () => {
    const { runtime, placed, released } = fakeRuntime();
    const data = new ModuleData(runtime);
    expect(data.place('a', 16)).toBe(100);
    expect(data.place('a', 4)).toBe(200);
    expect(data.place('b', 8)).toBe(300);
    expect(placed).toEqual([{ size: 16, align: 8 }, { size: 4, align: 8 }, { size: 8, align: 8 }]);
    expect(data.mark('a')).toBe(2);
    expect(data.mark('b')).toBe(1);
    expect(data.mark('c')).toBe(0);
    expect(data.place('a', 1)).toBe(400);
    // A reload replaced a's code: its blocks before the mark go.
    data.releaseBefore('a', 2);
    expect(released).toEqual([100, 200]);
    expect(data.mark('a')).toBe(1);
    // A replacement that failed: the blocks it placed go.
    const mark = data.mark('b');
    data.place('b', 2);
    data.place('b', 2);
    data.releaseFrom('b', mark);
    expect(released).toEqual([100, 200, 500, 600]);
    expect(data.mark('b')).toBe(1);
    data.releaseAll('a');
    expect(released).toEqual([100, 200, 500, 600, 400]);
    expect(data.mark('a')).toBe(0);
    data.releaseAll('c');
    data.releaseBefore('c', 1);
    data.releaseFrom('c', 0);
    expect(released).toHaveLength(5);
    data.releaseAll('b');
    expect(released).toEqual([100, 200, 500, 600, 400, 300]);
  });
});
