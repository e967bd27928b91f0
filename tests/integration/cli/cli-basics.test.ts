// The command line itself: help, version, global flags anywhere, unknown input, the verb table.
import { describe, expect, it, vi } from 'vitest';
import { SETTING_ENV_VARS } from '../../../shared/settings-fields';
import { FORWARDING_ENV } from '../../../electron/core/proxy/forwarding-env';
import { ENV } from '../../../electron/core/registry/registry-options';
import { parseJson, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

// Each test spawns the CLI several times; on a loaded two-core machine that takes a while.
vi.setConfig({ testTimeout: 90_000 });

const VERBS = ['list', 'show', 'allocate', 'remove', 'check', 'reset', 'prune', 'where'];
// Verbs other modules implement (proxy, supervisor, discovery); here: that they are wired in.
const OTHER_VERBS = ['run', 'serve', 'open', 'close', 'status', 'detect', 'setup'];

describe('interceptor (command line)', () => {
  it('prints its version', async () => {
    const plain = await runCli(['--version']);
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect(plain.stdout).toMatch(/^interceptor \d+\.\d+\.\d+\n$/);
    expect((await runCli(['-V'])).stdout).toBe(plain.stdout);
    expect(parseJson(await runCli(['--json', '--version']))).toEqual({ version: plain.stdout.trim().split(' ')[1] });
  });

  it('prints the overview with every verb, options, environment and exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const verb of [...VERBS, ...OTHER_VERBS]) expect(result.stdout).toMatch(new RegExp(`^  ${verb} `, 'm'));
    for (const text of ['--registry PATH', '--port-min', '--port-max', '--json', '--debug', 'INTERCEPTOR_RESERVED_PORTS', 'INTERCEPTOR_PORT ', '3 registry or lock error']) {
      expect(result.stdout).toContain(text);
    }
    expect((await runCli(['help'])).stdout).toBe(result.stdout);
    expect((await runCli(['-h'])).stdout).toBe(result.stdout);
  });

  it('lists every environment variable Interceptor reads in the overview', async () => {
    const { stdout } = await runCli(['--help']);
    const environment = stdout.slice(stdout.indexOf('Environment'), stdout.indexOf('Exit codes'));
    const variables = [...Object.values(SETTING_ENV_VARS).flat(), ...Object.values(ENV), 'INTERCEPTOR_TRAY', FORWARDING_ENV];
    for (const variable of new Set(variables)) expect(environment, variable).toMatch(new RegExp(`\\b${variable}\\b`));
  });

  it.each(VERBS)('has --help for %s, in any position and as "help %s"', async (verb) => {
    const after = await runCli([verb, '--help']);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(new RegExp(`^Usage: interceptor ${verb}`));
    expect((await runCli(['--help', verb])).stdout).toBe(after.stdout);
    expect((await runCli(['help', verb])).stdout).toBe(after.stdout);
    expect((await runCli([verb, '-h', '--json'])).stdout).toBe(after.stdout);
  });

  it('without a command shows the overview on stderr and exits 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Usage: interceptor/);
    expect(result.stderr).toMatch(/interceptor: no command given/);
  });

  it('rejects an unknown command with one line and exit 2 (and a JSON error with --json)', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('interceptor: unknown command "frobnicate" (commands: list, show, allocate, remove, check, reset, prune, where, run, serve, open, close, setup, token, status, detect, usage)\n');
    const json = await runCli(['frobnicate', '--json']);
    expect(json.code).toBe(2);
    expect(parseJson(json)).toEqual({ error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('unknown command') } });
  });

  it('rejects unknown options before and after the command, naming them', async () => {
    const before = await runCli(['--frob', 'list']);
    expect(before.code).toBe(2);
    expect(before.stderr).toBe('interceptor: unknown option --frob (command options go after the command; see interceptor --help)\n');
    const after = await runCli(['list', '--frob']);
    expect(after.code).toBe(2);
    expect(after.stderr).toBe('interceptor: list: unknown option --frob (see interceptor list --help)\n');
  });

  it('rejects a global option without its value, and a value for a switch', async () => {
    const missing = await runCli(['list', '--registry']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^interceptor: --registry needs a value/);
    const swallowed = await runCli(['--registry', '--json', 'list']);
    expect(swallowed.code).toBe(2);
    expect(swallowed.stderr).toMatch(/^interceptor: --registry needs a value/);
    const switched = await runCli(['list', '--json=yes']);
    expect(switched.code).toBe(2);
    expect(switched.stderr).toBe('interceptor: --json takes no value\n');
  });

  it('accepts global options anywhere on the line, in both --flag value and --flag=value forms', async () => {
    const dir = await tempDir();
    const file = `${dir}/r.json`;
    const forms = [
      ['--registry', file, '--port-min', '9100', 'where', '--json'],
      ['where', '--registry', file, '--json', '--port-min=9100'],
      ['--json', 'where', `--registry=${file}`, '--port-min', '9100'],
    ];
    for (const args of forms) {
      const result = await runCli(args);
      expect(result.code, result.stderr).toBe(0);
      expect(parseJson(result)).toMatchObject({ registry: file, range: { start: 9100, end: 9999 } });
    }
  });

  it.each(OTHER_VERBS)('wires in "%s" with its own --help', async (verb) => {
    const result = await runCli([verb, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: interceptor ${verb}`));
  });

  it('shows a stack trace only with --debug', async () => {
    const dir = await tempDir();
    const plain = await runCli(['--registry', dir, 'list']); // a folder, not a file
    expect(plain.code).toBe(3);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await runCli(['--debug', '--registry', dir, 'list']);
    expect(debug.code).toBe(3);
    expect(debug.stderr.split('\n')[0]).toBe(plain.stderr.trim());
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
