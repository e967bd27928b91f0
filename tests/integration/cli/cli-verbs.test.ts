// Every registry verb end to end, as a user runs it, text and --json (shapes of docs/cli-json.md).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseJson, runCli } from '../../helpers/cli';
import { freePort, occupyPort } from '../../helpers/ports';
import { cliSession } from './cli-env';

// Each test spawns the CLI several times; on a loaded two-core machine that takes a while.
vi.setConfig({ testTimeout: 90_000 });

describe('interceptor allocate / show', () => {
  it('allocates for the current folder, keeps it stable, and shows it', async () => {
    const s = await cliSession();
    const project = await s.folder('alpha');
    const first = await s.run(['allocate'], { cwd: project });
    expect(first.code, first.stderr).toBe(0);
    const port = Number(/allocated port (\d+)$/m.exec(first.stdout)?.[1]);
    expect(first.stdout).toBe(`${project}: allocated port ${port}\n`);
    expect(port).toBeGreaterThanOrEqual(s.range.start);

    const again = await s.run(['allocate', project, '--json']);
    expect(parseJson(again)).toEqual({ project, port, created: false });
    const text = await s.run(['allocate', '.'], { cwd: project });
    expect(text.stdout).toBe(`${project}: already has port ${port}\n`);

    const shown = await s.run(['show'], { cwd: project });
    expect(shown).toMatchObject({ code: 0, stdout: `${project}: port ${port} (free)\nbase URL: http://127.0.0.1:${port}/v1\n`, stderr: '' });
    expect(parseJson(await s.run(['show', project, '--json']))).toEqual({
      project,
      port,
      outOfRange: false,
      status: 'free',
      folderExists: true,
      override: null,
      baseUrl: `http://127.0.0.1:${port}/v1`,
    });
    const saved = JSON.parse(await readFile(s.registry, 'utf8'));
    expect(saved.mappings).toEqual({ [project]: port });
  });

  it('works with paths holding spaces, unicode and symlinks', async () => {
    const s = await cliSession();
    const project = await s.folder('my prøject 日本 (2)');
    const { symlink } = await import('node:fs/promises');
    const link = path.join(s.dir, 'link to project');
    await symlink(project, link);
    const viaLink = parseJson<{ project: string; port: number }>(await s.run(['--json', 'allocate', link]));
    expect(viaLink.project).toBe(project);
    expect(parseJson(await s.run(['--json', 'show', project]))).toMatchObject({ project, port: viaLink.port });
  });

  it('show exits 1 for a project without a port, with a hint', async () => {
    const s = await cliSession();
    const project = await s.folder('beta');
    const result = await s.run(['show', project]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`interceptor: ${project} has no port yet; allocate one with: interceptor allocate ${JSON.stringify(project)}\n`);
    expect(parseJson(await s.run(['show', project, '--json']))).toEqual({
      project,
      port: null,
      outOfRange: false,
      status: null,
      folderExists: true,
      override: null,
      baseUrl: null,
    });
  });

  it('show gives the base URL for the address the proxies listen on', async () => {
    const s = await cliSession();
    const project = await s.folder('ipv6');
    const { port } = parseJson<{ port: number }>(await s.run(['--json', 'allocate', project]));
    expect((await s.run(['show', project], { env: { INTERCEPTOR_HOST: '::1' } })).stdout).toContain(`base URL: http://[::1]:${port}/v1\n`);
    expect(parseJson(await s.run(['show', project, '--json'], { env: { INTERCEPTOR_HOST: '0.0.0.0' } }))).toMatchObject({ baseUrl: `http://127.0.0.1:${port}/v1` });
  });

  it('show mentions INTERCEPTOR_PORT when it overrides the mapping', async () => {
    const s = await cliSession();
    const project = await s.folder('gamma');
    const { port } = parseJson<{ port: number }>(await s.run(['--json', 'allocate', project]));
    const result = await s.run(['show', project], { env: { INTERCEPTOR_PORT: '9000' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`port ${port}`);
    expect(result.stderr).toBe('interceptor: warning: INTERCEPTOR_PORT=9000 is set: processes started with it use port 9000 instead\n');
    expect(parseJson(await s.run(['show', project, '--json'], { env: { INTERCEPTOR_PORT: '9000' } }))).toMatchObject({ override: 9000 });
  });
});

describe('interceptor list', () => {
  it('says so when nothing is allocated, and lists mappings sorted by port', async () => {
    const s = await cliSession();
    const idePort = await freePort();
    const ideEnv = { env: { INTERCEPTOR_IDE_PORT: String(idePort) } };
    const ideLine = `One URL for every client (AI Assistant, Copilot, ProxyAI, Cline, Claude Code, Codex, Continue CLI): use http://127.0.0.1:${idePort}/v1 (not served now: it is while the tray app or \`interceptor serve\` runs)`;
    expect((await s.run(['list'], ideEnv)).stdout).toBe(`No project has a port yet (registry: ${s.registry}).\n${ideLine}\n`);
    const a = await s.folder('a');
    const b = await s.folder('b');
    const portA = parseJson<{ port: number }>(await s.run(['--json', 'allocate', a])).port;
    const portB = parseJson<{ port: number }>(await s.run(['--json', 'allocate', b])).port;
    const table = await s.run(['list'], ideEnv);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROJECT\s+PORT\s+STATUS$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${a}\\s+${portA}\\s+free$`)),
      expect.stringMatching(new RegExp(`^${b}\\s+${portB}\\s+free$`)),
      ideLine,
    ]);

    expect(parseJson(await s.run(['list', '--json'], ideEnv))).toEqual({
      registry: s.registry,
      exists: true,
      range: s.range,
      readOnly: false,
      readOnlyReason: null,
      warnings: [],
      mappings: [
        { project: a, port: portA, status: 'free', outOfRange: false, reserved: false, folderExists: true, servedBy: null },
        { project: b, port: portB, status: 'free', outOfRange: false, reserved: false, folderExists: true, servedBy: null },
      ],
      idePort: { port: idePort, url: `http://127.0.0.1:${idePort}/v1`, status: 'free' },
    });
  });
});

