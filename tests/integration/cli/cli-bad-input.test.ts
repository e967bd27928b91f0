// Every bad input gets one clear line on stderr naming what was wrong, the documented exit code,
// and leaves the registry untouched.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseJson } from '../../helpers/cli';
import { cliSession } from './cli-env';

// Each test spawns the CLI several times; on a loaded two-core machine that takes a while.
vi.setConfig({ testTimeout: 90_000 });

/** Exactly one line on stderr, nothing on stdout. */
function oneLine(result: { stdout: string; stderr: string }): string {
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n');
  expect(lines, result.stderr).toHaveLength(2);
  expect(lines[1]).toBe('');
  return lines[0] as string;
}

describe('bad environment values (exit 2, naming variable and value)', () => {
  it.each([
    ['INTERCEPTOR_PORT_MIN', 'abc', 'INTERCEPTOR_PORT_MIN="abc" is not a port number'],
    ['INTERCEPTOR_PORT_MIN', '0', 'INTERCEPTOR_PORT_MIN="0" is not a port number'],
    ['INTERCEPTOR_PORT_MAX', '65536', 'INTERCEPTOR_PORT_MAX="65536" is not a port number'],
    ['INTERCEPTOR_PORT_MAX', '9000.5', 'INTERCEPTOR_PORT_MAX="9000.5" is not a port number'],
    ['INTERCEPTOR_RESERVED_PORTS', '8900,x', 'INTERCEPTOR_RESERVED_PORTS="8900,x" has "x" where a port or a "start-end" range was expected'],
    ['INTERCEPTOR_RESERVED_PORTS', '9000-8000', 'INTERCEPTOR_RESERVED_PORTS="9000-8000" has "9000-8000": a range must go from the lower port to the higher'],
  ])('%s=%s', async (name, value, message) => {
    const s = await cliSession();
    for (const verb of [['list'], ['allocate', s.dir], ['where']]) {
      const result = await s.run(verb, { env: { [name]: value } });
      expect(result.code).toBe(2);
      expect(oneLine(result)).toContain(`interceptor: ${message}`);
    }
    expect(existsSync(s.registry)).toBe(false);
  });

  it('a range with min above max, from variables and from flags', async () => {
    const s = await cliSession();
    const env = await s.run(['list'], { env: { INTERCEPTOR_PORT_MIN: '9500', INTERCEPTOR_PORT_MAX: '9400' } });
    expect(env.code).toBe(2);
    expect(oneLine(env)).toBe(
      'interceptor: the port range is empty: INTERCEPTOR_PORT_MIN=9500 is greater than INTERCEPTOR_PORT_MAX=9400 (the minimum must not exceed the maximum)',
    );
    const flags = await s.run(['list', '--port-min', '9500', '--port-max=9400']);
    expect(flags.code).toBe(2);
    expect(oneLine(flags)).toContain('--port-min=9500 is greater than --port-max=9400');
    const flag = await s.run(['allocate', s.dir, '--port-max', 'many']);
    expect(flag.code).toBe(2);
    expect(oneLine(flag)).toBe('interceptor: --port-max "many" is not a port number (expected a whole number from 1 to 65535)');
  });

  it('INTERCEPTOR_PORT that is not a port, for show', async () => {
    const s = await cliSession();
    const result = await s.run(['show', s.dir], { env: { INTERCEPTOR_PORT: 'eighty' } });
    expect(result.code).toBe(2);
    expect(oneLine(result)).toBe('interceptor: INTERCEPTOR_PORT="eighty" is not a port number (expected a whole number from 1 to 65535)');
  });

  it('reports JSON errors on stdout too with --json', async () => {
    const s = await cliSession();
    const result = await s.run(['list', '--json'], { env: { INTERCEPTOR_PORT_MIN: 'x' } });
    expect(result.code).toBe(2);
    expect(parseJson(result)).toEqual({ error: { code: 'INVALID_ENV', message: expect.stringContaining('INTERCEPTOR_PORT_MIN="x"') } });
  });
});

describe('bad arguments (exit 2)', () => {
  it.each([
    [['check'], 'interceptor: check needs a PORT (e.g. interceptor check 8888)'],
    [['check', 'abc'], 'interceptor: "abc" is not a port number (expected a whole number from 1 to 65535)'],
    [['check', '0'], 'interceptor: "0" is not a port number (expected a whole number from 1 to 65535)'],
    [['check', '65536'], 'interceptor: "65536" is not a port number (expected a whole number from 1 to 65535)'],
    [['check', '1', '2'], 'interceptor: check takes at most 1 port; unexpected "2"'],
    [['remove', '--port', 'x'], 'interceptor: --port "x" is not a port number (expected a whole number from 1 to 65535)'],
    [['remove', '--port'], 'interceptor: remove: --port needs a value (see interceptor remove --help)'],
    [['remove', '/a', '--port', '9000'], 'interceptor: remove takes a path or --port, not both'],
    [['show', '/a', '/b'], 'interceptor: show takes at most 1 path; unexpected "/b"'],
    [['list', 'extra'], 'interceptor: list takes no arguments; unexpected "extra"'],
    [['reset', '--force'], 'interceptor: reset: unknown option --force (see interceptor reset --help)'],
  ])('interceptor %j', async (args, message) => {
    const s = await cliSession();
    const result = await s.run(args);
    expect(result.code).toBe(2);
    expect(oneLine(result)).toBe(message);
  });

  it('allocate refuses a folder that does not exist, and a file', async () => {
    const s = await cliSession();
    const missing = path.join(s.dir, 'nope');
    const result = await s.run(['allocate', missing]);
    expect(result.code).toBe(2);
    expect(oneLine(result)).toBe(`interceptor: no such folder: ${missing}`);
    const file = path.join(s.dir, 'file.txt');
    await writeFile(file, 'x');
    const notFolder = await s.run(['allocate', file]);
    expect(notFolder.code).toBe(2);
    expect(oneLine(notFolder)).toBe(`interceptor: not a folder: ${file} (a project is a folder)`);
    expect(existsSync(s.registry)).toBe(false);
  });
});

describe('registry location problems (exit 3)', () => {
  it('a registry path that is a folder', async () => {
    const s = await cliSession();
    const result = await s.run(['list', '--registry', s.dir]);
    expect(result.code).toBe(3);
    expect(oneLine(result)).toBe(`interceptor: cannot read the registry ${s.dir}: it is a folder`);
  });

  it('a registry path below a file', async () => {
    const s = await cliSession();
    const blocker = path.join(s.dir, 'blocker');
    await writeFile(blocker, 'not a folder');
    const project = await s.folder('a');
    const result = await s.run(['allocate', project, '--registry', path.join(blocker, 'port_registry.json')]);
    expect(result.code).toBe(3);
    expect(oneLine(result)).toBe(`interceptor: cannot read the registry ${path.join(blocker, 'port_registry.json')}: a part of the path is not a folder`);
    expect(await readFile(blocker, 'utf8')).toBe('not a folder');
  });
});
