import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectCommand } from '../../../electron/cli/commands/detect';
import { searchRoots } from '../../../electron/core/discovery/jetbrains/config-roots';
import type { CliContext } from '../../../electron/cli/command';
import { tempDir } from '../../helpers/temp';
import { fixture, put } from '../../fixtures/jetbrains/fixtures';

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

async function run(args: string[], env: NodeJS.ProcessEnv, json = false): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const ctx: CliContext = {
    args,
    globals: { json, debug: false },
    env,
    cwd: env.HOME as string,
    stdout,
    stderr,
    stdin: new PassThrough(),
    interactive: false,
    stopSignal: new AbortController().signal,
  };
  const code = await detectCommand.run(ctx);
  return { code, out: out(), err: err() };
}

/** This OS's layout in a temp home: the JetBrains and Google roots the command will search. */
function roots(home: string, env: NodeJS.ProcessEnv): { jetbrains: string; google: string } {
  const [jetbrains, google] = searchRoots({ platform: process.platform, homedir: home, env });
  return { jetbrains: jetbrains?.dir as string, google: google?.dir as string };
}

async function homeWithIdes(): Promise<{ home: string; env: NodeJS.ProcessEnv; jetbrains: string; google: string }> {
  const home = await tempDir('detect-cli-');
  const env = { HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: path.join(home, '.config'), APPDATA: path.join(home, 'AppData', 'Roaming') };
  const { jetbrains, google } = roots(home, env);
  const idea = path.join(jetbrains, 'IntelliJIdea2024.3');
  put(path.join(idea, 'options', 'recentProjects.xml'), fixture('modern/recentProjects-intellij.xml'));
  put(path.join(idea, 'options', 'path.macros.xml'), fixture('macros/path.macros.xml'));
  put(path.join(idea, '.lock'), String(process.pid));
  put(path.join(jetbrains, 'PyCharm2025.1', 'options', 'recentProjects.xml'), fixture('broken/recentProjects-truncated.xml'));
  return { home, env, jetbrains, google };
}