describe('interceptor show --ide', () => {
  it('prints the IDE port line and what is on the port; the default is 8887', async () => {
    const s = await cliSession();
    const idePort = await freePort();
    const shown = await s.run(['show', '--ide'], { env: { INTERCEPTOR_IDE_PORT: String(idePort) } });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`One URL for every client (AI Assistant, Copilot, ProxyAI, Cline, Claude Code, Codex, Continue CLI): use http://127.0.0.1:${idePort}/v1\n`);
    expect(shown.stdout).toContain(`port ${idePort}: not served now`);
    const held = await occupyPort(idePort);
    try {
      expect(parseJson(await s.run(['show', '--ide', '--json'], { env: { INTERCEPTOR_IDE_PORT: String(idePort) } }))).toEqual({
        port: idePort,
        url: `http://127.0.0.1:${idePort}/v1`,
        status: 'busy',
      });
    } finally {
      held.close();
    }
    expect(parseJson<{ port: number }>(await s.run(['show', '--ide', '--json'])).port).toBe(8887);
  });

  it('refuses a path with --ide, and a bad INTERCEPTOR_IDE_PORT is not used', async () => {
    const s = await cliSession();
    const withPath = await s.run(['show', '--ide', s.dir]);
    expect(withPath.code).toBe(2);
    expect(withPath.stderr).toContain('show --ide takes no path');
    expect(parseJson<{ port: number }>(await s.run(['show', '--ide', '--json'], { env: { INTERCEPTOR_IDE_PORT: 'eighty' } })).port).toBe(8887);
  });
});

