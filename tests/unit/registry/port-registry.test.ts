import { mkdir, readdir, rm, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPortFree } from '../../../electron/core/net/port-probe';
import { freePort, occupyPort } from '../../helpers/ports';
import { registryFixture, seedText } from './registry-fixture';

describe('PortRegistry.allocateMany', () => {
  it('allocates many projects in one write, in order, keeping existing mappings', async () => {
    const f = await registryFixture();
    await f.registry.allocate('/p/old');
    const results = await f.registry.allocateMany(['/p/a', '/p/old', '/p/b']);
    expect(results).toEqual([
      { project: '/p/a', port: 8889, created: true },
      { project: '/p/old', port: 8888, created: false },
      { project: '/p/b', port: 8890, created: true },
    ]);
    expect((await f.json()).mappings).toEqual({ '/p/old': 8888, '/p/a': 8889, '/p/b': 8890 });
    expect((await f.json()).next_available).toBe(8891);
  });

  it('writes nothing when the range runs out part-way, and names the project that did not fit', async () => {
    const f = await registryFixture({ range: { start: 8888, end: 8889 } });
    await expect(f.registry.allocateMany(['/p/a', '/p/b', '/p/c'])).rejects.toMatchObject({ code: 'RANGE_EXHAUSTED', message: expect.stringContaining('/p/c') });
    expect((await f.registry.read()).mappings).toEqual([]);
  });
});