describe('interceptor detect', () => {
  it('--json prints the documented shape', async () => {
    const { home, env } = await homeWithIdes();
    const { code, out, err } = await run(['--json'], env);
    expect(err).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(out) as {
      platform: string;
      roots: unknown[];
      ides: Record<string, unknown>[];
      entries: Record<string, unknown>[];
      projects: Record<string, unknown>[];
    };
    expect(Object.keys(doc)).toEqual(['platform', 'roots', 'ides', 'entries', 'projects', 'runningIdes', 'focus', 'idePort']);
    expect(doc.ides.map((i) => [i.product, i.version, i.running])).toEqual([
      ['IntelliJIdea', '2024.3', true],
      ['PyCharm', '2025.1', false],
    ]);
    expect(Object.keys(doc.ides[0] as object)).toEqual([
      'configDir',
      'systemDir',
      'product',
      'productName',
      'version',
      'build',
      'layout',
      'running',
      'liveness',
      'files',
      'userMacros',
    ]);
    const billing = doc.entries.find((e) => e.key === '$USER_HOME$/IdeaProjects/billing-service');
    expect(billing).toMatchObject({
      path: path.join(home, 'IdeaProjects', 'billing-service'),
      markedOpen: true,
      open: true,
      ideRunning: true,
      unknownMacros: [],
    });
    expect(doc.entries.find((e) => e.key === '$MYSTERY_ROOT$/unknown-place')).toMatchObject({ unknownMacros: ['MYSTERY_ROOT'], open: false });
    expect(doc.entries.find((e) => e.key === '$MYSTERY_ROOT$/unknown-place')).not.toHaveProperty('path');
    expect(doc.projects.filter((p) => p.open)).toHaveLength(3);
  });

  it('shows, for the IDE port, each running IDE with its PID and open projects, and why focus cannot be read here', async () => {
    const { home, env } = await homeWithIdes();
    const { code, out, err } = await run(['--json'], { ...env, INTERCEPTOR_IDE_PORT: '1' });
    expect(err).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { runningIdes: Array<Record<string, unknown>>; focus: { state: string; message?: string }; idePort: Record<string, unknown> };
    // The .lock of IntelliJ IDEA 2024.3 names this test process; PyCharm's IDE is not running.
    expect(doc.runningIdes).toHaveLength(1);
    expect(doc.runningIdes[0]).toMatchObject({ product: 'IntelliJ IDEA', version: '2024.3', pid: process.pid, inFront: null });
    expect(doc.runningIdes[0]?.openProjects).toContain(path.join(home, 'IdeaProjects', 'billing-service'));
    // No DISPLAY in this environment.
    expect(doc.focus.state).toBe('unavailable');
    expect(doc.idePort).toMatchObject({ port: 1, url: 'http://127.0.0.1:1/v1', served: false, recent: [] });

    const text = await run([], { ...env, INTERCEPTOR_IDE_PORT: '1' });
    expect(text.out).toContain('Shared port (one URL for every client): http://127.0.0.1:1/v1 (not served now)');
    expect(text.out).toMatch(new RegExp(`IntelliJ IDEA 2024\\.3 \\(pid ${process.pid}\\), \\d+ open project\\(s\\):`));
    expect(text.out).toContain('The window in front cannot be read');
  });

  it('the global --json flag works the same as the verb flag', async () => {
    const { env } = await homeWithIdes();
    const viaGlobal = await run([], env, true);
    expect(() => JSON.parse(viaGlobal.out) as unknown).not.toThrow();
  });

  it('prints a readable report: IDEs, parse errors, projects with reasons, where it looked', async () => {
    const { env, jetbrains, google } = await homeWithIdes();
    const { code, out } = await run([], env);
    expect(code).toBe(0);
    expect(out).toMatch(/JetBrains IDE config folders \(2\):/);
    expect(out).toMatch(/IntelliJ IDEA 2024\.3\s+yes\s+process \d+ named in \.lock is running/);
    expect(out).toMatch(/PyCharm 2025\.1\s+no\s+no \.lock or port file/);
    expect(out).toContain(`! ${path.join(jetbrains, 'PyCharm2025.1', 'options', 'recentProjects.xml')}: line `);
    expect(out).toMatch(/yes\s+yes\s+IntelliJ IDEA 2024\.3\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+.*billing-service/);
    expect(out).toContain('$MYSTERY_ROOT$/unknown-place');
    expect(out).toContain('unknown path variable $MYSTERY_ROOT$');
    expect(out).toContain('hidden by the IDE');
    expect(out).toContain(`${google} (not present)`);
  });

  it('says so when nothing is found', async () => {
    const home = await tempDir('detect-cli-empty-');
    const { code, out } = await run([], { HOME: home });
    expect(code).toBe(0);
    expect(out).toContain('No JetBrains IDE config folder found.');
    expect(out).toContain('No recent projects listed by any IDE.');
  });

  it('--config-dir adds folders; a missing one is a usage error', async () => {
    const home = await tempDir('detect-cli-extra-');
    const custom = path.join(home, 'portable', 'idea-config');
    put(path.join(custom, 'options', 'recentSolutions.xml'), fixture('rider/recentSolutions.xml'));
    const found = await run(['--json', '--config-dir', 'portable/idea-config'], { HOME: home });
    expect(found.code).toBe(0);
    const doc = JSON.parse(found.out) as { ides: { configDir: string; layout: string }[] };
    expect(doc.ides).toEqual([expect.objectContaining({ configDir: custom, layout: 'user' })]);

    const missing = await run(['--config-dir', 'nowhere'], { HOME: home });
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('interceptor detect: --config-dir nowhere: no such folder\n');
  });

  it('unknown flags and stray arguments are usage errors with one line', async () => {
    const home = await tempDir('detect-cli-bad-');
    const unknown = await run(['--frobnicate'], { HOME: home });
    expect(unknown.code).toBe(2);
    expect(unknown.err.trim().split('\n')).toHaveLength(1);
    expect(unknown.err).toMatch(/^interceptor detect: .*frobnicate/);
    expect((await run(['extra'], { HOME: home })).code).toBe(2);
  });

  it('--help prints the help', async () => {
    const { code, out } = await run(['--help'], { HOME: '/nonexistent' });
    expect(code).toBe(0);
    expect(out).toBe(detectCommand.help);
  });
});
