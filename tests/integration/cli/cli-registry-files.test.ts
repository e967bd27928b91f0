// Corrupt, newer, empty and out-of-range registries through the CLI.
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseJson } from '../../helpers/cli';
import { cliSession } from './cli-env';

// Each test spawns the CLI several times; on a loaded two-core machine that takes a while.
vi.setConfig({ testTimeout: 90_000 });

async function writeRegistry(file: string, text: string) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

describe('a corrupt registry through the CLI', () => {
  it('is set aside, salvaged, and reported on stderr; the command still answers', async () => {
    const s = await cliSession();
    const [a, b] = [s.range.start, s.range.start + 1];
    const broken = `{"version": "1.0", "mappings": {"/p/one": ${a}, "/p/two": "${b}", "/p/three": ${a},`;
    await writeRegistry(s.registry, broken);

    const result = await s.run(['list', '--json']);
    expect(result.code).toBe(0);
    const warning = result.stderr.trim();
    expect(warning).toMatch(/^interceptor: warning: the registry .*port_registry\.json was damaged \(not valid JSON/);
    const backup = /kept as (\S+port_registry\.json\.corrupt-\S+);/.exec(warning)?.[1] as string;
    expect(await readFile(backup, 'utf8')).toBe(broken);
    expect(warning).toContain('recovered 1 mapping(s), dropped 2: "/p/two": "');
    expect(warning).toContain(`port ${a} is already mapped to /p/one`);
    expect(parseJson<{ mappings: Array<{ project: string; port: number }> }>(result).mappings.map((m) => [m.project, m.port])).toEqual([
      ['/p/one', a],
    ]);
    // Repaired: the next command is quiet.
    const next = await s.run(['list']);
    expect(next.stderr).toBe('');
    expect((await readdir(path.dirname(s.registry))).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
  });
});

describe('a registry from a newer version through the CLI', () => {
  it('is listed with a warning, and changing it fails with exit 3 and the reason', async () => {
    const s = await cliSession();
    const text = JSON.stringify({ version: '3.1', port_range: s.range, mappings: { '/p/one': s.range.start }, next_available: s.range.start + 1 }, null, 2);
    await writeRegistry(s.registry, text);
    const list = await s.run(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('/p/one');
    expect(list.stderr).toContain('interceptor: warning: the registry was written by a newer Interceptor (format "3.1"');
    const listJson = parseJson(await s.run(['list', '--json']));
    expect(listJson).toMatchObject({ readOnly: true, readOnlyReason: expect.stringContaining('"3.1"') });

    const project = await s.folder('new');
    for (const args of [['allocate', project], ['remove', '--port', String(s.range.start)], ['reset', '--yes']]) {
      const result = await s.run(args);
      expect(result.code, args.join(' ')).toBe(3);
      expect(result.stderr).toMatch(/^interceptor: cannot change the registry: the registry was written by a newer Interceptor \(format "3\.1", this one understands "1\.0"\)/);
    }
    expect(await readFile(s.registry, 'utf8')).toBe(text);
  });
});

describe('an empty registry file through the CLI', () => {
  it('is treated as a new registry', async () => {
    const s = await cliSession();
    await writeRegistry(s.registry, '');
    expect((await s.run(['list'])).stdout).toContain('No project has a port yet');
    const project = await s.folder('a');
    expect((await s.run(['allocate', project])).code).toBe(0);
    expect(Object.keys(JSON.parse(await readFile(s.registry, 'utf8')).mappings)).toEqual([project]);
  });
});

describe('a range narrowed below existing mappings', () => {
  it('keeps them, flags them loudly, and allocates new projects inside the range only', async () => {
    const s = await cliSession();
    const old = await s.folder('old');
    const oldPort = s.range.start;
    await writeRegistry(
      s.registry,
      JSON.stringify({ version: '1.0', port_range: s.range, mappings: { [old]: oldPort }, next_available: oldPort + 1 }, null, 2),
    );
    const narrow = { INTERCEPTOR_PORT_MIN: String(s.range.start + 10), INTERCEPTOR_PORT_MAX: String(s.range.end) };

    const list = await s.run(['list'], { env: narrow });
    expect(list.code).toBe(0);
    expect(list.stderr).toBe(
      `interceptor: warning: 1 mapping(s) lie outside the configured port range ${narrow.INTERCEPTOR_PORT_MIN}-${s.range.end} and are kept as they are: ${old} (${oldPort})\n`,
    );
    expect(list.stdout).toMatch(new RegExp(`${oldPort}\\s+free, outside range ${narrow.INTERCEPTOR_PORT_MIN}-${s.range.end}`));
    expect(parseJson<{ mappings: Array<{ outOfRange: boolean }> }>(await s.run(['list', '--json'], { env: narrow })).mappings[0]?.outOfRange).toBe(true);

    expect(parseJson(await s.run(['--json', 'allocate', old], { env: narrow }))).toEqual({ project: old, port: oldPort, created: false });
    const fresh = parseJson<{ port: number }>(await s.run(['--json', 'allocate', await s.folder('new')], { env: narrow }));
    expect(fresh.port).toBeGreaterThanOrEqual(s.range.start + 10);
    expect(parseJson(await s.run(['show', old, '--json'], { env: narrow }))).toMatchObject({ port: oldPort, outOfRange: true });
    expect(JSON.parse(await readFile(s.registry, 'utf8')).mappings[old]).toBe(oldPort);
  });
});