describe('PortRegistry.allocate', () => {
  it('allocates in order from next_available, persists, and returns the existing mapping after', async () => {
    const f = await registryFixture();
    expect(await f.registry.allocate('/p/a')).toEqual({ project: '/p/a', port: 8888, created: true });
    expect(await f.registry.allocate('/p/b')).toEqual({ project: '/p/b', port: 8889, created: true });
    expect(await f.registry.allocate('/p/a')).toEqual({ project: '/p/a', port: 8888, created: false });
    expect(await f.json()).toEqual({
      version: '1.0',
      port_range: { start: 8888, end: 9999 },
      mappings: { '/p/a': 8888, '/p/b': 8889 },
      next_available: 8890,
    });
    // A second registry object (another process, in effect) sees the same.
    expect(await f.reopen().lookup('/p/b')).toBe(8889);
  });

  it('wraps around to the start of the range, skipping mapped ports', async () => {
    const f = await registryFixture({ range: { start: 9000, end: 9003 } });
    await f.write(seedText({ '/p/a': 9000, '/p/c': 9003 }, 9003, { start: 9000, end: 9003 }));
    expect((await f.registry.allocate('/p/new')).port).toBe(9001);
    expect((await f.json()).next_available).toBe(9002);
    expect((await f.registry.allocate('/p/new2')).port).toBe(9002);
    expect((await f.json()).next_available).toBe(9003);
    await expect(f.registry.allocate('/p/none-left')).rejects.toMatchObject({
      code: 'RANGE_EXHAUSTED',
      message: expect.stringMatching(/no free port left in 9000-9003 .*4 mapped, 0 reserved, 0 in use/),
    });
  });

  it('moves next_available back to the start after handing out the last port of the range', async () => {
    const f = await registryFixture({ range: { start: 9000, end: 9002 } });
    await f.write(seedText({ '/p/a': 9000 }, 9002, { start: 9000, end: 9002 }));
    expect((await f.registry.allocate('/p/b')).port).toBe(9002);
    expect((await f.json()).next_available).toBe(9000);
    expect((await f.registry.allocate('/p/c')).port).toBe(9001);
  });

  it('skips reserved ports', async () => {
    const f = await registryFixture({ reserved: [{ start: 8888, end: 8890 }, { start: 8892, end: 8892 }] });
    expect((await f.registry.allocate('/p/a')).port).toBe(8891);
    expect((await f.registry.allocate('/p/b')).port).toBe(8893);
  });

  it('skips a port another program listens on (real bind probe, IPv4 loopback and wildcard)', async () => {
    const base = await freePort();
    const loopback = await occupyPort(base, '127.0.0.1');
    const next = await freePort();
    const wildcard = await occupyPort(next, '0.0.0.0');
    try {
      const f = await registryFixture({ range: { start: base, end: base }, isPortFree });
      await expect(f.registry.allocate('/p/a')).rejects.toMatchObject({ code: 'RANGE_EXHAUSTED', message: expect.stringMatching(/1 in use/) });
      const g = await registryFixture({ range: { start: next, end: next }, isPortFree });
      await expect(g.registry.allocate('/p/a')).rejects.toMatchObject({ code: 'RANGE_EXHAUSTED' });
    } finally {
      loopback.close();
      wildcard.close();
    }
    const f = await registryFixture({ range: { start: base, end: base }, isPortFree });
    expect((await f.registry.allocate('/p/a')).port).toBe(base);
  });

  it('keeps mappings outside a narrowed range, warns about them, never reassigns them', async () => {
    const f = await registryFixture({ range: { start: 9500, end: 9502 } });
    await f.write(seedText({ '/p/old': 8888, '/p/in': 9500 }, 8889));
    expect(await f.registry.allocate('/p/old')).toEqual({ project: '/p/old', port: 8888, created: false });
    expect((await f.registry.allocate('/p/new')).port).toBe(9501);
    const view = await f.registry.read();
    expect(view.mappings.find((m) => m.project === '/p/old')).toMatchObject({ port: 8888, outOfRange: true });
    expect(view.mappings.find((m) => m.project === '/p/new')).toMatchObject({ outOfRange: false });
    expect(view.warnings.join('\n')).toMatch(/1 mapping\(s\) lie outside the configured port range 9500-9502 .*\/p\/old \(8888\)/);
    expect((await f.json()).mappings['/p/old']).toBe(8888);
  });

  it('uses one key for a folder reached through a symlink, and finds keys an older tool stored unresolved', async () => {
    const f = await registryFixture();
    await mkdir(path.join(f.dir, 'real'));
    await symlink(path.join(f.dir, 'real'), path.join(f.dir, 'link'));
    const first = await f.registry.allocate(path.join(f.dir, 'link'));
    expect(first.project).toBe(path.join(f.dir, 'real'));
    expect(await f.registry.allocate(path.join(f.dir, 'real'))).toEqual({ ...first, created: false });

    const g = await registryFixture();
    await g.write(seedText({ [path.join(f.dir, 'link')]: 9100 }, 8888));
    expect(await g.registry.allocate(path.join(f.dir, 'link'))).toEqual({ project: path.join(f.dir, 'link'), port: 9100, created: false });
  });

  it('creates the registry folder and a private file when none exist; keeps the mode of an existing one', async () => {
    const f = await registryFixture();
    await f.registry.allocate('/p/a');
    expect((await stat(f.file)).mode & 0o777).toBe(0o600);
    await chmod(f.file, 0o644);
    await f.registry.allocate('/p/b');
    expect((await stat(f.file)).mode & 0o777).toBe(0o644);
  });

  it('initialises an empty file', async () => {
    const f = await registryFixture();
    await f.write('');
    expect((await f.registry.read()).mappings).toEqual([]);
    expect((await f.registry.allocate('/p/a')).port).toBe(8888);
    expect((await f.json()).mappings).toEqual({ '/p/a': 8888 });
    expect(f.salvages).toEqual([]);
  });

  it('removes temp files left by a writer that died before its rename', async () => {
    const f = await registryFixture();
    await f.registry.allocate('/p/a');
    const orphan = path.join(path.dirname(f.file), '.port_registry.json.4242.0123456789ab.tmp');
    const unrelated = path.join(path.dirname(f.file), '.port_registry.json.notes');
    await writeFile(orphan, '{"half": ');
    await writeFile(unrelated, 'keep me');
    await f.registry.allocate('/p/b');
    const names = await readdir(path.dirname(f.file));
    expect(names).not.toContain(path.basename(orphan));
    expect(names).toContain(path.basename(unrelated));
  });

  it('serialises concurrent allocations inside one process', async () => {
    const f = await registryFixture();
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => f.registry.allocate(`/p/${i}`)));
    expect(new Set(results.map((r) => r.port)).size).toBe(25);
    expect(Object.keys((await f.json()).mappings)).toHaveLength(25);
  });
});