describe('interceptor remove', () => {
  it('removes by path (default: current folder), including a deleted folder, and by port', async () => {
    const s = await cliSession();
    const a = await s.folder('a');
    const b = await s.folder('b');
    const c = await s.folder('c');
    const ports = [];
    for (const folder of [a, b, c]) ports.push(parseJson<{ port: number }>(await s.run(['--json', 'allocate', folder])).port);

    expect(await s.run(['remove'], { cwd: a })).toMatchObject({ code: 0, stdout: `removed ${a} (port ${ports[0]})\n` });
    await rm(b, { recursive: true });
    expect(parseJson(await s.run(['remove', b, '--json']))).toEqual({ removed: { project: b, port: ports[1] } });
    expect(await s.run(['remove', '--port', String(ports[2])])).toMatchObject({ code: 0, stdout: `removed ${c} (port ${ports[2]})\n` });
    expect(JSON.parse(await readFile(s.registry, 'utf8')).mappings).toEqual({});
  });

  it('exits 1 when there is nothing to remove', async () => {
    const s = await cliSession();
    const a = await s.folder('a');
    const byPath = await s.run(['remove', a]);
    expect(byPath).toMatchObject({ code: 1, stdout: '', stderr: `interceptor: no mapping for ${a} (see: interceptor list)\n` });
    const byPort = await s.run(['remove', '-p', '12345', '--json']);
    expect(byPort.code).toBe(1);
    expect(parseJson(byPort)).toEqual({ removed: null });
  });
});

describe('interceptor check', () => {
  it('says a free, unmapped port in range is usable (exit 0)', async () => {
    const s = await cliSession();
    const port = s.range.start + 5;
    const result = await s.run(['check', String(port)]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`port ${port} is usable`);
    expect(parseJson(await s.run(['check', String(port), '--json']))).toEqual({
      port,
      usable: true,
      inRange: true,
      range: s.range,
      reserved: false,
      mappedTo: null,
      listener: 'free',
      servedBy: null,
      reasons: [],
    });
  });

  it('says why a port is not usable (exit 1): mapped, outside the range, reserved', async () => {
    const s = await cliSession();
    const a = await s.folder('a');
    const { port } = parseJson<{ port: number }>(await s.run(['--json', 'allocate', a]));
    const mapped = await s.run(['check', String(port)]);
    expect(mapped.code).toBe(1);
    expect(mapped.stdout).toContain(`port ${port} is not usable: mapped to ${a}`);
    expect(mapped.stdout).toContain(`  mapped to: ${a}`);

    const outside = parseJson(await s.run(['check', String(s.range.end + 1), '--json']));
    expect(outside).toMatchObject({ usable: false, inRange: false, reasons: [`outside the range ${s.range.start}-${s.range.end}`] });

    const reservedPort = s.range.start + 3;
    const reserved = await s.run(['check', String(reservedPort), '--json'], { env: { INTERCEPTOR_RESERVED_PORTS: `${reservedPort}` } });
    expect(reserved.code).toBe(1);
    expect(parseJson(reserved)).toMatchObject({ usable: false, reserved: true, reasons: ['reserved (INTERCEPTOR_RESERVED_PORTS)'] });
  });
});

describe('interceptor prune', () => {
  it('lists with --dry-run, then removes, mappings whose folders are gone', async () => {
    const s = await cliSession();
    const kept = await s.folder('kept');
    const gone = await s.folder('gone');
    await s.run(['allocate', kept]);
    const gonePort = parseJson<{ port: number }>(await s.run(['--json', 'allocate', gone])).port;
    await rm(gone, { recursive: true });

    expect(await s.run(['prune', '--dry-run'])).toMatchObject({ code: 0, stdout: `would remove ${gone} (port ${gonePort})\n` });
    expect(parseJson(await s.run(['prune', '-n', '--json']))).toEqual({ dryRun: true, mappings: [{ project: gone, port: gonePort }] });
    expect(await s.run(['prune'])).toMatchObject({ code: 0, stdout: `removed ${gone} (port ${gonePort})\n` });
    expect(await s.run(['prune'])).toMatchObject({ code: 0, stdout: 'no mapping points at a missing folder\n' });
    expect(parseJson(await s.run(['prune', '--json']))).toEqual({ dryRun: false, mappings: [] });
    expect(Object.keys(JSON.parse(await readFile(s.registry, 'utf8')).mappings)).toEqual([kept]);
  });
});

