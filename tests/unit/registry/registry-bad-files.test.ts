// Corrupt, newer and empty registry files through the registry API: never silently wiped.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registryFixture, seedText } from './registry-fixture';

async function corruptCopies(file: string): Promise<string[]> {
  const names = await readdir(path.dirname(file));
  return names.filter((name) => name.startsWith('port_registry.json.corrupt-')).map((name) => path.join(path.dirname(file), name));
}

describe('a corrupt registry', () => {
  it('is set aside byte for byte, salvaged, rewritten valid, and reported once', async () => {
    const f = await registryFixture();
    const broken = `${seedText({ '/p/a': 8888, '/p/b': '8889' as unknown as number, '/p/c': 8888 }, 8890).slice(0, -1)},,}`;
    await f.write(broken);

    const view = await f.registry.read();
    expect(view.salvage).not.toBeNull();
    const salvage = view.salvage!;
    expect(salvage.backupPath).toMatch(/port_registry\.json\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(await readFile(salvage.backupPath, 'utf8')).toBe(broken);
    expect(salvage.salvaged).toBe(1);
    expect(salvage.dropped.map((d) => d.key).sort()).toEqual(['/p/b', '/p/c']);
    expect(view.mappings.map((m) => [m.project, m.port])).toEqual([['/p/a', 8888]]);
    expect(f.salvages).toHaveLength(1);

    expect(await f.json()).toEqual({ version: '1.0', port_range: { start: 8888, end: 9999 }, mappings: { '/p/a': 8888 }, next_available: 8890 });
    // Salvaged once: later reads find a valid file.
    expect((await f.registry.read()).salvage).toBeNull();
    expect(await corruptCopies(f.file)).toHaveLength(1);
  });

  it('is salvaged by an allocate too, which then allocates past the recovered ports', async () => {
    const f = await registryFixture();
    await f.write('{"mappings": {"/p/a": 8888, "/p/b": 8889}, "next_available": 88');
    const result = await f.registry.allocate('/p/new');
    expect(result.port).toBe(8890);
    expect(f.salvages).toHaveLength(1);
    expect(f.salvages[0]?.salvaged).toBe(2);
    expect((await f.json()).mappings).toEqual({ '/p/a': 8888, '/p/b': 8889, '/p/new': 8890 });
  });

  it('that is pure garbage is set aside and replaced by an empty registry', async () => {
    const f = await registryFixture();
    await f.write('\u0000\u0001 not json at all');
    const view = await f.registry.read();
    expect(view.salvage?.salvaged).toBe(0);
    expect(view.mappings).toEqual([]);
    expect(await corruptCopies(f.file)).toHaveLength(1);
  });

  it('is not salvaged by lookup of an unrelated project before it is read properly', async () => {
    const f = await registryFixture();
    await f.write('{"version": "1.0", "mappings": {"/p/a": 8888}');
    expect(await f.registry.lookup('/p/a')).toBe(8888);
    expect(f.salvages).toHaveLength(1);
  });
});

describe('a registry written by a newer version', () => {
  const NEWER = JSON.stringify(
    { version: '2.0', port_range: { start: 8888, end: 9999 }, mappings: { '/p/a': 8888 }, next_available: 8889, owners: { '/p/a': 'me' } },
    null,
    2,
  );

  it('is shown read-only with the reason, and every write is refused without touching it', async () => {
    const f = await registryFixture();
    await f.write(NEWER);
    const view = await f.registry.read();
    expect(view.readOnly).toBe(true);
    expect(view.readOnlyReason).toMatch(/newer Interceptor \(format "2\.0", this one understands "1\.0"\)/);
    expect(view.warnings[0]).toBe(view.readOnlyReason);
    expect(view.mappings.map((m) => [m.project, m.port])).toEqual([['/p/a', 8888]]);

    expect(await f.registry.allocate('/p/a')).toEqual({ project: '/p/a', port: 8888, created: false });
    expect(await f.registry.lookup('/p/a')).toBe(8888);
    await expect(f.registry.allocate('/p/new')).rejects.toMatchObject({ code: 'REGISTRY_READ_ONLY' });
    await expect(f.registry.remove({ port: 8888 })).rejects.toMatchObject({ code: 'REGISTRY_READ_ONLY' });
    await expect(f.registry.reset()).rejects.toMatchObject({ code: 'REGISTRY_READ_ONLY' });
    expect(await f.registry.remove({ port: 9999 })).toBeUndefined(); // nothing to change: no refusal needed
    expect(await f.text()).toBe(NEWER);
    expect(await corruptCopies(f.file)).toEqual([]);
  });
});

describe('a salvage followed by a failing change', () => {
  it('is still committed, so the file is not set aside a second time', async () => {
    const f = await registryFixture({ range: { start: 9000, end: 9000 } });
    await f.write('{"version": "1.0", "mappings": {"/p/a": 9000, "/p/b": 9000,');
    await expect(f.registry.allocate('/p/new')).rejects.toMatchObject({ code: 'RANGE_EXHAUSTED' });
    expect(f.salvages).toHaveLength(1);
    expect((await f.json()).mappings).toEqual({ '/p/a': 9000 });
    await expect(f.registry.allocate('/p/new')).rejects.toMatchObject({ code: 'RANGE_EXHAUSTED' });
    expect(f.salvages).toHaveLength(1);
    expect(await corruptCopies(f.file)).toHaveLength(1);
  });
});
