// Every command README.md tells a user to run — each line of each ```bash / ```sh / ```shell block —
// runs here, in README order, as a user's shell would run it: bash, a temporary HOME, a temporary
// project folder as the working directory, and the built CLI on PATH as `interceptor`. A command
// must exit 0; one that keeps running (run, serve) must print "Ctrl-C to stop." and then stop
// cleanly on Ctrl-C. Commands added to the README later run by default. The few that must not run
// here are listed in NOT_RUN, each with its reason, and show up as skipped with that reason.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../helpers/paths';
import { claimPortRange } from '../helpers/ports';
import { tempDir } from '../helpers/temp';

interface ReadmeCommand {
  line: number;
  command: string;
}

/** Commands that must not run in a test, and why. Each must still match a README command. */
const NOT_RUN: ReadonlyArray<{ match: RegExp; reason: string }> = [
  { match: /^npm ci && npm start$/, reason: 'installs dependencies and runs the app until stopped; tests/e2e/npm-start runs npm start' },
  { match: /^npm ci && npm test$/, reason: 'runs this very test suite' },
  { match: /^npm ci && npm run build && npm link$/, reason: 'npm link writes a global symlink; this test puts the built CLI on PATH itself' },
  { match: /^litellm /, reason: 'starts the real LiteLLM (Python); tests use a stand-in upstream' },
  { match: /^(sudo )?ln -s .* \/usr\/local\/bin\/interceptor$/, reason: 'links into /usr/local/bin, outside the temporary HOME, from an installed app' },
  { match: /^npm run bench$/, reason: 'a benchmark: minutes of every core busy, figures not pass/fail' },
];

/** What the README says a command prints, checked against what it printed. */
const PRINTS: ReadonlyArray<{ match: RegExp; output: RegExp }> = [
  { match: /\binterceptor run$/, output: /^ {2}base URL {2}http:\/\/127\.0\.0\.1:\d+\/v1 /m },
  { match: /^interceptor show$/, output: /^base URL: http:\/\/127\.0\.0\.1:\d+\/v1$/m },
];

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*$/;
const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell']);
const READY_LINE = 'Ctrl-C to stop.';
const COMMAND_MS = 45_000;

/** The commands of README's shell blocks, in order; comments and blank lines dropped, `\` lines joined. */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const lines = markdown.split('\n');
  const commands: ReadmeCommand[] = [];
  let fence: { marker: string; shell: boolean } | undefined;
  let pending: ReadmeCommand | undefined;
  lines.forEach((text, index) => {
    const opening = FENCE.exec(text);
    if (fence === undefined) {
      if (opening) fence = { marker: opening[2]!, shell: SHELL_LANGUAGES.has(opening[3]!.toLowerCase()) };
      return;
    }
    if (opening && opening[2]!.startsWith(fence.marker) && opening[3] === '') {
      fence = undefined;
      return;
    }
    if (!fence.shell) return;
    const line = text.trim();
    if (pending === undefined && (line === '' || line.startsWith('#'))) return;
    const joined: ReadmeCommand = pending ? { line: pending.line, command: `${pending.command} ${line}` } : { line: index + 1, command: line };
    if (joined.command.endsWith('\\')) {
      pending = { line: joined.line, command: joined.command.slice(0, -1).trimEnd() };
      return;
    }
    pending = undefined;
    commands.push(joined);
  });
  return commands;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  stoppedWithCtrlC: boolean;
}

/** Runs one command line in bash; a long-running one gets Ctrl-C (SIGINT to its group) once ready. */
function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stoppedWithCtrlC = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!stoppedWithCtrlC && output.includes(READY_LINE)) {
        stoppedWithCtrlC = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`"${command}" did not finish within ${COMMAND_MS} ms${stoppedWithCtrlC ? ' after Ctrl-C' : ''}:\n${output}`));
    }, COMMAND_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, stoppedWithCtrlC });
    });
  });
}

const commands = readmeCommands(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'));
const notRun = (command: string) => NOT_RUN.find(({ match }) => match.test(command));

let home: string;
let project: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  home = await tempDir('interceptor-readme-');
  project = path.join(home, 'code', 'my-project');
  const bin = path.join(home, 'bin');
  await mkdir(project, { recursive: true });
  await mkdir(bin, { recursive: true });
  // `interceptor` as a user has it after `npm link`: the built CLI on PATH.
  const shim = path.join(bin, 'interceptor');
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI_PATH}" "$@"\n`);
  await chmod(shim, 0o755);
  const range = await claimPortRange();
  env = {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    LANG: 'C.UTF-8',
    // Ports a command allocates come from this test file's own block, never the default range.
    INTERCEPTOR_PORT_MIN: String(range.start),
    INTERCEPTOR_PORT_MAX: String(range.end),
    npm_config_update_notifier: 'false',
  };
});

describe('the README', () => {
  it('shows commands to run, in shell blocks', () => {
    expect(commands.length).toBeGreaterThan(5);
  });

  it.each(NOT_RUN.map((entry) => [entry.match.source, entry]))('still shows a command that NOT_RUN excludes: %s', (_source, entry) => {
    expect(commands.some(({ command }) => entry.match.test(command)), `no README command matches ${entry.match}: remove it from NOT_RUN`).toBe(true);
  });
});

describe('every command the README shows, run as a user would', () => {
  for (const { line, command } of commands) {
    const excluded = notRun(command);
    if (excluded) {
      it.skip(`README line ${line}: ${command} (skipped: ${excluded.reason})`, () => undefined);
      continue;
    }
    it(`README line ${line}: ${command}`, async () => {
      const outcome = await runCommand(command, project, env);
      expect({ code: outcome.code, signal: outcome.signal }, outcome.output).toEqual({ code: 0, signal: null });
      for (const { match, output } of PRINTS) {
        if (match.test(command)) expect(outcome.output, `the README says what "${command}" prints`).toMatch(output);
      }
    }, COMMAND_MS + 5_000);
  }
});

describe('readmeCommands', () => {
  it('takes shell blocks only, drops comments, joins continued lines and keeps line numbers', () => {
    const markdown = [
      '```text',
      'interceptor [--json] <command>',
      '```',
      '```bash',
      '# a comment',
      'interceptor show',
      '',
      'FOO=1 interceptor \\',
      '  run',
      '```',
      '1. A step:',
      '   ```sh',
      '   interceptor where',
      '   ```',
      '```js',
      'console.log(1)',
      '```',
    ].join('\n');
    expect(readmeCommands(markdown)).toEqual([
      { line: 6, command: 'interceptor show' },
      { line: 8, command: 'FOO=1 interceptor run' },
      { line: 13, command: 'interceptor where' },
    ]);
  });
});