describe('interceptor where', () => {
  it('prints the default registry and settings paths under HOME', async () => {
    const home = path.join((await cliSession()).dir, 'home');
    await mkdir(home);
    const result = await runCli(['where'], { home });
    expect(result.code).toBe(0);
    const folder = path.join(home, '.config', 'litellm');
    expect(result.stdout).toBe(
      `registry: ${folder}/port_registry.json\nsettings: ${folder}/interceptor-settings.json\nusage:    ${folder}/interceptor-usage.sqlite\nrange:    8888-9999\n`,
    );
  });

  it('follows INTERCEPTOR_REGISTRY, then --registry, in text and JSON', async () => {
    const s = await cliSession();
    const json = parseJson(await s.run(['where', '--json'], { env: { INTERCEPTOR_RESERVED_PORTS: '9000,9010-9012' } }));
    expect(json).toEqual({
      registry: s.registry,
      settings: path.join(path.dirname(s.registry), 'interceptor-settings.json'),
      lock: `${s.registry}.lock`,
      usage: path.join(path.dirname(s.registry), 'interceptor-usage.sqlite'),
      range: s.range,
      reserved: [
        { start: 9000, end: 9000 },
        { start: 9010, end: 9012 },
      ],
    });
    const flagged = await s.run(['where', '--registry', 'elsewhere/r.json'], { cwd: s.dir });
    expect(flagged.stdout.split('\n')[0]).toBe(`registry: ${path.join(s.dir, 'elsewhere/r.json')}`);
  });
});

describe('interceptor reset', () => {
  it('refuses without --yes when not on a terminal (exit 2), changing nothing', async () => {
    const s = await cliSession();
    const a = await s.folder('a');
    await s.run(['allocate', a]);
    const before = await readFile(s.registry, 'utf8');
    const result = await s.run(['reset']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('interceptor: reset removes every mapping; not on a terminal, so pass --yes to confirm\n');
    expect(await readFile(s.registry, 'utf8')).toBe(before);
  });

  it('with --yes writes a backup first, prints its path, and the backup undoes the reset', async () => {
    const s = await cliSession();
    for (const name of ['a', 'b']) await s.run(['allocate', await s.folder(name)]);
    const before = await readFile(s.registry, 'utf8');
    const result = await s.run(['reset', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    const backup = /^backup: (.+)$/m.exec(result.stdout)?.[1] as string;
    expect(result.stdout).toBe(`removed 2 mapping(s)\nbackup: ${backup}\n(to undo, copy the backup over ${s.registry})\n`);
    expect(await readFile(backup, 'utf8')).toBe(before);
    expect(JSON.parse(await readFile(s.registry, 'utf8')).mappings).toEqual({});

    await writeFile(s.registry, await readFile(backup));
    expect(parseJson<{ mappings: unknown[] }>(await s.run(['list', '--json'])).mappings).toHaveLength(2);

    const json = parseJson(await s.run(['reset', '-y', '--json']));
    expect(json).toEqual({ registry: s.registry, backupPath: expect.stringContaining('.backup-'), removed: 2 });
  });

  it('with no registry yet creates an empty one and says there was nothing to back up', async () => {
    const s = await cliSession();
    const result = await s.run(['reset', '--yes']);
    expect(result).toMatchObject({ code: 0, stdout: `there was no registry yet; created an empty one at ${s.registry}\n` });
    expect(parseJson(await s.run(['reset', '--yes', '--json']))).toMatchObject({ backupPath: expect.any(String), removed: 0 });
  });
});
