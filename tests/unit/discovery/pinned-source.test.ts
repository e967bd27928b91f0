import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PinnedSource, type PinnedProjectsStore } from '../../../electron/core/discovery/pinned-source';
import type { DiscoveredProject } from '../../../electron/core/discovery/project-source';
import { tempDir } from '../../helpers/temp';
import { mkdirp } from '../../fixtures/jetbrains/fixtures';

function memoryStore(initial: string[]): PinnedProjectsStore & { saved: string[][]; failNext: boolean } {
  let stored = [...initial];
  const store = {
    saved: [] as string[][],
    failNext: false,
    load: () => [...stored],
    save(paths: string[]) {
      if (store.failNext) {
        store.failNext = false;
        throw new Error('disk full');
      }
      stored = [...paths];
      store.saved.push([...paths]);
    },
  };
  return store;
}

describe('PinnedSource', () => {
  it('publishes the stored folders as open on start, normalised and without duplicates', async () => {
    const root = await tempDir('pinned-');
    const a = mkdirp(path.join(root, 'a'));
    const b = mkdirp(path.join(root, 'b'));
    const source = new PinnedSource(memoryStore([b, `${a}/`, a, 'relative/dir', '']));
    const seen: (readonly DiscoveredProject[])[] = [];
    source.on('change', (projects) => seen.push(projects));
    await source.start();
    expect(source.current()).toEqual([
      { path: a, open: true, source: { kind: 'pinned' } },
      { path: b, open: true, source: { kind: 'pinned' } },
    ]);
    expect(seen).toHaveLength(1);
    expect(source.pinned()).toEqual([b, a]);
    expect(source.rejected().map((r) => r.value)).toEqual(['relative/dir', '']);
    await source.stop();
  });

  it('pin and unpin save first, then tell listeners; repeats are no-ops', async () => {
    const root = await tempDir('pinned-');
    const a = mkdirp(path.join(root, 'a'));
    const store = memoryStore([]);
    const source = new PinnedSource(store);
    await source.start();
    const seen: string[][] = [];
    const unsubscribe = source.on('change', (projects) => seen.push(projects.map((p) => p.path)));

    expect(await source.pin(a)).toBe(true);
    expect(store.saved).toEqual([[a]]);
    expect(await source.pin(`${a}${path.sep}`)).toBe(false);
    expect(seen).toEqual([[a]]);

    expect(await source.unpin(a)).toBe(true);
    expect(await source.unpin(a)).toBe(false);
    expect(store.saved).toEqual([[a], []]);
    expect(seen).toEqual([[a], []]);

    unsubscribe();
    await source.pin(a);
    expect(seen).toHaveLength(2);
    await source.stop();
  });

  it('refuses relative paths and missing folders with a clear error, changing nothing', async () => {
    const root = await tempDir('pinned-');
    const store = memoryStore([]);
    const source = new PinnedSource(store);
    await source.start();
    await expect(source.pin('relative/app')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/not an absolute/) });
    await expect(source.pin(path.join(root, 'missing'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no such folder/) });
    expect(store.saved).toEqual([]);
    expect(source.current()).toEqual([]);
  });

  it('when saving fails, the pin is not applied and the error reaches the caller', async () => {
    const root = await tempDir('pinned-');
    const a = mkdirp(path.join(root, 'a'));
    const store = memoryStore([]);
    const source = new PinnedSource(store);
    await source.start();
    store.failNext = true;
    await expect(source.pin(a)).rejects.toThrow('disk full');
    expect(source.pinned()).toEqual([]);
    expect(source.current()).toEqual([]);
  });

  it('keeps stored values it cannot use when it saves', async () => {
    const root = await tempDir('pinned-');
    const a = mkdirp(path.join(root, 'a'));
    const store = memoryStore(['relative/dir']);
    const source = new PinnedSource(store);
    await source.pin(a);
    expect(store.saved).toEqual([[a, 'relative/dir']]);
  });

  it('windows paths: case-insensitive identity, backslashes', async () => {
    const store = memoryStore(['C:\\Work\\App', 'c:\\work\\app\\']);
    const source = new PinnedSource(store, { platform: 'win32', requireExistingFolder: false });
    await source.start();
    expect(source.pinned()).toEqual(['C:\\Work\\App']);
    expect(await source.pin('C:/Work/Other')).toBe(true);
    expect(source.pinned()).toEqual(['C:\\Work\\App', 'C:\\Work\\Other']);
    expect(await source.unpin('c:\\WORK\\app')).toBe(true);
    expect(source.pinned()).toEqual(['C:\\Work\\Other']);
  });
});
