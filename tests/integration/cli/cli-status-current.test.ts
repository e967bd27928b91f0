// `interceptor status` says what serves the current folder's project: an `interceptor run` in some
// terminal (with its PID) when no tray app or serve runs, the serve that runs, or nothing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseJson, spawnCli, type CliProcess } from '../../helpers/cli';
import { startServe, type ServeProcess } from '../../helpers/serve-process';
import { cliSession } from './cli-env';

vi.setConfig({ testTimeout: 90_000 });

const running: CliProcess[] = [];
const serves: ServeProcess[] = [];
afterEach(async () => {
  for (const { child } of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(serves.splice(0).map((serve) => serve.stop()));
});

/** `interceptor run` in `folder`, returned once it serves. */
async function runIn(folder: string, env: Record<string, string>): Promise<{ process: CliProcess; port: number }> {
  const run = spawnCli(['run'], { cwd: folder, env, timeoutMs: 60_000 });
  running.push(run);
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    run.child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /base URL {2}http:\/\/127\.0\.0\.1:(\d+)\/v1/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    run.child.once('exit', () => reject(new Error(`interceptor run exited before serving:\n${out}`)));
  });
  return { process: run, port };
}

describe('interceptor status and the current folder', () => {
  it('names the `interceptor run` that serves it, with its PID, instead of "not running"', async () => {
    const s = await cliSession();
    const project = await s.folder('alpha');
    const { process: run, port } = await runIn(project, s.env);

    const text = await s.run(['status'], { cwd: project });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      `this folder (${project}) is served on http://127.0.0.1:${port}/v1 by \`interceptor run\` (pid ${run.child.pid})\n` +
        'Interceptor is not running: no tray app or `interceptor serve` (start one with: npm start, or interceptor serve)\n',
    );
    expect(parseJson(await s.run(['status', '--json'], { cwd: project }))).toEqual({
      running: false,
      current: { project, port, baseUrl: `http://127.0.0.1:${port}/v1`, servedBy: { kind: 'run', pid: run.child.pid } },
    });

    // Another folder: nothing serves it, nothing runs.
    const other = await s.folder('beta');
    const elsewhere = await s.run(['status'], { cwd: other });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toBe('Interceptor is not running: no tray app or `interceptor serve` (start one with: npm start, or interceptor serve)\n');
    expect(parseJson(await s.run(['status', '--json'], { cwd: other }))).toEqual({
      running: false,
      current: { project: other, port: null, baseUrl: null, servedBy: null },
    });

    // Once the run stops, its mapping stays but nothing serves it.
    run.child.kill('SIGTERM');
    expect((await run.result).code).toBe(0);
    const after = await s.run(['status', '--json'], { cwd: project });
    expect(after.code).toBe(1);
    expect(parseJson(after)).toEqual({ running: false, current: { project, port, baseUrl: `http://127.0.0.1:${port}/v1`, servedBy: null } });
  });

  it('names `interceptor serve` when it serves the folder, and a run beside it', async () => {
    const s = await cliSession();
    const pinned = await s.folder('pinned');
    const apart = await s.folder('apart');
    const home = s.dir;
    const serve = await startServe({ home, env: s.env });
    serves.push(serve);
    const ready = await serve.waitForEvent((e) => e.event === 'ready', 'serve to be ready', 30_000);
    const opened = await s.run(['--json', 'open', pinned], { home });
    expect(opened.code, opened.stderr).toBe(0);
    const { port } = parseJson<{ port: number }>(opened);

    const text = await s.run(['status'], { cwd: pinned, home });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^Interceptor \\S+ is running \\(\`interceptor serve\`, pid ${ready.pid}\\), serving 1 project\\(s\\)\\n`));
    expect(text.stdout).toContain(`this folder (${pinned}) is served on http://127.0.0.1:${port}/v1 by \`interceptor serve\` (pid ${ready.pid})\n`);
    expect(parseJson(await s.run(['status', '--json'], { cwd: pinned, home }))).toMatchObject({
      running: true,
      kind: 'serve',
      pid: ready.pid,
      current: { project: pinned, port, servedBy: { kind: 'serve', pid: ready.pid } },
    });

    // A folder served by a run while serve runs: the run is named, not serve.
    const { process: run, port: apartPort } = await runIn(apart, s.env);
    expect(parseJson(await s.run(['status', '--json'], { cwd: apart, home }))).toMatchObject({
      running: true,
      current: { project: apart, port: apartPort, servedBy: { kind: 'run', pid: run.child.pid } },
    });
  });
});