describe('PortRegistry.read', () => {
  it('describes a missing registry without creating it', async () => {
    const f = await registryFixture();
    const view = await f.registry.read();
    expect(view).toMatchObject({ exists: false, mappings: [], readOnly: false, salvage: null, fileRange: null, nextAvailable: 8888 });
    await expect(stat(f.file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('lists mappings sorted by port and flags reserved ones', async () => {
    const f = await registryFixture({ reserved: [{ start: 9001, end: 9001 }] });
    await f.write(seedText({ '/z': 9001, '/a': 9005, '/m': 8900 }, 9006));
    const view = await f.registry.read();
    expect(view.mappings.map((m) => [m.project, m.port, m.reserved])).toEqual([
      ['/m', 8900, false],
      ['/z', 9001, true],
      ['/a', 9005, false],
    ]);
    expect(view.warnings.join('\n')).toMatch(/reserved ports .*\/z \(9001\)/);
  });

  it('reports a registry path that is a folder as a registry error', async () => {
    const f = await registryFixture();
    await mkdir(f.file, { recursive: true });
    await expect(f.registry.read()).rejects.toMatchObject({ code: 'REGISTRY_IO', message: expect.stringMatching(/it is a folder/) });
    await expect(f.registry.allocate('/p/a')).rejects.toMatchObject({ code: 'REGISTRY_IO' });
  });
});

describe('PortRegistry.remove / reset / prune', () => {
  it('removes by path, including a folder that no longer exists, and by port', async () => {
    const f = await registryFixture();
    const gone = path.join(f.dir, 'gone project ü');
    await mkdir(gone);
    await f.registry.allocate(gone);
    await f.registry.allocate('/p/b');
    await rm(gone, { recursive: true });
    expect(await f.registry.remove({ project: gone })).toEqual({ project: gone, port: 8888 });
    expect(await f.registry.remove({ project: gone })).toBeUndefined();
    expect(await f.registry.remove({ port: 8889 })).toEqual({ project: '/p/b', port: 8889 });
    expect(await f.registry.remove({ port: 8889 })).toBeUndefined();
    expect((await f.json()).mappings).toEqual({});
    await expect(f.registry.remove({ port: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reset writes a byte-exact backup first, then an empty registry', async () => {
    const f = await registryFixture();
    const original = seedText({ '/p/a': 8888, '/p/b': 8889 }, 8890);
    await f.write(original);
    const result = await f.registry.reset();
    expect(result.removed).toBe(2);
    expect(result.backupPath).toMatch(/port_registry\.json\.backup-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(result.backupPath as string, 'utf8')).toBe(original);
    expect(await f.json()).toEqual({ version: '1.0', port_range: { start: 8888, end: 9999 }, mappings: {}, next_available: 8888 });
    // A second reset in the same millisecond must not overwrite the first backup.
    const again = await f.registry.reset();
    expect(again.backupPath).not.toBe(result.backupPath);
  });

  it('reset of a missing registry creates an empty one and has no backup', async () => {
    const f = await registryFixture();
    expect(await f.registry.reset()).toEqual({ backupPath: null, removed: 0 });
    expect((await f.json()).mappings).toEqual({});
  });

  it('prune lists (dry run) and removes mappings whose folders are gone, keeping the rest', async () => {
    const f = await registryFixture();
    const kept = path.join(f.dir, 'kept');
    const gone = path.join(f.dir, 'gone');
    await mkdir(kept);
    await mkdir(gone);
    await f.registry.allocate(kept);
    await f.registry.allocate(gone);
    await f.registry.allocate('/definitely/not/here');
    await rm(gone, { recursive: true });
    const expected = [
      { project: gone, port: 8889 },
      { project: '/definitely/not/here', port: 8890 },
    ];
    expect(await f.registry.prune({ dryRun: true })).toEqual(expected);
    expect(Object.keys((await f.json()).mappings)).toHaveLength(3);
    expect(await f.registry.prune({ dryRun: false })).toEqual(expected);
    expect((await f.json()).mappings).toEqual({ [kept]: 8888 });
    expect(await f.registry.prune({ dryRun: false })).toEqual([]);
  });
});
